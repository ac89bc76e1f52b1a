const path = require('node:path');
const swc = require('../swc');

/**
 * Browser tests: headless Debian Chromium (playwright-core, never a downloaded
 * browser) against the H5 build served by `npm test` with a seeded API behind it.
 */
module.exports = {
  displayName: 'e2e',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/e2e'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
};
