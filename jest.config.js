/**
 * One `npx jest` runs every project; each project keeps its own config beside
 * its tests. The browser project (e2e) needs built apps and a running stack, so
 * `npm test` runs it after the builds (see tools/stack/test.mjs).
 */
module.exports = {
  testTimeout: 30000,
  projects: [
    '<rootDir>/tests/shared',
    '<rootDir>/tests/tools',
    '<rootDir>/tests/api',
    '<rootDir>/tests/miniapp',
    '<rootDir>/tests/simulate',
    '<rootDir>/tests/e2e',
  ],
};
