import mongoose from 'mongoose';
import type { Logger } from '../logger.js';
import { ensureExpiryIndexes } from './expiry.js';

export interface DatabaseInfo {
  server: 'ferretdb' | 'mongodb';
  version: string;
  maxPoolSize: number;
}

// Operator injection (`{ $gt: '' }` where a value belongs) is refused by the
// zod schemas before any query is built. mongoose's global sanitizeFilter is no
// use as a second lock: it also neutralises the services' own `$in`/`$gt`.
mongoose.set('strictQuery', true);

const common = {
  serverSelectionTimeoutMS: 2000,
  connectTimeoutMS: 2000,
  socketTimeoutMS: 20000,
  // A request should fail fast with 503 while the database is away, not queue.
  bufferCommands: false,
} as const;

/**
 * FerretDB runs one connection's commands in order but interleaves several
 * connections, which breaks single-document atomicity (measured: 100 concurrent
 * guarded updates had 11 winners with a pool of 100, exactly 1 with a pool of 1).
 * So we ask the server what it is before choosing the pool size.
 */
export async function probeServer(uri: string): Promise<Omit<DatabaseInfo, 'maxPoolSize'>> {
  const probe = mongoose.createConnection(uri, { ...common, maxPoolSize: 1 });
  try {
    await probe.asPromise();
    const info = (await probe.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    return info.ferretdbVersion
      ? { server: 'ferretdb', version: info.ferretdbVersion }
      : { server: 'mongodb', version: info.version ?? 'unknown' };
  } finally {
    await probe.close().catch(() => undefined);
  }
}

/**
 * Connects the process-wide mongoose connection (models are registered on it).
 * Retries while the server is still starting.
 */
export async function connectDatabase(uri: string, dbName: string, logger: Logger): Promise<DatabaseInfo> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 15; attempt++) {
    try {
      const server = await probeServer(uri);
      const maxPoolSize = server.server === 'ferretdb' ? 1 : 50;
      await mongoose.connect(uri, { ...common, dbName, maxPoolSize, minPoolSize: server.server === 'ferretdb' ? 1 : 0 });
      const info = { ...server, maxPoolSize };
      await ensureExpiryIndexes(server.server);
      logger.info({ database: { ...info, dbName } }, 'database connected');
      return info;
    } catch (error) {
      lastError = error;
      logger.warn({ err: error, attempt }, 'database not reachable yet');
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
    }
  }
  throw lastError;
}

export async function pingDatabase(timeoutMs = 1500): Promise<number> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  const started = performance.now();
  await Promise.race([
    db.admin().command({ ping: 1 }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), timeoutMs)),
  ]);
  return Math.round(performance.now() - started);
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True for errors that mean "the database is away", which the API answers with 503. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  return (
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoServerSelectionError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoPoolClearedError' ||
    (name === 'MongooseError' && /buffering timed out|not connected|Connection was force closed/i.test(error.message)) ||
    (name === 'MongooseServerSelectionError')
  );
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
