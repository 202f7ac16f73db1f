import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { NextFunction, Request, Response } from 'express';
import type { ServerOptions } from 'socket.io';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { openDatabase } from './database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { loadPublicCodeSets } from './catalog/public-code-sets.js';
import { seedDemoData } from './demo/demo-seed.js';
import { RedisStreamsIoAdapter } from './realtime/redis-io.adapter.js';
import { OriginPolicy } from './web-security/origin-policy.js';
import { useWebEdge } from './web-security/web-edge.js';

/** A running server and how to stop it in order: sockets and HTTP, then the pool, then Postgres. */
export interface RunningServer {
  app: INestApplication;
  dataSource: DataSource;
  url: string;
  demoLogins: Array<{ email: string; role: string }> | null;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` does after reading the configuration: the database (embedded when
 * no DATABASE_URL), migrations, the shipped public code sets and the demo seed on first start
 * (under the start-up lock, so of several instances one loads and the others wait), then HTTP
 * and sockets. Loading comes before listening: a workspace that answered while half its code
 * sets were in would show false findings and $0 fees, so /api/health answers once it is done.
 */
export async function startServer(
  config: AppConfig,
  logger: LoggerService = new Logger('Countersign'),
): Promise<RunningServer> {
  const log = new Logger('Startup');
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl: string;
  if (config.database.mode === 'embedded') {
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      preferredPort: config.database.port,
      logger: log,
    });
    databaseUrl = embedded.url;
  } else {
    databaseUrl = config.database.url;
  }

  let demoLogins: RunningServer['demoLogins'] = null;
  let dataSource: DataSource;
  try {
    dataSource = await openDatabase(databaseUrl, {
      poolSize: config.pool.size,
      connectTimeoutMs: config.pool.connectTimeoutMs,
      statementTimeoutMs: config.pool.statementTimeoutMs,
      afterMigrations: async (ds) => {
        // Before the demo seed, so the demo charts are checked against the real edits and fees.
        if (config.loadPublicCodeSets) await loadPublicCodeSets(ds, log);
        if (config.seedDemo)
          demoLogins = await seedDemoData(ds, { demoFeeSchedule: !config.loadPublicCodeSets });
      },
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  const app = await createApp(config, dataSource, logger);
  const httpServer = app.getHttpServer() as Server;
  // An idle keep-alive connection is closed by the client (undici: 4 s, proxies: 60 s) before
  // the server does, so a request is never sent on a socket the server is closing at that moment
  // (an ECONNRESET that a busy event loop, firing the server's 5 s default late, made likely).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  await app.listen(config.port, config.host);
  const address = httpServer.address() as AddressInfo;
  const url = `http://localhost:${address.port}`;

  let stopping: Promise<void> | null = null;
  return {
    app,
    dataSource,
    url,
    demoLogins,
    // Each step is bounded, so a dead database (a pool waiting on it, a postmaster that is
    // gone) cannot hold shutdown: the whole stop takes well under two seconds.
    stop: () =>
      (stopping ??= (async () => {
        await within(1000, app.close(), () =>
          log.warn('HTTP and sockets did not close within 1 s'),
        );
        if (dataSource.isInitialized)
          await within(500, dataSource.destroy(), () =>
            log.warn('The database pool did not close within 0.5 s'),
          );
        await embedded?.stop();
      })()),
  };
}

/** Waits for `work` at most `ms`; past that, reports and moves on (the work continues unawaited). */
async function within(ms: number, work: Promise<unknown>, late: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([
    work.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    timeout,
  ]);
  clearTimeout(timer);
  if (outcome === 'late') late();
}

/** The Nest application on an open DataSource: API under /api, docs, sockets, the built client. */
export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  logger: LoggerService | false = new Logger('Countersign'),
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, dataSource),
    {
      logger,
      bufferLogs: false,
    },
  );
  app.setGlobalPrefix('api');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  const origins = new OriginPolicy(config.web.allowedOrigins);
  useWebEdge(app, config, origins);

  let adapter: IoAdapter;
  if (config.redisUrl) {
    const redis = new RedisStreamsIoAdapter(app, config.redisUrl);
    await redis.connect();
    adapter = redis;
  } else {
    adapter = new IoAdapter(app);
  }
  app.useWebSocketAdapter(withOriginCheck(adapter, origins));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Countersign API')
      .setDescription(
        'Encounters, claim lines and the live coding review. Sign in with POST /api/auth/login; the session cookie authenticates every other call.',
      )
      .setVersion('0.1.0')
      .addCookieAuth('cs_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveClient(app, config.clientDist);
  return app;
}

/** Socket.IO handshakes from a foreign page are refused before the session cookie is read. */
function withOriginCheck(adapter: IoAdapter, origins: OriginPolicy): IoAdapter {
  const create = adapter.createIOServer.bind(adapter);
  adapter.createIOServer = (port: number, options?: ServerOptions) =>
    create(port, { ...options, allowRequest: origins.allowRequest } as ServerOptions);
  return adapter;
}

/** The built Angular client, with index.html for every route the client owns. */
function serveClient(app: NestExpressApplication, clientDist: string): void {
  const index = join(clientDist, 'index.html');
  if (!existsSync(index)) {
    new Logger('Client').warn(
      `No built client at ${clientDist}; run "npm run build" to serve the UI`,
    );
    return;
  }
  app.useStaticAssets(clientDist, { index: false, maxAge: '1h' });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isClientRoute =
      request.method === 'GET' &&
      !request.path.startsWith('/api') &&
      !request.path.startsWith('/socket.io');
    if (!isClientRoute) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
