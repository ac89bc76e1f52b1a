const path = require('node:path');
const swc = require('../swc');

module.exports = {
  displayName: 'miniapp',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/miniapp'],
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc() },
};
