import { Ballot, ChainEntry, Participation, type BallotDoc, type ChainEntryDoc, type PollDoc } from './models.js';
import { batchContent, decodeAnswers, decodeContent, entryHash, genesisOf, type EntryContent } from './chain.js';
import { tallyPoll } from './tally.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function answersOf(text: string | null | undefined): number[][] {
  try {
    const parsed = decodeAnswers(text ?? '');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** A batch's sums must hang together, so an edit that kept the hashes right still shows. */
function inconsistency(poll: PollDoc, content: EntryContent, optionCounts: number[]): string | null {
  const { count, heads, area, channels, questions, receiptHashes, ballots } = content;
  if (poll.secrecy === 'secret' && ballots !== null) return '不记名投票的链上出现了单张选票';
  if (poll.secrecy === 'named' && (ballots === null || ballots.length !== 1)) return '记名投票的链上应当每张票一条';
  if (ballots !== null && !same(batchContent(optionCounts, ballots, true), content)) return '合计与其中的选票不符';
  if (channels.online + channels.paper + channels.door !== count || receiptHashes.length !== count) return '张数对不上';
  if (questions.length !== optionCounts.length || questions.some((q, qi) => q.options.length !== optionCounts[qi])) return '题目或选项数与投票的定义不符';
  for (const [qi, q] of poll.questions.entries()) {
    const sums = questions[qi]!.options;
    const h = sums.reduce((s, o) => s + o.heads, 0);
    const a = sums.reduce((s, o) => s + o.area, 0);
    if (q.kind !== 'multiple' && (h !== heads || a !== area)) return `第${qi + 1}题的票数合计与这一条的张数不符`;
    if (q.kind === 'multiple' && (sums.some((o) => o.heads > heads || o.area > area) || h < heads)) return `第${qi + 1}题的票数合计与这一条的张数不符`;
  }
  return null;
}

/**
 * Recomputes everything the published result rests on and lists what does not
 * agree: the genesis against the poll's definition, every entry's hash, link
 * and inner sums, every stored named ballot against its chain entry, the count
 * of "has voted" records against the ballots counted and waiting, and the
 * published tally against a fresh count of the chain.
 */
export async function verifyChain(poll: PollDoc) {
  const pollId = poll._id.toHexString();
  const problems: string[] = [];
  const [entries, ballots, participations] = await Promise.all([
    ChainEntry.find({ pollId: poll._id }).sort({ seq: 1 }).lean<ChainEntryDoc[]>(),
    Ballot.find({ pollId: poll._id }).lean<BallotDoc[]>(),
    Participation.countDocuments({ pollId: poll._id }),
  ]);
  const optionCounts = poll.questions.map((q) => (q.kind === 'yesno' ? 3 : (q.options ?? []).length));
  const secret = poll.secrecy === 'secret';

  const genesis = poll.roll!.genesis!;
  if (genesisOf(pollId, poll.roll!.definition!) !== genesis) problems.push('投票的定义（问题或名册总数）与链的起点不符');
  const definition = JSON.parse(poll.roll!.definition!) as { title: string; secrecy?: string; roll: { heads: number; area: number }; questions: unknown[] };
  if (definition.title !== poll.title || definition.roll.heads !== poll.roll!.heads || definition.roll.area !== poll.roll!.area || (definition.secrecy ?? poll.secrecy) !== poll.secrecy) {
    problems.push('投票的标题、记名方式或名册总数在发布后被改动过');
  }

  let prev = genesis;
  const contents = entries.map((e, i) => {
    const content = decodeContent(e.content);
    if (e.seq !== i + 1) problems.push(`第${i + 1}条记录的位置不连续（记录为第${e.seq}条）`);
    if (e.prev !== prev) problems.push(`第${e.seq}条记录没有接在上一条之后`);
    if (entryHash(pollId, { seq: e.seq, prev: e.prev, content }) !== e.hash) problems.push(`第${e.seq}条记录的内容与它的指纹不符`);
    const wrong = inconsistency(poll, content, optionCounts);
    if (wrong) problems.push(`第${e.seq}条记录：${wrong}`);
    prev = e.hash;
    return content;
  });

  const seen = new Set<string>();
  for (const c of contents) for (const h of c.receiptHashes) {
    if (seen.has(h)) problems.push('同一张票在链上出现了两次');
    seen.add(h);
  }
  const counted = contents.reduce((s, c) => s + c.count, 0);

  if (secret) {
    // Waiting ballots are ciphertext until the close; nothing stays of them once their batch is in the chain.
    const waiting = ballots.filter((b) => b.sealed);
    if (ballots.length !== waiting.length) problems.push('不记名投票存有明文的票');
    if (waiting.some((b) => seen.has(b.receiptHash))) problems.push('有已经计入链上的票还留在待封存的票里');
    if (poll.publishedAt && waiting.length > 0) problems.push(`有${waiting.length}张票没有进入公布的链`);
    if (counted + waiting.length !== participations) problems.push(`投票记录${participations}条，票${counted + waiting.length}张，数目不一致`);
  } else {
    const byBallot = new Map(entries.map((e, i) => [e.ballotId, contents[i]!]));
    for (const b of ballots) {
      const row = byBallot.get(b._id)?.ballots?.[0];
      if (!row) {
        if (poll.publishedAt) problems.push('有一张票没有进入公布的链');
        continue;
      }
      if (!same(answersOf(b.answers), row.answers) || b.area !== row.area || b.heads !== row.heads || b.channel !== row.channel || b.receiptHash !== row.receiptHash) {
        problems.push(`第${b.sealedSeq ?? '?'}张票的存档与链上的记录不一致`);
      }
    }
    if (counted > ballots.length) problems.push('链上的票比存档的票多');
    if (ballots.length !== participations) problems.push(`投票记录${participations}条，票${ballots.length}张，数目不一致`);
  }

  const heads = contents.reduce((s, c) => s + c.heads, 0);
  const area = contents.reduce((s, c) => s + c.area, 0);
  if (heads > (poll.roll!.heads ?? 0) || area > (poll.roll!.area ?? 0)) problems.push('票数超过了名册的总数');

  if (poll.publishedAt) {
    let recount: unknown = null;
    try {
      recount = tallyPoll({ countingUnit: poll.countingUnit, questions: poll.questions, roll: { heads: poll.roll!.heads!, area: poll.roll!.area! } }, contents);
    } catch {
      // The counting rules refuse impossible sums (more than the roll); already reported above.
    }
    if (!poll.result || !same(recount, JSON.parse(poll.result))) problems.push('公布的结果与按链重新计票的结果不一致');
    if (poll.resultHead !== (entries.at(-1)?.hash ?? genesis)) problems.push('公布结果时的链尾与现在的链尾不同');
    if (poll.resultBallots !== null && poll.resultBallots !== undefined && poll.resultBallots !== counted) problems.push('公布的票数与链上的票数不同');
  }

  return {
    pollId,
    ok: problems.length === 0,
    entries: entries.length,
    ballots: counted,
    participations,
    head: entries.at(-1)?.hash ?? genesis,
    problems,
  };
}
