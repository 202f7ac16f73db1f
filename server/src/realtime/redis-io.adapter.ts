import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO across several server instances: rooms and broadcasts travel through a Redis
 * stream. Catch-up after a disconnect does not rely on it; it reads the event log.
 */
export class RedisStreamsIoAdapter extends IoAdapter {
  private readonly log = new Logger(RedisStreamsIoAdapter.name);
  private client: ReturnType<typeof createClient> | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    this.client = createClient({ url: this.redisUrl });
    this.client.on('error', (error: Error) => this.log.error(`Redis: ${error.message}`));
    await this.client.connect();
    this.log.log('Socket.IO uses the Redis streams adapter');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    if (!this.client)
      throw new Error('RedisStreamsIoAdapter.connect() must run before the server starts');
    server.adapter(createAdapter(this.client));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    if (this.client?.isOpen) await this.client.quit();
  }
}
