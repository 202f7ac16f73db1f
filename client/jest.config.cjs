/** Unit and component specs: Jest through jest-preset-angular, zoneless, in jsdom. */
module.exports = {
  preset: 'jest-preset-angular',
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  moduleNameMapper: {
    // Specs run against shared's source, so a change there needs no build first.
    '^@countersign/shared$': '<rootDir>/../shared/src/index.ts',
    // shared uses NodeNext `.js` suffixes in its relative imports.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The browser build of csv-stringify is ESM only; Jest runs the same version's CommonJS build.
    '^csv-stringify/browser/esm/sync$': 'csv-stringify/sync',
  },
};
