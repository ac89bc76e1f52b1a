const path = require('node:path');
const swc = require('../swc');

/**
 * Page tests in jsdom. `@tarojs/components` is Taro's own H5 React component
 * set and `@tarojs/taro` its H5 API (through a small shim adding the page
 * lifecycle hooks and stubbing navigation), so the pages render as in the H5
 * build and Taro.request really goes through (mocked) fetch.
 */
module.exports = {
  displayName: 'miniapp',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/miniapp'],
  testMatch: ['**/*.test.ts?(x)'],
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { url: 'http://localhost/' },
  transform: { '^.+\\.(t|j)sx?$': swc({ tsx: true }), '^.+\\.mjs$': swc() },
  // Taro's H5 packages and a few of their dependencies ship ES modules.
  transformIgnorePatterns: [
    '^(?!.*/node_modules/(@tarojs|@stencil|lodash-es|query-string|decode-uri-component|split-on-first|filter-obj|swiper|ssr-window|dom7|ics|nanoid|runes2)/).*/node_modules/',
  ],
  moduleNameMapper: {
    '\\.(css|scss|sass|less)(\\.js)?$': '<rootDir>/tests/miniapp/support/style-stub.js',
    '\\.(png|jpe?g|gif|svg)$': '<rootDir>/tests/miniapp/support/file-stub.js',
    '^@community/shared$': '<rootDir>/shared/src/index.ts',
    '^@tarojs/taro$': '<rootDir>/tests/miniapp/support/taro.tsx',
    '^@tarojs/taro-h5$': '<rootDir>/node_modules/@tarojs/taro-h5/dist/index.esm.js',
    '^@tarojs/components$': '<rootDir>/tests/miniapp/support/components.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/tests/miniapp/support/env.js'],
  setupFilesAfterEnv: ['<rootDir>/tests/miniapp/support/after-env.ts'],
};
