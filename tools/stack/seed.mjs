// @ts-check
/** `npm run seed`: seeds the demo community into MONGODB_URI (or a fresh embedded database) and prints the logins. */
import path from 'node:path';
import { buildTypescript, ensureInstalled, repoRoot, run, startDevdb } from './lib.mjs';

ensureInstalled();
buildTypescript();
let db;
let uri = process.env.MONGODB_URI;
if (!uri) {
  db = await startDevdb({ quiet: true });
  uri = db.uri;
}
try {
  run(process.execPath, [path.join(repoRoot, 'api/dist/seed/cli.js')], { env: { NODE_ENV: 'development', ...process.env, MONGODB_URI: uri } });
} finally {
  await db?.stop();
}
