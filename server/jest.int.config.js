import unit from './jest.config.js';

/**
 * Integration tests against real Postgres, run through test/support/with-test-database.mjs,
 * which gives each run a fresh database (TEST_DATABASE_URL, DATABASE_URL or embedded).
 */
export default {
  ...unit,
  displayName: 'server-int',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 60_000,
};
