import { Schema, model } from 'mongoose';
import { isDuplicateKey } from './connection.js';

/**
 * Counters kept in the database, not in process memory, so every API instance
 * behind the load balancer sees the same count. One document per key and
 * window, incremented by a single upsert (atomic per document).
 */
const rateCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    // Indexed by db/expiry.ts: a TTL index on MongoDB, a plain one (and the sweep) on FerretDB.
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const RateCounter = model('RateCounter', rateCounterSchema, 'rate_counters');

let hitsSinceSweep = 0;

/**
 * Counts one hit and returns the count over the sliding window that ends now.
 * The sliding count is the usual two-window estimate: this window's hits plus
 * the previous window's, weighted by how much of it still lies within the last
 * `windowSeconds`. A fixed window let twice the limit through across a
 * boundary (limit at 0:59, limit again at 1:00); this one never lets more than
 * about the limit through in any window-long stretch.
 */
export async function countHit(key: string, windowSeconds: number, now = new Date()): Promise<{ count: number; resetAt: Date }> {
  const { current, previous, windowStart } = await bump(key, windowSeconds, now);
  const elapsed = (now.getTime() / 1000 - windowStart) / windowSeconds;
  const count = current + Math.floor(previous * (1 - elapsed));
  // When enough of the previous window will have slid out for one more hit.
  const resetAt = new Date((windowStart + windowSeconds) * 1000);
  return { count, resetAt };
}

/** The sliding count without adding a hit (to ask "is this key already over?"). */
export async function peekCount(key: string, windowSeconds: number, now = new Date()): Promise<number> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  const [current, previous] = await Promise.all([
    RateCounter.findById(`${key}@${windowStart}`).lean(),
    RateCounter.findById(`${key}@${windowStart - windowSeconds}`).lean(),
  ]);
  const elapsed = (now.getTime() / 1000 - windowStart) / windowSeconds;
  return (current?.count ?? 0) + Math.floor((previous?.count ?? 0) * (1 - elapsed));
}

async function bump(key: string, windowSeconds: number, now: Date): Promise<{ current: number; previous: number; windowStart: number }> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  // Kept for two windows: the next window still weighs this one.
  const expiresAt = new Date((windowStart + 2 * windowSeconds) * 1000);
  const id = `${key}@${windowStart}`;
  if (++hitsSinceSweep >= 500) {
    hitsSinceSweep = 0;
    void sweepRateCounters(now).catch(() => undefined);
  }
  const previous = RateCounter.findById(`${key}@${windowStart - windowSeconds}`).lean();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const doc = await RateCounter.findOneAndUpdate(
        { _id: id },
        { $inc: { count: 1 }, $setOnInsert: { expiresAt } },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      return { current: doc?.count ?? 1, previous: (await previous)?.count ?? 0, windowStart };
    } catch (error) {
      // Two first hits of a window can both try to insert; the loser retries as an update.
      if (!isDuplicateKey(error) || attempt === 1) throw error;
    }
  }
  throw new Error('unreachable');
}

/** FerretDB has no TTL indexes: the background loop and every 500th hit remove old windows. */
export async function sweepRateCounters(now = new Date()): Promise<number> {
  const { deletedCount } = await RateCounter.deleteMany({ expiresAt: { $lt: now } });
  return deletedCount;
}
