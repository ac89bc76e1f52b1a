import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The ballot chain's format, kept small so anyone can recompute it (see
 * docs/ballot-chain.md and tools/verify-poll.mjs):
 *   genesis = sha256("genesis\n" + pollId + "\n" + definition)
 *   hash_n  = sha256(JSON.stringify([pollId, seq, prev, answers, area, heads, channel, receiptHash]))
 * where prev is the genesis for seq 1 and hash_{n-1} after that, and answers are
 * each question's chosen option indexes in ascending order.
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function genesisOf(pollId: string, definition: string): string {
  return sha256(`genesis\n${pollId}\n${definition}`);
}

export interface ChainFields {
  seq: number;
  prev: string;
  answers: number[][];
  area: number;
  heads: number;
  channel: string;
  receiptHash: string;
}

export function entryHash(pollId: string, e: ChainFields): string {
  return sha256(JSON.stringify([pollId, e.seq, e.prev, e.answers, e.area, e.heads, e.channel, e.receiptHash]));
}

/**
 * Stored as canonical JSON text: FerretDB refuses arrays inside arrays
 * ("nested arrays are not supported", docs/database-facts.md).
 */
export function encodeAnswers(answers: readonly (readonly number[])[]): string {
  return JSON.stringify(normaliseAnswers(answers));
}

export function decodeAnswers(text: string): number[][] {
  return JSON.parse(text) as number[][];
}

export function normaliseAnswers(answers: readonly (readonly number[])[]): number[][] {
  return answers.map((a) => [...a].sort((x, y) => x - y));
}

/** Receipt codes: 12 characters of an alphabet without look-alikes, shown as XXXX-XXXX-XXXX. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newReceiptCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

export function normaliseReceipt(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function receiptHashOf(pollId: string, code: string): string {
  return sha256(`receipt\n${pollId}\n${normaliseReceipt(code)}`);
}

/** A receipt lookup cannot know the poll: the receipts collection is keyed by the code alone. */
export function receiptKeyOf(code: string): string {
  return sha256(`receipt-key\n${normaliseReceipt(code)}`);
}

/** The ballot's id: stable for a unit's retries, unlinkable to the unit without the key. */
export function ballotIdOf(ballotKey: string, pollId: string, unitKey: string): string {
  return createHmac('sha256', ballotKey).update(`${pollId}\n${unitKey}`).digest('hex');
}
