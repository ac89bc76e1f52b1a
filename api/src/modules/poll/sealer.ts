import { Types } from 'mongoose';
import { isDuplicateKey } from '../../db/connection.js';
import { decodeAnswers, entryHash } from './chain.js';
import { Ballot, ChainEntry, Poll, type BallotDoc, type ChainEntryDoc, type PollDoc } from './models.js';

export const chainEntryId = (pollId: string, seq: number) => `${pollId}|${String(seq).padStart(9, '0')}`;

/**
 * A secret poll's ballots are sealed only once this many are waiting (or at the
 * close), in the order of their keyed-hash ids: a lone ballot sealed the moment
 * it arrives could be matched to the one voter who voted just then.
 */
export const SECRET_BATCH = 5;

interface Head {
  seq: number;
  hash: string;
}

/**
 * Puts waiting ballots into the chain. Every place in the chain is a unique
 * insert (`<pollId>|<seq>`), and every ballot can be sealed once (unique
 * `ballotId`), so sealers in several API instances can race without forking the
 * chain or sealing twice; one per process per poll avoids needless collisions.
 */
export class Sealer {
  private readonly running = new Map<string, Promise<number>>();
  private readonly again = new Set<string>();

  /** Seals now (after any sealing under way); resolves with how many were sealed. */
  seal(pollId: string, opts: { all?: boolean } = {}): Promise<number> {
    const previous = this.running.get(pollId) ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => sealPoll(pollId, opts));
    this.running.set(pollId, next);
    void next
      .finally(() => {
        if (this.running.get(pollId) === next) this.running.delete(pollId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * After a cast: many casts at once coalesce into one sealing run plus at most
   * one more, instead of a queue of one run per ballot.
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

/** The poll's recorded head, walked forward over entries a crashed sealer inserted but did not record. */
async function currentHead(poll: PollDoc): Promise<Head> {
  const pollId = poll._id.toHexString();
  let head: Head = { seq: poll.head?.seq ?? 0, hash: poll.head?.hash ?? poll.roll!.genesis! };
  for (;;) {
    const next = await ChainEntry.findById(chainEntryId(pollId, head.seq + 1)).lean<ChainEntryDoc>();
    if (!next) break;
    head = { seq: next.seq, hash: next.hash };
  }
  if (head.seq !== (poll.head?.seq ?? 0)) {
    await Poll.updateOne({ _id: poll._id, 'head.seq': { $lt: head.seq } }, { $set: { head } });
  }
  return head;
}

async function sealPoll(pollId: string, { all = false }: { all?: boolean }): Promise<number> {
  const poll = await Poll.findById(pollId).lean<PollDoc>();
  if (!poll?.roll?.genesis) return 0;
  const pending = await Ballot.find({ pollId: new Types.ObjectId(pollId), sealedSeq: null }).sort({ _id: 1 }).lean<BallotDoc[]>();
  if (pending.length === 0) return 0;
  if (poll.secrecy === 'secret' && !all && pending.length < SECRET_BATCH) return 0;

  let head = await currentHead(poll);
  let sealed = 0;
  // Every lost place is a place another sealer filled, so a run can lose at most once per ballot
  // of the poll: past that something is wrong. (A fixed small cap failed a loaded machine's storm
  // test: three sealers racing over 300 ballots can beat a slow one many times in a row.)
  let limit: number | null = null;
  for (const ballot of pending) {
    for (let attempt = 0; ; attempt++) {
      const seq = head.seq + 1;
      const fields = {
        seq,
        prev: head.hash,
        answers: decodeAnswers(ballot.answers),
        area: ballot.area,
        heads: ballot.heads,
        channel: ballot.channel,
        receiptHash: ballot.receiptHash,
      };
      const hash = entryHash(pollId, fields);
      try {
        await ChainEntry.create({ _id: chainEntryId(pollId, seq), pollId: poll._id, ballotId: ballot._id, hash, ...fields, answers: ballot.answers });
        await Ballot.updateOne({ _id: ballot._id, sealedSeq: null }, { $set: { sealedSeq: seq } });
        await Poll.updateOne({ _id: poll._id, 'head.seq': head.seq }, { $set: { head: { seq, hash } } });
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
          head = await currentHead((await Poll.findById(pollId).lean<PollDoc>())!);
          break;
        }
        // Someone else is sealing right now: let them get ahead instead of colliding on every place.
        if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20) * 2));
        head = await currentHead((await Poll.findById(pollId).lean<PollDoc>())!);
      }
    }
  }
  return sealed;
}
