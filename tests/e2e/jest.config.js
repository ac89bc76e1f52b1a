const path = require('node:path');
const swc = require('../swc');

module.exports = {
  displayName: 'e2e',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/e2e'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
};
