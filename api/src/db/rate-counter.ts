import { Schema, model } from 'mongoose';
import { isDuplicateKey } from './connection.js';

/**
 * Fixed-window counters kept in the database, not in process memory, so every
 * API instance behind the load balancer sees the same count. One document per
 * key and window, incremented by a single upsert (atomic per document).
 */
const rateCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export const RateCounter = model('RateCounter', rateCounterSchema, 'rate_counters');

let hitsSinceSweep = 0;

/** Counts one hit and returns the count within the current window. */
export async function countHit(key: string, windowSeconds: number, now = new Date()): Promise<{ count: number; resetAt: Date }> {
  const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
  const resetAt = new Date((windowStart + windowSeconds) * 1000);
  const id = `${key}@${windowStart}`;
  // FerretDB has no TTL indexes, so old windows are swept now and then instead.
  if (++hitsSinceSweep >= 500) {
    hitsSinceSweep = 0;
    void RateCounter.deleteMany({ expiresAt: { $lt: now } }).catch(() => undefined);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const doc = await RateCounter.findOneAndUpdate(
        { _id: id },
        { $inc: { count: 1 }, $setOnInsert: { expiresAt: resetAt } },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      return { count: doc?.count ?? 1, resetAt };
    } catch (error) {
      // Two first hits of a window can both try to insert; the loser retries as an update.
      if (!isDuplicateKey(error) || attempt === 1) throw error;
    }
  }
  throw new Error('unreachable');
}
