const path = require('node:path');
const swc = require('../swc');

module.exports = {
  displayName: 'simulate',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/simulate'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
};
