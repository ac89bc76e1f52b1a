import { Ballot, ChainEntry, Participation, type BallotDoc, type ChainEntryDoc, type PollDoc } from './models.js';
import { decodeAnswers, entryHash, genesisOf } from './chain.js';
import { tallyPoll } from './tally.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A tampered entry may not even be JSON; that is a finding, not a crash. */
function answersOf(text: string): number[][] {
  try {
    const parsed = decodeAnswers(text);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * Recomputes everything the published result rests on and lists what does not
 * agree: the genesis against the poll's definition, every entry's hash and link,
 * every stored ballot against its chain entry, the count of "has voted" records,
 * and the published tally against a fresh count of the chain.
 */
export async function verifyChain(poll: PollDoc) {
  const pollId = poll._id.toHexString();
  const problems: string[] = [];
  const [entries, ballots, participations] = await Promise.all([
    ChainEntry.find({ pollId: poll._id }).sort({ seq: 1 }).lean<ChainEntryDoc[]>(),
    Ballot.find({ pollId: poll._id }).lean<BallotDoc[]>(),
    Participation.countDocuments({ pollId: poll._id }),
  ]);

  const genesis = poll.roll!.genesis!;
  if (genesisOf(pollId, poll.roll!.definition!) !== genesis) problems.push('投票的定义（问题或名册总数）与链的起点不符');
  const definition = JSON.parse(poll.roll!.definition!) as { title: string; roll: { heads: number; area: number }; questions: unknown[] };
  if (definition.title !== poll.title || definition.roll.heads !== poll.roll!.heads || definition.roll.area !== poll.roll!.area) {
    problems.push('投票的标题或名册总数在发布后被改动过');
  }

  let prev = genesis;
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`第${i + 1}张票的位置不连续（记录为第${e.seq}张）`);
    if (e.prev !== prev) problems.push(`第${e.seq}张票没有接在上一张之后`);
    const fields = { seq: e.seq, prev: e.prev, answers: answersOf(e.answers), area: e.area, heads: e.heads, channel: e.channel, receiptHash: e.receiptHash };
    if (entryHash(pollId, fields) !== e.hash) problems.push(`第${e.seq}张票的内容与它的指纹不符`);
    prev = e.hash;
  });

  const byBallot = new Map(entries.map((e) => [e.ballotId, e]));
  for (const b of ballots) {
    const e = byBallot.get(b._id);
    if (!e) {
      if (poll.publishedAt) problems.push('有一张票没有进入公布的链');
      continue;
    }
    if (b.answers !== e.answers || b.area !== e.area || b.heads !== e.heads || b.channel !== e.channel || b.receiptHash !== e.receiptHash) {
      problems.push(`第${e.seq}张票的存档与链上的记录不一致`);
    }
  }
  if (entries.length > ballots.length) problems.push('链上的票比存档的票多');
  if (ballots.length !== participations) problems.push(`投票记录${participations}条，票${ballots.length}张，数目不一致`);

  const heads = entries.reduce((s, e) => s + e.heads, 0);
  const area = entries.reduce((s, e) => s + e.area, 0);
  if (heads > (poll.roll!.heads ?? 0) || area > (poll.roll!.area ?? 0)) problems.push('票数超过了名册的总数');

  if (poll.publishedAt) {
    const recount = tallyPoll(
      { countingUnit: poll.countingUnit, questions: poll.questions, roll: { heads: poll.roll!.heads!, area: poll.roll!.area! } },
      entries.map((e) => ({ answers: answersOf(e.answers), area: e.area, heads: e.heads })),
    );
    if (!poll.result || !same(recount, JSON.parse(poll.result))) problems.push('公布的结果与按链重新计票的结果不一致');
    if (poll.resultHead !== (entries.at(-1)?.hash ?? genesis)) problems.push('公布结果时的链尾与现在的链尾不同');
  }

  return {
    pollId,
    ok: problems.length === 0,
    entries: entries.length,
    participations,
    head: entries.at(-1)?.hash ?? genesis,
    problems,
  };
}
