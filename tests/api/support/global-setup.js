/**
 * Starts the embedded database and the WeChat stand-in for the API tests,
 * unless the caller already gives them (npm test does, and so can a developer:
 * TEST_MONGODB_URI=mongodb://… TEST_WX_API_BASE=http://…). Test files read the
 * addresses from the environment, which jest workers inherit.
 */
const path = require('node:path');

module.exports = async function globalSetup() {
  const lib = await import(path.resolve(__dirname, '../../../tools/stack/lib.mjs'));
  process.env.DEVDB_BIN = process.env.DEVDB_BIN || lib.ensureDevdb();
  const started = [];
  if (!process.env.TEST_MONGODB_URI) {
    const db = await lib.startDevdb({ quiet: true, postgresqlUrl: 'postgres://postgres@127.0.0.1:5432/community_test' });
    process.env.TEST_MONGODB_URI = db.uri;
    started.push(db);
  }
  if (!process.env.TEST_WX_API_BASE) {
    const standin = await lib.startStandin({ quiet: true });
    process.env.TEST_WX_API_BASE = standin.baseUrl;
    started.push(standin);
  }
  globalThis.__apiTestProcesses = started;
};
