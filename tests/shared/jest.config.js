const path = require('node:path');
const swc = require('../swc');

module.exports = {
  displayName: 'shared',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/shared'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
  moduleNameMapper: {
    '^@community/shared$': '<rootDir>/shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
