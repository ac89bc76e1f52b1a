import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { openBox, sealBox } from '../../crypto/sealed-box.js';

/**
 * The ballot chain's format, kept small so anyone can recompute it (see
 * docs/ballot-chain.md and tools/verify-poll.mjs):
 *   genesis = sha256("genesis\n" + pollId + "\n" + definition)
 *   hash_n  = sha256(JSON.stringify([pollId, seq, prev, content]))
 * where prev is the genesis for seq 1 and hash_{n-1} after that, and content is
 * one batch of ballots in the canonical shape of `canonicalContent`: its
 * totals, per question and option the heads and area that chose it, its
 * channels as counts, the sorted receipt hashes, and — named polls only — the
 * ballots themselves (`ballots`, one row each; null for a secret poll).
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function genesisOf(pollId: string, definition: string): string {
  return sha256(`genesis\n${pollId}\n${definition}`);
}

export interface BallotRow {
  answers: number[][];
  area: number;
  heads: number;
  channel: string;
  receiptHash: string;
}

export interface OptionSum {
  heads: number;
  area: number;
}

export interface EntryContent {
  count: number;
  heads: number;
  area: number;
  channels: { online: number; paper: number; door: number };
  questions: { options: OptionSum[] }[];
  receiptHashes: string[];
  ballots: BallotRow[] | null;
}

/** What a stored or published entry may look like (tampered ones included): rebuilt field by field. */
export function canonicalContent(c: Partial<EntryContent> | null | undefined): EntryContent {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const channels = (c?.channels ?? {}) as Partial<EntryContent['channels']>;
  return {
    count: n(c?.count),
    heads: n(c?.heads),
    area: n(c?.area),
    channels: { online: n(channels.online), paper: n(channels.paper), door: n(channels.door) },
    questions: (Array.isArray(c?.questions) ? c!.questions : []).map((q) => ({
      options: (Array.isArray(q?.options) ? q.options : []).map((o) => ({ heads: n(o?.heads), area: n(o?.area) })),
    })),
    receiptHashes: Array.isArray(c?.receiptHashes) ? c!.receiptHashes.map(String) : [],
    ballots: Array.isArray(c?.ballots)
      ? c!.ballots.map((b) => ({ answers: b.answers, area: n(b.area), heads: n(b.heads), channel: String(b.channel), receiptHash: String(b.receiptHash) }))
      : null,
  };
}

/**
 * One batch's content from its ballots. `optionCounts[qi]` is how many options
 * question qi has, so every option appears (with 0) whether chosen or not.
 */
export function batchContent(optionCounts: readonly number[], ballots: readonly BallotRow[], named: boolean): EntryContent {
  const content: EntryContent = {
    count: ballots.length,
    heads: 0,
    area: 0,
    channels: { online: 0, paper: 0, door: 0 },
    questions: optionCounts.map((n) => ({ options: Array.from({ length: n }, () => ({ heads: 0, area: 0 })) })),
    receiptHashes: ballots.map((b) => b.receiptHash).sort(),
    ballots: named ? ballots.map((b) => ({ answers: normaliseAnswers(b.answers), area: b.area, heads: b.heads, channel: b.channel, receiptHash: b.receiptHash })) : null,
  };
  for (const b of ballots) {
    content.heads += b.heads;
    content.area += b.area;
    if (b.channel in content.channels) content.channels[b.channel as keyof EntryContent['channels']]++;
    b.answers.forEach((picks, qi) => {
      for (const pick of picks) {
        const o = content.questions[qi]?.options[pick];
        if (!o) continue;
        o.heads += b.heads;
        o.area += b.area;
      }
    });
  }
  return content;
}

export function entryHash(pollId: string, e: { seq: number; prev: string; content: Partial<EntryContent> }): string {
  return sha256(JSON.stringify([pollId, e.seq, e.prev, canonicalContent(e.content)]));
}

/** Stored as canonical JSON text: FerretDB refuses arrays inside arrays ("nested arrays are not supported"). */
export function encodeContent(content: EntryContent): string {
  return JSON.stringify(canonicalContent(content));
}

/** A tampered entry may not even be JSON; that is a finding for the verifier, not a crash. */
export function decodeContent(text: string): EntryContent {
  try {
    return canonicalContent(JSON.parse(text) as Partial<EntryContent>);
  } catch {
    return canonicalContent(null);
  }
}

/** Named ballots keep their answers as canonical JSON text (no nested arrays in FerretDB). */
export function encodeAnswers(answers: readonly (readonly number[])[]): string {
  return JSON.stringify(normaliseAnswers(answers));
}

export function decodeAnswers(text: string): number[][] {
  return JSON.parse(text) as number[][];
}

export function normaliseAnswers(answers: readonly (readonly number[])[]): number[][] {
  return answers.map((a) => [...a].sort((x, y) => x - y));
}

/**
 * Receipt codes: 12 characters of an alphabet without look-alikes, shown as
 * XXXX-XXXX-XXXX. Derived from the poll and unit under the ballot key, so a
 * retried cast, and the voter's poll page later, show the same code with
 * nothing stored next to the voter.
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function receiptCodeOf(ballotKey: string, pollId: string, unitKey: string): string {
  let n = BigInt(`0x${createHmac('sha256', ballotKey).update(`receipt\n${pollId}\n${unitKey}`).digest('hex')}`);
  const base = BigInt(ALPHABET.length);
  let code = '';
  for (let i = 0; i < 12; i++) {
    code += ALPHABET[Number(n % base)];
    n /= base;
  }
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

/**
 * A secret ballot waiting for the close, sealed with AES-256-GCM under a key
 * derived from the ballot key. The plaintext is padded to one fixed length, so
 * the ciphertext's length says nothing of the choice; the poll and ballot id
 * are authenticated with it, so a ciphertext moved to another document fails.
 */
export interface WaitingBallot {
  answers: number[][];
  area: number;
  heads: number;
  channel: string;
}
const PADDED = 1024;
const atRestKeys = new Map<string, Buffer>();
function atRestKey(ballotKey: string): Buffer {
  let key = atRestKeys.get(ballotKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', ballotKey, Buffer.alloc(0), 'ballot-at-rest', 32));
    atRestKeys.set(ballotKey, key);
  }
  return key;
}

export function encryptBallot(ballotKey: string, pollId: string, ballotId: string, ballot: WaitingBallot): string {
  const json = JSON.stringify({ answers: normaliseAnswers(ballot.answers), area: ballot.area, heads: ballot.heads, channel: ballot.channel });
  const plain = Buffer.from(json, 'utf8');
  // The schema caps a ballot far below this (10 questions of 20 options); refusing beats leaking a length.
  if (plain.length > PADDED) throw new RangeError('ballot too large to seal at a fixed length');
  const padded = Buffer.concat([plain, Buffer.alloc(PADDED - plain.length, 0x20)]);
  return sealBox(atRestKey(ballotKey), padded, `${pollId}\n${ballotId}`);
}

export function decryptBallot(ballotKey: string, pollId: string, ballotId: string, sealed: string): WaitingBallot {
  return JSON.parse(openBox(atRestKey(ballotKey), sealed, `${pollId}\n${ballotId}`).toString('utf8')) as WaitingBallot;
}
