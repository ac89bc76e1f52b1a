const path = require('node:path');
const swc = require('../swc');

/**
 * API tests go through HTTP against the real embedded database. The global
 * setup starts the database and the WeChat stand-in unless the caller (npm test)
 * already did; each test file then works in a database of its own.
 */
module.exports = {
  displayName: 'api',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/api'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
  moduleNameMapper: {
    '^@community/shared$': '<rootDir>/shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: '<rootDir>/tests/api/support/global-setup.js',
  globalTeardown: '<rootDir>/tests/api/support/global-teardown.js',
};
