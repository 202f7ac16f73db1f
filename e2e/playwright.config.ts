import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.E2E_PORT ?? 3999);

/**
 * End-to-end tests: the built server started the way `npm start` starts it (embedded Postgres
 * under .data/e2e unless DATABASE_URL is set), driven in Debian's Chromium.
 */
export default defineConfig({
  testDir: './specs',
  testMatch: '**/*.e2e-spec.ts',
  globalSetup: './support/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  outputDir: join(root, 'e2e', '.artifacts', 'results'),
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node ${join(root, 'server', 'dist', 'server', 'src', 'main.js')}`,
    url: `http://localhost:${port}/api/health`,
    // The first start loads the shipped public code sets (about 40 s on two cores) before it answers.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR ?? join(root, '.data', 'e2e'),
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54349',
      LOG_LEVEL: 'warn',
    },
  },
});
