const path = require('node:path');
const swc = require('../swc');

module.exports = {
  displayName: 'tools',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/tools'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
};
