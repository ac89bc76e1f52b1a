import { createHash } from 'node:crypto';
import { Schema, model } from 'mongoose';
import { AppError } from '../app-error.js';
import { isDuplicateKey } from './connection.js';

/**
 * First results of writes sent with an `Idempotency-Key`, so a request that a
 * flaky network repeats returns the first answer instead of acting twice. Kept
 * in the database (not in memory) so every API instance sees them; FerretDB has
 * no TTL indexes, so old records are swept now and then.
 */
const recordSchema = new Schema(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number, default: null },
    body: { type: Schema.Types.Mixed, default: null },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);
const IdempotencyRecord = model('IdempotencyRecord', recordSchema, 'idempotency_records');

const KEEP_HOURS = 24;
let sinceSweep = 0;

export type Outcome = { status: number; body: unknown };

export async function idempotent(scope: string, key: string, request: unknown, run: () => Promise<Outcome>, now = new Date()): Promise<Outcome> {
  const id = `${scope}:${key}`;
  const requestHash = createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
  if (++sinceSweep >= 200) {
    sinceSweep = 0;
    void IdempotencyRecord.deleteMany({ expiresAt: { $lt: now } }).catch(() => undefined);
  }
  try {
    await IdempotencyRecord.create({ _id: id, requestHash, state: 'pending', expiresAt: new Date(now.getTime() + KEEP_HOURS * 3_600_000) });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const first = await IdempotencyRecord.findById(id).lean();
    if (!first) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    if (first.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (first.state !== 'done') throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    return { status: first.status ?? 200, body: first.body };
  }
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      // A refusal is a result too: the repeat hears the same refusal.
      const body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
      await IdempotencyRecord.updateOne({ _id: id }, { $set: { state: 'done', status: error.status, body } });
    } else {
      // The database or something else failed: let the retry run again.
      await IdempotencyRecord.deleteOne({ _id: id }).catch(() => undefined);
    }
    throw error;
  }
  await IdempotencyRecord.updateOne({ _id: id }, { $set: { state: 'done', status: outcome.status, body: outcome.body } });
  return outcome;
}
