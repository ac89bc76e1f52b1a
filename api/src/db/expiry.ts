import mongoose from 'mongoose';
import type { DatabaseInfo } from './connection.js';

/**
 * Collections whose documents carry `expiresAt` and mean nothing after it. On
 * MongoDB a TTL index removes them by itself; FerretDB answers a TTL index
 * with an error (docs/database-facts.md), so there it gets a plain index and
 * the background loop's sweeps (`sweepExpired`) do the removing.
 */
export const EXPIRING_COLLECTIONS = ['idempotency_records', 'rate_counters', 'login_throttles'] as const;

export async function ensureExpiryIndexes(server: DatabaseInfo['server']): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  for (const name of EXPIRING_COLLECTIONS) {
    const collection = db.collection(name);
    const options = server === 'mongodb' ? { name: 'expiresAt_ttl', expireAfterSeconds: 0 } : { name: 'expiresAt_1' };
    await collection.createIndex({ expiresAt: 1 }, options).catch((error: unknown) => {
      // An index of the other kind from an earlier version: replace it.
      if ((error as { codeName?: string }).codeName !== 'IndexOptionsConflict' && (error as { codeName?: string }).codeName !== 'IndexKeySpecsConflict') throw error;
      return collection.dropIndex({ expiresAt: 1 } as never).then(() => collection.createIndex({ expiresAt: 1 }, options));
    });
  }
}

/** Removes what has expired, whatever the server; safe to run from every instance at once. */
export async function sweepExpired(now = new Date()): Promise<Record<string, number>> {
  const db = mongoose.connection.db;
  const removed: Record<string, number> = {};
  if (!db) return removed;
  for (const name of EXPIRING_COLLECTIONS) {
    const { deletedCount } = await db.collection(name).deleteMany({ expiresAt: { $lt: now } });
    removed[name] = deletedCount;
  }
  return removed;
}
