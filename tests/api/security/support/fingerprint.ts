import { createHash } from 'node:crypto';
import mongoose from 'mongoose';

/**
 * Bookkeeping a refused call may legitimately leave behind: throttles and rate
 * counters count refusals too, idempotency records and sessions are the
 * caller's own, the scheduler's leases move on their own. Everything else must
 * be exactly as it was.
 */
export const BOOKKEEPING = new Set(['rate_counters', 'idempotency_records', 'login_throttles', 'refresh_tokens', 'scheduler_leases']);

export type Fingerprint = Map<string, string>;

/** Every collection's count and a hash of its documents in _id order. */
export async function fingerprint(): Promise<Fingerprint> {
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !BOOKKEEPING.has(n) && !n.startsWith('system.'));
  const out: Fingerprint = new Map();
  for (const name of names.sort()) {
    const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    const hash = createHash('sha256');
    for (const doc of docs) hash.update(mongoose.mongo.BSON.EJSON.stringify(doc, { relaxed: false }));
    out.set(name, `${docs.length}:${hash.digest('hex').slice(0, 16)}`);
  }
  return out;
}

/** The collections whose count or content differ. */
export function changed(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).map((n) => `${n} (${before.get(n)?.split(':')[0] ?? 0}→${after.get(n)?.split(':')[0] ?? 0})`);
}
