import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../../api/src/app';
import { loadConfig, type Config } from '../../../api/src/config';
import { connectDatabase, type DatabaseInfo } from '../../../api/src/db/connection';
import { createLogger } from '../../../api/src/logger';
import { createServices } from '../../../api/src/modules/services';
import { seedDemo } from '../../../api/src/seed/demo';
import type { LoginResponse } from '@community/shared';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for raw uploads and malformed JSON). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestApi {
  baseUrl: string;
  config: Config;
  database: DatabaseInfo;
  app: ReturnType<typeof createApp>;
  services: ReturnType<typeof createServices>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  loginWechat(openid: string): Promise<LoginResponse>;
  loginStaff(username: string, password?: string): Promise<LoginResponse>;
  seed(): Promise<{ communityId: string }>;
  close(): Promise<void>;
}

export const wxBase = () => required('TEST_WX_API_BASE');
export const mongoUri = () => required('TEST_MONGODB_URI');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the API tests through jest (global setup starts the stack)`);
  return value;
}

/** A database name of this test file's own, so files can run side by side. */
export function databaseNameFor(testFile: string): string {
  const base = path.basename(testFile).replace(/\W+/g, '_').slice(0, 30);
  return `t_${base}_${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the real app on port 0 against a fresh database of this test file.
 * Everything goes through HTTP, as a client would.
 */
export async function startTestApi(testFile: string, env: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: mongoUri(),
    MONGODB_DB: databaseNameFor(testFile),
    WX_API_BASE: wxBase(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  });
  const logger = createLogger(config.logLevel);
  // A second app in the same test file (to try other settings) shares the first one's connection.
  const owner = mongoose.connection.readyState !== 1;
  const database = owner
    ? await connectDatabase(config.mongodbUri, config.mongodbDb, logger)
    : { server: 'ferretdb' as const, version: 'shared', maxPoolSize: 1 };
  const services = createServices(config);
  const app = createApp({ config, logger, database, services });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const request = async <T>(method: string, urlPath: string, options: RequestOptions = {}): Promise<HttpResult<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  };

  const expectOk = <T>(result: HttpResult<T>, what: string): T => {
    if (result.status >= 300) throw new Error(`${what} failed: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  };

  return {
    baseUrl,
    config,
    database,
    app,
    services,
    request,
    loginWechat: async (openid) => expectOk(await request<LoginResponse>('POST', '/api/v1/auth/wechat', { body: { code: `test-${openid}` } }), `login ${openid}`),
    loginStaff: async (username, password = 'community2026') =>
      expectOk(await request<LoginResponse>('POST', '/api/v1/auth/staff', { body: { username, password } }), `staff login ${username}`),
    seed: () => seedDemo(services, config.wechat.appid),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!owner) return;
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    },
  };
}

/**
 * A database server of this test's own (for outage tests): the same binary the
 * global setup built, on a port it keeps across restarts.
 */
export async function startOwnDevdb(port: number, pgDatabase: string): Promise<{ uri: string; kill(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const bin = process.env.DEVDB_BIN;
  if (!bin) throw new Error('DEVDB_BIN is not set: the global setup builds it');
  const proc = spawn(bin, ['-log-level', 'off', '-port', String(port), '-storage', 'postgresql', '-postgresql-url', `postgres://postgres@127.0.0.1:5432/${pgDatabase}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('devdb did not start')), 20_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('devdb: ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`devdb exited with ${code}`)));
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    kill: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

export async function freeTcpPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
