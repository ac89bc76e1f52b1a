import { createHash, hkdfSync } from 'node:crypto';
import { Schema, model } from 'mongoose';
import { AppError } from '../app-error.js';
import { openBox, sealBox } from '../crypto/sealed-box.js';
import { isDuplicateKey } from './connection.js';

/**
 * First results of writes sent with an `Idempotency-Key`, so a request that a
 * flaky network repeats returns the first answer instead of acting twice. Kept
 * in the database (not in memory) so every API instance sees them.
 *
 * A record is only what a replay needs, and useless to anyone else: its id is a
 * hash of (caller, route, key), so it names nobody; the first answer is sealed
 * with AES-256-GCM under a key derived from the Idempotency-Key itself, which
 * only the client holds — a database backup or a curious administrator sees
 * ciphertext, not names or booking codes. Records expire after
 * IDEMPOTENCY_KEEP_MINUTES (a TTL index on MongoDB, sweeps on FerretDB:
 * db/expiry.ts). Secret-ballot routes keep no record at all (RouteSpec.unlinkable).
 */
const recordSchema = new Schema(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number, default: null },
    /** iv (12) ‖ tag (16) ‖ ciphertext, base64. */
    sealed: { type: String, default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const IdempotencyRecord = model('IdempotencyRecord', recordSchema, 'idempotency_records');

export type Outcome = { status: number; body: unknown };

export interface IdempotencyOptions {
  keepMinutes: number;
  now?: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function answerKey(scope: string, key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, scope, 'idempotent-answer', 32));
}

function seal(scope: string, key: string, body: unknown): string {
  return sealBox(answerKey(scope, key), Buffer.from(JSON.stringify(body ?? null), 'utf8'));
}

function open(scope: string, key: string, sealed: string): unknown {
  return JSON.parse(openBox(answerKey(scope, key), sealed).toString('utf8'));
}

export async function idempotent(scope: string, key: string, request: unknown, run: () => Promise<Outcome>, options: IdempotencyOptions): Promise<Outcome> {
  const now = options.now ?? new Date();
  const id = sha256(`idempotency\n${scope}\n${key}`);
  // Keyed by the Idempotency-Key too, so the stored hash cannot be matched against guessed bodies.
  const requestHash = sha256(`${key}\n${JSON.stringify(request ?? null)}`);
  try {
    await IdempotencyRecord.create({ _id: id, requestHash, state: 'pending', expiresAt: new Date(now.getTime() + options.keepMinutes * 60_000) });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const first = await IdempotencyRecord.findById(id).lean();
    if (!first || first.expiresAt < now) {
      // Expired but not yet swept: it no longer counts.
      await IdempotencyRecord.deleteOne({ _id: id, expiresAt: { $lt: now } });
      return idempotent(scope, key, request, run, options);
    }
    if (first.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (first.state !== 'done' || !first.sealed) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    return { status: first.status ?? 200, body: open(scope, key, first.sealed) };
  }
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      // A refusal is a result too: the repeat hears the same refusal.
      const body = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
      await IdempotencyRecord.updateOne({ _id: id }, { $set: { state: 'done', status: error.status, sealed: seal(scope, key, body) } });
    } else {
      // The database or something else failed: let the retry run again.
      await IdempotencyRecord.deleteOne({ _id: id }).catch(() => undefined);
    }
    throw error;
  }
  await IdempotencyRecord.updateOne({ _id: id }, { $set: { state: 'done', status: outcome.status, sealed: seal(scope, key, outcome.body) } });
  return outcome;
}
