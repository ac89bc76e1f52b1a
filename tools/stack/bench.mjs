// @ts-check
/**
 * `npm run bench`: how fast the API answers, next to what Koa alone and the
 * database alone can do on this machine.
 *
 * Starts its own stack (embedded database with PostgreSQL storage in the
 * `community_bench` database, or the server at MONGODB_URI; the WeChat
 * stand-in; the compiled API on a fresh, seeded database `bench_<time>`), then
 * measures, each with 20 in flight, bounded by BENCH_AMOUNT requests (3000)
 * or BENCH_SECONDS (10), whichever comes first, after a short warm-up:
 *   bare Koa       a Koa app with one JSON route (tools/stack/bench/bare-koa.mjs): the framework ceiling
 *   /health        GET /api/v1/health (Koa stack + one database ping)
 *   /me            GET /api/v1/me, signed in as the demo owner
 *   driver floor   the 2 queries /me runs, straight through the driver, the API's pool (1 on FerretDB; bench/floor.mjs)
 * and two scenarios: a booking burst (bench/booking.mjs) and a vote storm of
 * an art. 278 owner vote, verified afterwards (bench/vote.mjs).
 * Prints a table, writes it to .artifacts/bench.json, stops everything it
 * started (also on failure and Ctrl-C). Exits 1 when any request failed or
 * answered other than 2xx. HTTP traffic goes to 127.0.0.1 only.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBookingScenario } from './bench/booking.mjs';
import { runVoteScenario } from './bench/vote.mjs';
import { openFloor } from './bench/floor.mjs';
import { runHttp, runLoop, stopRunning } from './bench/measure.mjs';
import {
  buildTypescript,
  ensureInstalled,
  repoRoot,
  run,
  say,
  startApi,
  startDevdb,
  startProcess,
  startStandin,
  stopAllOnExit,
} from './lib.mjs';

/** @param {string} name @param {number} fallback */
function envInt(name, fallback) {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not ${raw}`);
  return value;
}

const connections = envInt('BENCH_CONNECTIONS', 20);
/** @type {import('./bench/measure.mjs').Bound} */
const bound = { amount: envInt('BENCH_AMOUNT', 3000), seconds: envInt('BENCH_SECONDS', 10), connections };
/** @type {import('./bench/measure.mjs').Bound} */
const warmup = { amount: Math.max(connections, 300), seconds: 1, connections };

ensureInstalled();
/** @type {Array<{ stop: (signal?: NodeJS.Signals) => Promise<void> }>} */
const started = [];
const stopAll = stopAllOnExit(started);
let interrupted = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    interrupted = true;
    stopRunning();
  });
}
let exitCode = 1;

/**
 * @param {string} url @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function fetchJson(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** @param {string} s @param {number} n */
const padEnd = (s, n) => s + ' '.repeat(Math.max(0, n - s.length));
/** @param {string} s @param {number} n */
const padStart = (s, n) => ' '.repeat(Math.max(0, n - s.length)) + s;

try {
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };

  say('Compiling shared + api…');
  buildTypescript();

  let uri = process.env.MONGODB_URI;
  let storage;
  if (uri) {
    storage = 'external server at MONGODB_URI';
    say('Using the database at MONGODB_URI');
  } else {
    const db = await startDevdb({ quiet: true, postgresqlUrl: 'postgres://postgres@127.0.0.1:5432/community_bench' });
    started.push(db);
    uri = db.uri;
    storage = db.storage.replace(/^storage /, '');
    say(`Embedded database, storage ${storage}`);
  }
  const standin = await startStandin({ quiet: true });
  started.push(standin);

  const dbName = `bench_${Date.now().toString(36)}`;
  // Opened before seeding, so the bench database is dropped whatever happens next.
  const floor = await openFloor(uri, dbName);
  started.push({ stop: floor.dropAndClose });
  const apiEnv = {
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    WX_API_BASE: standin.baseUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    // The vote storm closes its poll and verifies the published result at once.
    POLL_PUBLISH_GRACE_SECONDS: '0',
  };
  say(`Seeding the demo community into ${dbName}…`);
  run(process.execPath, [path.join(repoRoot, 'api/dist/seed/cli.js')], {
    env: { ...process.env, ...apiEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = await startApi({ env: apiEnv });
  started.push(api);
  const koa = await startProcess('bare-koa', process.execPath, [path.join(repoRoot, 'tools/stack/bench/bare-koa.mjs')], {
    ready: /^bare-koa: ready (\S+)/,
    quiet: true,
    timeoutMs: 10000,
  });
  started.push(koa);
  const koaUrl = String(koa.match[1]);

  // Sanity: the stack answers, and the floor reads what /me reads.
  const health = await fetchJson(`${api.baseUrl}/api/v1/health`);
  if (health.status !== 'ok') throw new Error(`/health says ${JSON.stringify(health)}`);
  const login = await fetchJson(`${api.baseUrl}/api/v1/auth/wechat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: 'test-demo-owner-wang' }),
  });
  const auth = { Authorization: `Bearer ${login.accessToken}` };
  const me = await fetchJson(`${api.baseUrl}/api/v1/me`, { headers: auth });
  const userId = String(login.user.id);
  const floorCheck = await floor.meQueries(userId);
  const server = floor.serverInfo();
  say(
    `Signed in as ${me.displayName ?? me.nickname}: /me lists ${me.rooms.length} rooms; ` +
      `the driver reads 1 user and ${floorCheck.bindings.length} bindings`,
  );
  let version = server.version;
  if (version === 'unknown' && !process.env.MONGODB_URI) {
    // The embedded build carries no version string; the Go module pins it.
    const pinned = readFileSync(path.join(repoRoot, 'tools/devdb/go.mod'), 'utf8').match(/github\.com\/FerretDB\/FerretDB (v\S+)/);
    if (pinned) version = `${pinned[1]} (tools/devdb/go.mod)`;
  }
  const database = { server: server.server, version, storage, dbName, maxPoolSize: floor.maxPoolSize, api: health.database };

  process.stdout.write(
    `\nMachine : ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, ${machine.platform}\n` +
      `Node    : ${machine.node}\n` +
      `Database: ${server.server} ${version}${'reportsMongodb' in server ? `, reports MongoDB ${server.reportsMongodb}` : ''}; ` +
      `storage ${storage}; pool ${floor.maxPoolSize} (API and driver floor)\n` +
      `Load    : ${connections} in flight, each target up to ${bound.amount} requests or ${bound.seconds} s, ` +
      `after a warm-up of up to ${warmup.amount} requests or ${warmup.seconds} s\n\n`,
  );

  /** @type {Array<{ key: string, target: string, what: string, measure: () => Promise<import('./bench/measure.mjs').Measured> }>} */
  const targets = [
    {
      key: 'koa',
      target: 'bare Koa',
      what: 'GET /health of a Koa app with one JSON route (framework ceiling)',
      measure: () => runHttp(`${koaUrl}/health`, bound),
    },
    {
      key: 'health',
      target: 'GET /api/v1/health',
      what: 'the API: middleware + one database ping',
      measure: () => runHttp(`${api.baseUrl}/api/v1/health`, bound),
    },
    {
      key: 'me',
      target: 'GET /api/v1/me',
      what: 'the API, signed in: user and bindings',
      measure: () => runHttp(`${api.baseUrl}/api/v1/me`, bound, auth),
    },
    {
      key: 'floor',
      target: 'driver floor (/me)',
      what: `the 2 queries of /me through the driver, maxPoolSize ${floor.maxPoolSize} (database floor)`,
      measure: () => runLoop(async () => void (await floor.meQueries(userId)), bound),
    },
  ];
  const warmups = {
    koa: () => runHttp(`${koaUrl}/health`, warmup),
    health: () => runHttp(`${api.baseUrl}/api/v1/health`, warmup),
    me: () => runHttp(`${api.baseUrl}/api/v1/me`, warmup, auth),
    floor: () => runLoop(async () => void (await floor.meQueries(userId)), warmup),
  };

  /** @type {Array<{ key: string, target: string, what: string } & import('./bench/measure.mjs').Measured>} */
  const results = [];
  for (const t of targets) {
    if (interrupted) break;
    say(`${t.target}: warm-up, then measure…`);
    const w = await warmups[/** @type {keyof typeof warmups} */ (t.key)]();
    if (w.errors || w.non2xx) process.stderr.write(`  warm-up of ${t.target}: ${w.errors} errors, ${w.non2xx} non-2xx\n`);
    const m = await t.measure();
    results.push({ key: t.key, target: t.target, what: t.what, ...m });
  }
  if (interrupted) throw new Error('interrupted');
  say('Booking: a burst of concurrent bookings on a few slots, with slot lists read meanwhile…');
  const booking = await runBookingScenario({ apiUrl: api.baseUrl, mongoUri: uri, dbName });
  say('Vote storm: owners casting ballots at once while others read the poll and its live result…');
  const vote = await runVoteScenario({ apiUrl: api.baseUrl, mongoUri: uri, dbName });
  const breakdownRuns = 20;
  const floorBreakdown = await floor.breakdown(userId, breakdownRuns);

  /** @param {string} key */
  const rpsOf = (key) => results.find((r) => r.key === key)?.rps ?? 0;
  const ratio = (/** @type {number} */ a, /** @type {number} */ b) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
  const ratios = {
    healthVsBareKoa: ratio(rpsOf('health'), rpsOf('koa')),
    meVsDriverFloor: ratio(rpsOf('me'), rpsOf('floor')),
  };

  const header = ['target', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'seconds'];
  const rows = results.map((r) => [
    r.target,
    String(r.rps),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    String(r.requests),
    String(r.errors),
    String(r.non2xx),
    `${r.seconds.toFixed(2)}${r.stoppedBy === 'seconds' ? '*' : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) =>
    cells.map((c, i) => (i === 0 ? padEnd(c, widths[i] ?? 0) : padStart(c, widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const pct = (/** @type {number | null} */ x) => (x === null ? 'n/a' : `${x.toFixed(3)} (${Math.round(x * 100)} %)`);
  process.stdout.write(
    `\n${line(header)}\n${rule}\n${rows.map(line).join('\n')}\n${rule}\n` +
      `/health vs bare Koa     (requests/s): ${pct(ratios.healthVsBareKoa)}\n` +
      `/me vs driver floor     (requests/s): ${pct(ratios.meVsDriverFloor)}\n` +
      (results.some((r) => r.stoppedBy === 'seconds') ? `* stopped by the time bound, not the request bound\n` : '') +
      `requests/s = completed ÷ seconds to the last completion; p50/p99 = nearest rank over every request's latency\n` +
      `\nBooking burst: ${booking.residents} residents, ${booking.slots} slots × ${booking.capacity} seats, ${booking.inFlight} in flight, ${booking.readers} readers of slot lists\n` +
      `  bookings: ${booking.bookings.rps}/s, p50 ${booking.bookings.p50.toFixed(2)} ms, p99 ${booking.bookings.p99.toFixed(2)} ms; ` +
      `${booking.bookings.confirmed} confirmed, ${booking.bookings.waitlisted} waitlisted, ${booking.bookings.refused} refused, ${booking.bookings.errors} errors\n` +
      `  slot lists meanwhile: ${booking.reads.rps}/s, p50 ${booking.reads.p50.toFixed(2)} ms, p99 ${booking.reads.p99.toFixed(2)} ms (${booking.reads.requests} reads, ${booking.reads.errors} errors)\n` +
      `  invariant after the run: ${booking.invariant.ok ? 'held' : 'BROKEN'} (confirmed = ${booking.bookings.confirmed}, expected ${booking.invariant.expectedConfirmed})\n` +
      `\nVote storm: ${vote.voters} owners of an art. 278 vote (roll ${vote.rollHeads} owners, fixed in ${vote.openMs} ms), ${vote.inFlight} in flight, ${vote.readers} readers of the poll page and live result\n` +
      `  ballots: ${vote.ballots.rps}/s, p50 ${vote.ballots.p50.toFixed(2)} ms, p99 ${vote.ballots.p99.toFixed(2)} ms; ${vote.ballots.cast} cast, ${vote.ballots.refused} refused, ${vote.ballots.errors} errors\n` +
      `  reads meanwhile: ${vote.reads.rps}/s, p50 ${vote.reads.p50.toFixed(2)} ms, p99 ${vote.reads.p99.toFixed(2)} ms (${vote.reads.requests} reads, ${vote.reads.errors} errors)\n` +
      `  close (seal + tally + publish) ${vote.closeMs} ms; verify ${vote.verifyMs} ms: ${vote.verify.ok ? 'chain and tally agree' : 'FAILED'} (${vote.verify.entries} entries, ${vote.verify.participations} "has voted" records)\n` +
      `\nWhere the floor's time goes (each query alone, 1 in flight, mean of ${breakdownRuns}):\n` +
      floorBreakdown.map((q) => `  ${padStart(q.meanMs.toFixed(2), 7)} ms  ${q.query}\n`).join(''),
  );

  /** @type {string[]} */
  const warnings = [];
  if (!booking.invariant.ok) warnings.push(`booking invariant broken: ${booking.invariant.problems.join('; ')}`);
  if (booking.bookings.confirmed !== booking.invariant.expectedConfirmed) {
    warnings.push(`booking: ${booking.bookings.confirmed} confirmed, expected ${booking.invariant.expectedConfirmed}`);
  }
  if (booking.bookings.errors || booking.bookings.refused || booking.reads.errors) warnings.push('booking: some requests failed or were refused');
  if (!vote.verify.ok) warnings.push(`vote: verify failed: ${vote.verify.problems.join('; ')}`);
  if (vote.ballots.cast !== vote.voters || vote.verify.entries !== vote.voters) warnings.push(`vote: ${vote.ballots.cast} cast and ${vote.verify.entries} in the chain, expected ${vote.voters}`);
  if (vote.ballots.errors || vote.ballots.refused || vote.reads.errors) warnings.push('vote: some requests failed or were refused');
  for (const r of results) {
    if (r.non2xx > 0) warnings.push(`${r.target}: ${r.non2xx} answers were not 2xx (${JSON.stringify(r.statusCodes)})`);
    if (r.errors > 0) warnings.push(`${r.target}: ${r.errors} requests failed`);
    if (r.requests === 0) warnings.push(`${r.target}: no request completed`);
  }

  const report = {
    timestamp: new Date().toISOString(),
    machine,
    database,
    load: { connections, amount: bound.amount, seconds: bound.seconds, warmup },
    results: results.map(({ key, ...r }) => ({ key, ...r })),
    ratios,
    booking,
    vote,
    floorBreakdown: { runs: breakdownRuns, queries: floorBreakdown },
    ok: warnings.length === 0,
    warnings,
  };
  const out = path.join(repoRoot, '.artifacts/bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  say(`Wrote ${path.relative(repoRoot, out)}`);

  if (warnings.length) {
    for (const w of warnings) process.stderr.write(`\u001b[33mWARNING\u001b[0m ${w}\n`);
    exitCode = 1;
  } else {
    exitCode = 0;
  }
} catch (error) {
  process.stderr.write(
    interrupted ? '\nbench interrupted; stopping what it started…\n' : `\nbench failed: ${/** @type {Error} */ (error).stack ?? String(error)}\n`,
  );
  exitCode = 1;
} finally {
  if (!interrupted) await stopAll();
}
// On Ctrl-C the lib's handler stops everything and exits with 130.
if (!interrupted) process.exit(exitCode);
