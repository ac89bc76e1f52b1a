// @ts-check
/**
 * The pieces every launcher needs (start, test, bench, seed): install on first
 * use, build the embedded database when its source changed, start and stop the
 * processes of the stack. Node built-ins only, because it runs before `npm ci`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const devdbDir = path.join(repoRoot, 'tools/devdb');
const devdbBin = path.join(devdbDir, '.bin/devdb');
const devdbStamp = path.join(devdbDir, '.bin/source.sha256');

/** @param {string} msg */
export function say(msg) {
  process.stdout.write(`\u001b[36m▶\u001b[0m ${msg}\n`);
}

/**
 * Runs a command in the foreground and throws when it fails.
 * @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [opts]
 */
export function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: repoRoot, ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const marker = path.join(repoRoot, 'node_modules/.package-lock.json');
  const lock = path.join(repoRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Compiles shared and api with tsc -b (incremental, so a no-op build is ≈ 1 s). */
export function buildTypescript() {
  run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b']);
}

function goBinary() {
  for (const candidate of [process.env.GO, '/usr/local/go/bin/go']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

function devdbSourceHash() {
  const hash = createHash('sha256');
  for (const name of readdirSync(devdbDir).filter((n) => /\.(go|mod|sum)$/.test(n)).sort()) {
    hash.update(name).update(readFileSync(path.join(devdbDir, name)));
  }
  return hash.digest('hex');
}

/** Builds tools/devdb once, and again only when its source changed. */
export function ensureDevdb() {
  const hash = devdbSourceHash();
  if (existsSync(devdbBin) && existsSync(devdbStamp) && readFileSync(devdbStamp, 'utf8') === hash) return devdbBin;
  const go = goBinary();
  if (!go) {
    throw new Error(
      'The embedded database needs Go (https://go.dev/dl, 1.22 or newer) to be built the first time.\n' +
        'Install Go, or set MONGODB_URI to a MongoDB server you already have, then run the command again.',
    );
  }
  say('Building the embedded database (FerretDB) — about a minute the first time…');
  const started = Date.now();
  mkdirSync(path.dirname(devdbBin), { recursive: true });
  run(go, ['build', '-o', devdbBin, '.'], { cwd: devdbDir, env: { ...process.env, CGO_ENABLED: '0' } });
  writeFileSync(devdbStamp, hash);
  say(`Embedded database built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return devdbBin;
}

/** @returns {Promise<number>} a free TCP port on 127.0.0.1 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {{ name: string, proc: import('node:child_process').ChildProcess, stop: (signal?: NodeJS.Signals) => Promise<void> }} Started
 */

/**
 * Spawns a long-running process and resolves once a line of its stdout matches `ready`.
 * @param {string} name @param {string} cmd @param {string[]} args
 * @param {{ ready: RegExp, env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, quiet?: boolean }} opts
 * @returns {Promise<Started & { match: RegExpMatchArray, lines: string[] }>}
 */
export function startProcess(name, cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    /** @type {string[]} */
    const lines = [];
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      proc.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${opts.timeoutMs ?? 60000} ms:\n${lines.join('\n')}`));
    }, opts.timeoutMs ?? 60000);

    /** @param {Buffer} chunk @param {boolean} isErr */
    const onData = (chunk, isErr) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (!opts.quiet || isErr) process.stderr.write(`[${name}] ${line}\n`);
        const match = !isErr ? line.match(opts.ready) : null;
        if (match && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve({ name, proc, match, lines, stop: (signal) => stopProcess(proc, signal) });
        }
      }
    };
    proc.stdout.on('data', (c) => onData(c, false));
    proc.stderr.on('data', (c) => onData(c, true));
    proc.on('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${lines.join('\n')}`));
    });
  });
}

/**
 * SIGTERM, then SIGKILL after 5 s: FerretDB's graceful stop waits for open
 * connections, and a launcher must never hang on it.
 * @param {import('node:child_process').ChildProcess} proc @param {NodeJS.Signals} [signal]
 * @returns {Promise<void>}
 */
export function stopProcess(proc, signal = 'SIGTERM') {
  return new Promise((/** @type {(value?: void) => void} */ resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

/**
 * Starts the embedded database.
 * @param {{ port?: number, storage?: 'auto'|'postgresql'|'sqlite', postgresqlUrl?: string, sqliteDir?: string, quiet?: boolean }} [opts]
 */
export async function startDevdb(opts = {}) {
  const bin = ensureDevdb();
  const port = opts.port ?? (await freePort());
  const args = ['-port', String(port), '-storage', opts.storage ?? 'auto'];
  if (opts.postgresqlUrl) args.push('-postgresql-url', opts.postgresqlUrl);
  args.push('-sqlite-dir', opts.sqliteDir ?? path.join(repoRoot, '.data/sqlite'));
  // Quiet: tests provoke duplicate keys on purpose, and FerretDB logs each one as an ERROR.
  if (opts.quiet) args.push('-log-level', 'off');
  const started = await startProcess('devdb', bin, args, { ready: /^devdb: ready (\S+)/, quiet: opts.quiet });
  const storageLine = started.lines.find((l) => l.startsWith('devdb: storage')) ?? '';
  return { ...started, port, uri: `mongodb://127.0.0.1:${port}/`, storage: storageLine.replace('devdb: ', '') };
}

/** @param {{ port?: number, scriptPath?: string, quiet?: boolean }} [opts] */
export async function startStandin(opts = {}) {
  const args = [path.join(repoRoot, 'tools/wechat-standin/server.mjs'), '--port', String(opts.port ?? 0)];
  const script = opts.scriptPath ?? path.join(repoRoot, 'tools/wechat-standin/script.example.json');
  if (existsSync(script)) args.push('--script', script);
  const started = await startProcess('wechat', process.execPath, args, {
    ready: /^wechat-standin: ready (\S+)/,
    quiet: opts.quiet ?? true,
  });
  return { ...started, baseUrl: String(started.match[1]) };
}

/**
 * Starts the compiled API (call buildTypescript first) and waits until
 * /api/v1/health answers, whatever the log level.
 * @param {{ port?: number, env: NodeJS.ProcessEnv, quiet?: boolean }} opts
 */
export async function startApi(opts) {
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [path.join(repoRoot, 'api/dist/server.js')], {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', opts.quiet === false ? 'inherit' : 'ignore', 'pipe'],
  });
  /** @type {string[]} */
  const errors = [];
  proc.stderr?.on('data', (chunk) => {
    errors.push(String(chunk));
    process.stderr.write(`[api] ${chunk}`);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the API exited with ${proc.exitCode}:\n${errors.join('')}`);
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the API did not answer /api/v1/health within 30 s:\n${errors.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name: 'api', proc, port, baseUrl, stop: (/** @type {NodeJS.Signals | undefined} */ signal) => stopProcess(proc, signal) };
}

/**
 * Stops everything on Ctrl-C / SIGTERM / normal exit, newest first.
 * @param {Array<{ stop: () => Promise<void> }>} started
 */
export function stopAllOnExit(started) {
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const s of [...started].reverse()) await s.stop().catch(() => {});
  };
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      void stopAll().then(() => process.exit(130));
    });
  }
  return stopAll;
}
