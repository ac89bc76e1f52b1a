import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKey } from '../../db/connection.js';
import { batchContent, decodeAnswers, decodeContent, decryptBallot, encodeContent, entryHash, type BallotRow } from './chain.js';
import { Ballot, ChainEntry, Poll, type BallotDoc, type ChainEntryDoc, type PollDoc } from './models.js';

export const chainEntryId = (pollId: string, seq: number) => `${pollId}|${String(seq).padStart(9, '0')}`;

/** A secret poll's batch: at most this many ballots (and never fewer than five once five have voted). */
export const SECRET_BATCH = 500;

/**
 * Splits n ballots into the fewest batches of at most SECRET_BATCH, as even as
 * possible: 501 ballots are 251 + 250, never 500 + 1, so no batch is so small
 * that its sums give away its ballots.
 */
export function batchSizes(n: number): number[] {
  if (n === 0) return [];
  const k = Math.ceil(n / SECRET_BATCH);
  const base = Math.floor(n / k);
  return Array.from({ length: k }, (_, i) => base + (i < n % k ? 1 : 0));
}

interface Head {
  seq: number;
  hash: string;
}

/**
 * Puts waiting ballots into the chain. Every place in the chain is a unique
 * insert (`<pollId>|<seq>`), so sealers in several API instances can race
 * without forking the chain; a named ballot is sealed once (unique `ballotId`),
 * a secret one is deleted right after its batch is in the chain, and every run
 * first finishes what an earlier (crashed or raced) run left half done.
 * One run per process per poll avoids needless collisions.
 */
export class Sealer {
  private readonly running = new Map<string, Promise<number>>();
  private readonly again = new Set<string>();

  constructor(private readonly ballotKey: string) {}

  /** Seals now (after any sealing under way); resolves with how many ballots were sealed. */
  seal(pollId: string, opts: { all?: boolean } = {}): Promise<number> {
    const previous = this.running.get(pollId) ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => sealPoll(pollId, this.ballotKey, opts));
    this.running.set(pollId, next);
    void next
      .finally(() => {
        if (this.running.get(pollId) === next) this.running.delete(pollId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * After a named poll's cast: many casts at once coalesce into one sealing run
   * plus at most one more, instead of a queue of one run per ballot.
   */
  kick(pollId: string): void {
    if (this.running.has(pollId)) {
      if (this.again.has(pollId)) return;
      this.again.add(pollId);
      void this.running
        .get(pollId)!
        .catch(() => 0)
        .then(() => {
          this.again.delete(pollId);
          return this.seal(pollId);
        })
        .catch(() => undefined);
      return;
    }
    void this.seal(pollId).catch(() => undefined);
  }

  /** Waits for whatever sealing is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.again.size > 0) {
      await Promise.allSettled([...this.running.values()]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * The poll's recorded head, walked forward over entries a crashed or racing
 * sealer inserted but did not record. For each such entry it first finishes that
 * sealer's work (a secret batch's waiting ballots deleted, a named ballot marked
 * sealed), so a recorded head always means "everything up to here is done".
 */
async function currentHead(pollId: string): Promise<Head> {
  const poll = (await Poll.findById(pollId).lean<PollDoc>())!;
  let head: Head = { seq: poll.head?.seq ?? 0, hash: poll.head?.hash ?? poll.roll!.genesis! };
  for (;;) {
    const next = await ChainEntry.findById(chainEntryId(pollId, head.seq + 1)).lean<ChainEntryDoc>();
    if (!next) break;
    await finishEntry(poll._id, next);
    head = { seq: next.seq, hash: next.hash };
  }
  if (head.seq !== (poll.head?.seq ?? 0)) {
    await Poll.updateOne({ _id: poll._id, 'head.seq': { $lt: head.seq } }, { $set: { head } }, { timestamps: false });
  }
  return head;
}

async function finishEntry(pollId: Types.ObjectId, entry: ChainEntryDoc): Promise<void> {
  const content = decodeContent(entry.content);
  if (content.ballots === null) {
    if (content.receiptHashes.length > 0) await Ballot.deleteMany({ pollId, receiptHash: { $in: content.receiptHashes }, sealed: { $exists: true } });
  } else {
    await Ballot.updateOne({ _id: entry.ballotId, sealedSeq: null }, { $set: { sealedSeq: entry.seq } });
  }
}

async function sealPoll(pollId: string, ballotKey: string, { all = false }: { all?: boolean }): Promise<number> {
  const poll = await Poll.findById(pollId).lean<PollDoc>();
  if (!poll?.roll?.genesis) return 0;
  if (poll.secrecy === 'secret') return all ? sealSecret(poll, ballotKey) : 0;
  return sealNamed(poll);
}

const optionCountsOf = (poll: PollDoc) => poll.questions.map((q) => (q.kind === 'yesno' ? 3 : (q.options ?? []).length));

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * A secret poll, once, at the close: every waiting ballot is decrypted, the lot
 * shuffled and cut into batches, and each batch enters the chain as sums only.
 * A lost place means another sealer got there first: walk to the new head (which
 * deletes what it sealed), read what is still waiting and cut again.
 */
async function sealSecret(poll: PollDoc, ballotKey: string): Promise<number> {
  const pollId = poll._id.toHexString();
  const optionCounts = optionCountsOf(poll);
  let sealed = 0;
  let limit: number | null = null;
  for (let attempt = 0; ; attempt++) {
    let head = await currentHead(pollId);
    const waiting = await Ballot.find({ pollId: poll._id, sealed: { $exists: true } }).lean<BallotDoc[]>();
    const rows: BallotRow[] = [];
    for (const b of waiting) {
      try {
        rows.push({ ...decryptBallot(ballotKey, pollId, b._id, b.sealed!), receiptHash: b.receiptHash });
      } catch {
        // A ciphertext that does not open was altered in the database: it stays out of the count,
        // and /verify reports the ballot that never reached the chain.
      }
    }
    if (rows.length === 0) return sealed;
    shuffle(rows);
    let lost = false;
    let at = 0;
    for (const size of batchSizes(rows.length)) {
      const batch = rows.slice(at, at + size);
      at += size;
      const seq = head.seq + 1;
      const content = batchContent(optionCounts, batch, false);
      const hash = entryHash(pollId, { seq, prev: head.hash, content });
      const id = chainEntryId(pollId, seq);
      try {
        await ChainEntry.create({ _id: id, pollId: poll._id, seq, prev: head.hash, hash, ballotId: `batch:${id}`, content: encodeContent(content) });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        lost = true;
        break;
      }
      await Ballot.deleteMany({ pollId: poll._id, receiptHash: { $in: content.receiptHashes }, sealed: { $exists: true } });
      await Poll.updateOne({ _id: poll._id, 'head.seq': head.seq }, { $set: { head: { seq, hash } } }, { timestamps: false });
      head = { seq, hash };
      sealed += batch.length;
    }
    if (!lost) return sealed;
    limit ??= waiting.length + 10;
    if (attempt > limit) throw new Error('sealing kept losing its place in the chain');
    if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20) * 2));
  }
}

/** A named poll, as ballots arrive: one entry per ballot, in the order of their keyed ids. */
async function sealNamed(poll: PollDoc): Promise<number> {
  const pollId = poll._id.toHexString();
  const optionCounts = optionCountsOf(poll);
  const pending = await Ballot.find({ pollId: poll._id, sealedSeq: null }).sort({ _id: 1 }).lean<BallotDoc[]>();
  if (pending.length === 0) return 0;
  let head = await currentHead(pollId);
  let sealed = 0;
  // Every lost place is a place another sealer filled, so a run can lose at most once per ballot
  // of the poll: past that something is wrong. (A fixed small cap failed a loaded machine's storm
  // test: three sealers racing over 300 ballots can beat a slow one many times in a row.)
  let limit: number | null = null;
  for (const ballot of pending) {
    const row: BallotRow = { answers: decodeAnswers(ballot.answers!), area: ballot.area!, heads: ballot.heads!, channel: ballot.channel!, receiptHash: ballot.receiptHash };
    const content = batchContent(optionCounts, [row], true);
    for (let attempt = 0; ; attempt++) {
      const seq = head.seq + 1;
      const hash = entryHash(pollId, { seq, prev: head.hash, content });
      try {
        await ChainEntry.create({ _id: chainEntryId(pollId, seq), pollId: poll._id, seq, prev: head.hash, hash, ballotId: ballot._id, content: encodeContent(content) });
        await Ballot.updateOne({ _id: ballot._id, sealedSeq: null }, { $set: { sealedSeq: seq } });
        await Poll.updateOne({ _id: poll._id, 'head.seq': head.seq }, { $set: { head: { seq, hash } } }, { timestamps: false });
        head = { seq, hash };
        sealed++;
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        limit ??= (await Ballot.countDocuments({ pollId: poll._id })) + 10;
        if (attempt > limit) throw error;
        // Either this ballot is already in the chain (another sealer got it), or the place was taken.
        const already = await ChainEntry.findOne({ pollId: poll._id, ballotId: ballot._id }).lean<ChainEntryDoc>();
        if (already) {
          await Ballot.updateOne({ _id: ballot._id, sealedSeq: null }, { $set: { sealedSeq: already.seq } });
          head = await currentHead(pollId);
          break;
        }
        // Someone else is sealing right now: let them get ahead instead of colliding on every place.
        if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20) * 2));
        head = await currentHead(pollId);
      }
    }
  }
  return sealed;
}
