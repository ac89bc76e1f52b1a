const path = require('node:path');
const swc = require('../swc');

/**
 * Smoke tests of the real weapp build (miniapp/dist/weapp) in Tencent's
 * miniprogram-simulate: app.js boots as it would in WeChat (with a scripted wx),
 * then each page's compiled WXML/JS is loaded as a component through a small
 * Page() shim and rendered with the official WXML compiler.
 */
module.exports = {
  displayName: 'simulate',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/simulate'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'jsdom',
  transform: { '^.+\\.(t|j)sx?$': swc() },
  // The build output is already plain JavaScript for WeChat: never transform it.
  transformIgnorePatterns: ['/node_modules/', '/miniapp/dist/'],
};
