// @ts-check
/**
 * `npm test`: every test, on a fresh clone. Installs what is missing, compiles,
 * builds the weapp and H5 apps, starts its own database, WeChat stand-in, API
 * and H5 server, runs every jest project (shared, tools, api, miniapp,
 * simulate, e2e) in one run, and stops what it started, even on failure.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  buildTypescript,
  ensureDevdb,
  ensureInstalled,
  freePort,
  repoRoot,
  run,
  say,
  startApi,
  startDevdb,
  startStandin,
  stopAllOnExit,
} from './lib.mjs';
import { serveH5 } from './serve-h5.mjs';

const timings = /** @type {Record<string, number>} */ ({});
/** @template T @param {string} name @param {() => T} fn @returns {T} */
function timed(name, fn) {
  const started = Date.now();
  const result = fn();
  timings[name] = Math.round((Date.now() - started) / 100) / 10;
  return result;
}

/** Debian's Chromium and a Chinese font (without one, screenshots show empty boxes). */
function ensureChromium() {
  const missing = [
    ['chromium', '/usr/bin/chromium'],
    ['fonts-wqy-microhei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
  ].filter(([, file]) => !existsSync(file));
  if (!missing.length) return;
  const packages = missing.map(([name]) => name);
  say(`Installing ${packages.join(' and ')} for the browser tests (Debian packages)…`);
  const asRoot = process.getuid?.() === 0;
  const apt = (/** @type {string[]} */ args) => (asRoot ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

ensureInstalled();
/** @type {Array<{ stop: (signal?: NodeJS.Signals) => Promise<void> }>} */
const started = [];
const stopAll = stopAllOnExit(started);
let exitCode = 1;

try {
  timed('typescript', () => {
    say('Type-checking and compiling shared + api…');
    buildTypescript();
    if (existsSync(path.join(repoRoot, 'miniapp/tsconfig.json'))) {
      say('Type-checking the mini-program…');
      run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'miniapp/tsconfig.json', '--noEmit']);
    }
  });
  run(process.execPath, [path.join(repoRoot, 'tools/stack/check-single-copies.mjs')]);
  timed('devdb', () => ensureDevdb());
  ensureChromium();

  const apiPort = await freePort();
  // For re-running one browser test while writing it: keeps the last H5 build (never set in CI).
  const reuseBuilds = process.env.TEST_REUSE_BUILDS === '1' && existsSync(path.join(repoRoot, 'miniapp/dist/h5/index.html'));
  if (reuseBuilds) say('TEST_REUSE_BUILDS=1: keeping miniapp/dist as it is (the simulate tests may then call a stale API port).');
  if (!reuseBuilds) timed('weapp build', () => {
    say('Building the weapp (production mode)…');
    run('npm', ['run', 'build:weapp', '-w', 'miniapp'], {
      env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: `http://127.0.0.1:${apiPort}`, TARO_APP_DEV_LOGIN: '0' },
    });
  });
  if (!reuseBuilds) timed('h5 build', () => {
    say('Building the H5 app (with the demo persona picker, for the browser tests)…');
    run('npm', ['run', 'build:h5', '-w', 'miniapp'], {
      env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: '', TARO_APP_DEV_LOGIN: '1' },
    });
  });

  const db = await startDevdb({ quiet: true, postgresqlUrl: 'postgres://postgres@127.0.0.1:5432/community_test' });
  started.push(db);
  say(`Test database: ${db.storage}`);
  const standin = await startStandin({ quiet: true });
  started.push(standin);

  // The browser tests get an API of their own, with the demo community seeded.
  const e2eDb = `e2e_${Date.now().toString(36)}`;
  // Closing a poll publishes its result at once here (no 30 s grace), so the browser test can read it.
  // The H5 address is known before the API starts: certificates print a verification link to its page.
  const h5Port = await freePort();
  const apiEnv = { MONGODB_URI: db.uri, MONGODB_DB: e2eDb, WX_API_BASE: standin.baseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'test', POLL_PUBLISH_GRACE_SECONDS: '0', PUBLIC_H5_URL: `http://127.0.0.1:${h5Port}` };
  run(process.execPath, [path.join(repoRoot, 'api/dist/seed/cli.js')], { env: { ...process.env, ...apiEnv }, stdio: 'ignore' });
  const api = await startApi({ port: apiPort, env: apiEnv });
  started.push(api);
  const h5 = await serveH5({ root: path.join(repoRoot, 'miniapp/dist/h5'), apiUrl: api.baseUrl, port: h5Port });
  started.push({ stop: h5.close });

  const resultsFile = path.join(repoRoot, '.artifacts/jest-results.json');
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  // Asynchronous on purpose: the H5 server above lives in this process and must keep serving.
  const jestStarted = Date.now();
  const jestStatus = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
      {
        cwd: repoRoot,
        stdio: 'inherit',
        env: {
          ...process.env,
          CI: process.env.CI ?? 'true',
          TEST_MONGODB_URI: db.uri,
          TEST_WX_API_BASE: standin.baseUrl,
          DEVDB_BIN: ensureDevdb(),
          E2E_BASE_URL: h5.url,
          E2E_API_URL: api.baseUrl,
        },
      },
    );
    child.on('exit', (code) => resolve(code ?? 1));
  });
  timings.jest = Math.round((Date.now() - jestStarted) / 100) / 10;
  exitCode = /** @type {number} */ (jestStatus);
  if (existsSync(resultsFile)) {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    say(`Timings (s): ${JSON.stringify(timings)}`);
    // The plain closing line CI reads.
    process.stdout.write(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`);
  }
} catch (error) {
  process.stderr.write(`\n${/** @type {Error} */ (error).message}\n`);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
