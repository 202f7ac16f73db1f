import unit from './jest.config.js';

/**
 * Integration tests against real Postgres, run through test/support/with-test-database.mjs,
 * which migrates a template database for the run; the environment gives each file its own copy.
 */
export default {
  ...unit,
  displayName: 'server-int',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  testEnvironment: '<rootDir>/test/support/database-environment.mjs',
  testTimeout: 60_000,
};
