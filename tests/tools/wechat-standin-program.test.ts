/**
 * The stand-in as a program: `node tools/wechat-standin/server.mjs`, as the stack and the API
 * tests' global setup start it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER, client } from './standin-support';

interface Running {
  child: ChildProcess;
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const READY = /^wechat-standin: ready (http:\/\/127\.0\.0\.1:\d+)\n/;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the program with the caller's WX_STANDIN_* variables removed, so the shell cannot steer a test. */
function spawnStandin(args: string[], env: Record<string, string> = {}): Running & { ready: Promise<void> } {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  delete baseEnv.WX_STANDIN_PORT;
  delete baseEnv.WX_STANDIN_SCRIPT;
  const child = spawn(process.execPath, [SERVER, ...args], {
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const running: Running & { ready: Promise<void> } = {
    child,
    baseUrl: '',
    stdout: () => out,
    stderr: () => err,
    exited,
    ready: new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = READY.exec(out);
        if (match) {
          running.baseUrl = match[1]!;
          resolve();
        }
      });
      void exited.then(({ code }) => reject(new Error(`exited with ${code} before ready: ${err}`)));
    }),
  };
  return running;
}

describe('node tools/wechat-standin/server.mjs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'standin-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one ready line, serves, logs requests to stderr and stops cleanly on SIGTERM', async () => {
    const standin = spawnStandin(['--port', '0', '--script', 'none']);
    await standin.ready;
    const wx = client(standin.baseUrl);
    expect((await wx.login('test-cli')).json.openid).toBe('cli');
    expect((await wx.login('test-blocked-user')).json.openid).toBe('blocked-user'); // no script: every test- code logs in

    standin.child.kill('SIGTERM');
    expect(await standin.exited).toEqual({ code: 0, signal: null });
    expect(standin.stdout()).toBe(`wechat-standin: ready ${standin.baseUrl}\n`);
    expect(standin.stderr()).toMatch(/GET \/sns\/jscode2session -> errcode 0/);
    expect(standin.stderr()).not.toMatch(/secret|js_code/); // compact: no query strings in the log
  });

  it('stops on SIGINT too, even with a keep-alive connection open', async () => {
    const standin = spawnStandin([]);
    await standin.ready;
    await client(standin.baseUrl).login('test-keepalive');
    standin.child.kill('SIGINT');
    expect(await standin.exited).toEqual({ code: 0, signal: null });
  });

  it('uses script.example.json by default', async () => {
    const standin = spawnStandin([]);
    await standin.ready;
    expect((await client(standin.baseUrl).login('test-blocked-user')).json.errcode).toBe(40226);
    standin.child.kill('SIGTERM');
    await standin.exited;
  });

  it('takes the port and the script from WX_STANDIN_PORT / WX_STANDIN_SCRIPT, flags first', async () => {
    const script = path.join(dir, 'env.json');
    writeFileSync(script, JSON.stringify({ jscode2session: { 'test-env': 45011 } }));
    // WX_STANDIN_PORT is read (a bad one stops the program) …
    const badEnv = spawnStandin([], { WX_STANDIN_PORT: 'eighty' });
    await expect(badEnv.ready).rejects.toThrow();
    expect((await badEnv.exited).code).toBe(2);
    expect(badEnv.stderr()).toMatch(/bad port "eighty"/);
    // … and --port wins over it (no fixed port here: tests stay on port 0)
    const standin = spawnStandin(['--port', '0'], { WX_STANDIN_PORT: 'eighty', WX_STANDIN_SCRIPT: script });
    await standin.ready;
    expect((await client(standin.baseUrl).login('test-env')).json.errcode).toBe(45011);
    standin.child.kill('SIGTERM');
    expect((await standin.exited).code).toBe(0);
    // --script wins over WX_STANDIN_SCRIPT
    const flagged = spawnStandin(['--script', 'none'], { WX_STANDIN_PORT: '0', WX_STANDIN_SCRIPT: script });
    await flagged.ready;
    expect((await client(flagged.baseUrl).login('test-env')).json.openid).toBe('env');
    flagged.child.kill('SIGTERM');
    expect((await flagged.exited).code).toBe(0);
  });

  it('exits 1 with a message for a bad script and 2 for bad arguments, printing no ready line', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"msgSecCheck": [{"contains": 1}]}');
    const bad = spawnStandin(['--script', broken]);
    await expect(bad.ready).rejects.toThrow();
    expect((await bad.exited).code).toBe(1);
    expect(bad.stderr()).toMatch(/broken\.json\.msgSecCheck\[0\]\.contains: expected a string/);
    expect(bad.stdout()).toBe('');

    const badPort = spawnStandin(['--port', 'eighty']);
    await expect(badPort.ready).rejects.toThrow();
    expect((await badPort.exited).code).toBe(2);
    expect(badPort.stderr()).toMatch(/bad port "eighty"/);

    const unknown = spawnStandin(['--verbose']);
    await expect(unknown.ready).rejects.toThrow();
    expect((await unknown.exited).code).toBe(2);
  });
});
