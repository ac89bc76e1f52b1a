import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId, reason } from './common.js';
import { explainOwnerVote, ownerMatters, type OwnerMatter } from '../votes/art278.js';

// --- Polls (V3–V9, V11) ---
export const pollQuestionKinds = ['single', 'multiple', 'yesno'] as const;
export type PollQuestionKind = (typeof pollQuestionKinds)[number];

/**
 * Who holds one ballot: each verified resident; each room (户); or each owner
 * under art. 278 (the owner register, headcount and exclusive area).
 */
export const pollCountingUnits = ['person', 'room', 'owner'] as const;
export type PollCountingUnit = (typeof pollCountingUnits)[number];
export const pollCountingUnitLabels: Record<PollCountingUnit, string> = {
  person: '按人计票，每位居民一票',
  room: '按户计票，每户一票',
  owner: '业主表决，按专有部分面积和人数双重计票',
};

export const pollStatuses = ['draft', 'open', 'closed', 'cancelled'] as const;
export type PollStatus = (typeof pollStatuses)[number];
export const pollStatusLabels: Record<PollStatus, string> = { draft: '未开始', open: '投票中', closed: '已结束', cancelled: '已取消' };

export const ballotChannels = ['online', 'paper', 'door'] as const;
export type BallotChannel = (typeof ballotChannels)[number];
export const ballotChannelLabels: Record<BallotChannel, string> = { online: '线上投票', paper: '纸质票', door: '上门投票' };

/** How a refusal names the channel that already counted, e.g. "1号楼 1单元 101已经交过纸质票了". */
export const ballotChannelDone: Record<BallotChannel, string> = {
  online: '已经在线上投过票了',
  paper: '已经交过纸质票了',
  door: '已经由工作人员上门收过票了',
};

/** The three fixed answers of a yes/no question, in this order (their indexes are the ballot's choices). */
export const yesNoOptions = ['同意', '反对', '弃权'] as const;

const title = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `${label}至少2个字`)
    .max(max, `${label}最多${max}个字`);

export const pollQuestionInput = z
  .strictObject({
    title: title('问题', 100),
    kind: z.enum(pollQuestionKinds, { error: '请选择题型' }),
    /** For single and multiple choice; a yes/no question has 同意/反对/弃权. */
    options: z.array(title('选项', 40)).max(20, '选项最多20个').default([]),
    minPicks: z.number().int().min(1).max(20).default(1),
    maxPicks: z.number().int().min(1).max(20).default(1),
    /** Owner votes: which art. 278(1) matter this question decides. */
    matter: z
      .number()
      .int()
      .refine((n): n is OwnerMatter => (ownerMatters as readonly number[]).includes(n), '请选择第1至第9项表决事项')
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'yesno') {
      if (q.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: '同意/反对/弃权题不用填写选项' });
      return;
    }
    if (q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: '至少要有2个选项' });
    if (new Set(q.options).size !== q.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: '选项不能重复' });
    if (q.kind === 'single' && (q.minPicks !== 1 || q.maxPicks !== 1)) ctx.addIssue({ code: 'custom', path: ['maxPicks'], message: '单选题只能选1项' });
    if (q.minPicks > q.maxPicks) ctx.addIssue({ code: 'custom', path: ['minPicks'], message: '最少选择数不能大于最多选择数' });
    if (q.maxPicks > q.options.length) ctx.addIssue({ code: 'custom', path: ['maxPicks'], message: '最多选择数不能超过选项数' });
  });
export type PollQuestionInput = z.infer<typeof pollQuestionInput>;

export const pollScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('community') }),
  z.strictObject({ kind: z.literal('grids'), ids: z.array(objectId).min(1, '请至少选择一个网格').max(50) }),
  z.strictObject({ kind: z.literal('buildings'), ids: z.array(objectId).min(1, '请至少选择一栋楼').max(200) }),
]);
export type PollScope = z.infer<typeof pollScope>;

const MAX_POLL_DAYS = 60;

/** Why a secret poll shows no result while it is open (the form, the API and the result page say the same). */
export const secretLiveRefusal = '不记名投票在结束后才公布结果，以免推算出谁投了什么';

export const pollCreateBody = z
  .strictObject({
    title: title('标题', 60),
    description: z.string().trim().max(2000, '说明最多2000个字').default(''),
    questions: z.array(pollQuestionInput).min(1, '至少要有一个问题').max(10, '一次最多10个问题'),
    opensAt: z.iso.datetime({ offset: true, error: '请选择开始时间' }),
    closesAt: z.iso.datetime({ offset: true, error: '请选择结束时间' }),
    countingUnit: z.enum(pollCountingUnits, { error: '请选择计票方式' }),
    secrecy: z.enum(['secret', 'named']).default('secret'),
    resultVisibility: z.enum(['after_close', 'live']).default('after_close'),
    scope: pollScope,
    /** 公示 after the result: at least 7 days for owner votes. */
    noticeDays: z.number().int().min(1).max(30).default(7),
    topicId: objectId.optional(),
  })
  .superRefine((p, ctx) => {
    // Live results of a secret poll, read between two ballots, would show what each voter chose.
    if (p.secrecy === 'secret' && p.resultVisibility === 'live') {
      ctx.addIssue({ code: 'custom', path: ['resultVisibility'], message: secretLiveRefusal });
    }
    const opens = Date.parse(p.opensAt);
    const closes = Date.parse(p.closesAt);
    if (!(closes > opens)) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '结束时间要晚于开始时间' });
    else if (closes - opens > MAX_POLL_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: `投票最长${MAX_POLL_DAYS}天` });
    if (p.countingUnit === 'owner') {
      if (p.noticeDays < 7) ctx.addIssue({ code: 'custom', path: ['noticeDays'], message: '业主表决结果至少公示7天' });
      p.questions.forEach((q, i) => {
        if (q.kind !== 'yesno') ctx.addIssue({ code: 'custom', path: ['questions', i, 'kind'], message: '业主表决的每个问题都是同意/反对/弃权' });
        if (q.matter === undefined) ctx.addIssue({ code: 'custom', path: ['questions', i, 'matter'], message: '请选择这个问题属于哪一项表决事项' });
      });
    } else {
      p.questions.forEach((q, i) => {
        if (q.matter !== undefined) ctx.addIssue({ code: 'custom', path: ['questions', i, 'matter'], message: '只有业主表决才选择表决事项' });
      });
    }
  })
  .meta({ id: 'PollCreateBody' });
export type PollCreateBody = z.infer<typeof pollCreateBody>;

/** One answer per question, in order: the indexes of the chosen options (yes/no: 0 同意, 1 反对, 2 弃权). */
export const pollAnswers = z.array(z.array(z.number().int().min(0).max(19)).max(20)).min(1).max(10);

export const ballotCastBody = z
  .strictObject({
    answers: pollAnswers,
    /** Which of my units votes, when I hold several (two rooms, say); omitted when there is one. */
    unitKey: z.string().max(200).optional(),
    /** A family member with 议事投票 authority votes for this resident. */
    forResidentId: objectId.optional(),
  })
  .meta({ id: 'BallotCastBody' });
export type BallotCastBody = z.infer<typeof ballotCastBody>;

export const paperBallotBody = z
  .strictObject({
    unitKey: z.string().min(1).max(200),
    answers: pollAnswers,
    channel: z.enum(['paper', 'door'], { error: '请选择纸质票或上门投票' }),
    /** The photo of the signed ballot or the power of attorney (an upload id). */
    evidenceId: z.string({ error: '请拍照上传签字的表决票或委托书' }).regex(/^(?:[0-9a-f]{32}|[0-9a-f]{24})$/, '请拍照上传签字的表决票或委托书'),
    note: z.string().trim().max(200).default(''),
  })
  .meta({ id: 'PaperBallotBody' });
export type PaperBallotBody = z.infer<typeof paperBallotBody>;

/** Checks answers against the questions; the same rules in the form and on the server. */
export function answerProblems(questions: readonly { kind: PollQuestionKind; options: readonly string[]; minPicks: number; maxPicks: number }[], answers: readonly (readonly number[])[]): string | null {
  if (answers.length !== questions.length) return '请回答每一个问题';
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const a = answers[i]!;
    const n = q.kind === 'yesno' ? 3 : q.options.length;
    if (new Set(a).size !== a.length) return `第${i + 1}题的选择重复了`;
    if (a.some((x) => x >= n)) return `第${i + 1}题没有这个选项`;
    const [min, max] = q.kind === 'multiple' ? [q.minPicks, q.maxPicks] : [1, 1];
    if (a.length < min) return min === 1 ? `第${i + 1}题还没有选择` : `第${i + 1}题至少选${min}项`;
    if (a.length > max) return max === 1 ? `第${i + 1}题只能选1项` : `第${i + 1}题最多选${max}项`;
  }
  return null;
}

export function explainPoll(p: { countingUnit: PollCountingUnit; secrecy: 'secret' | 'named'; questions: readonly { matter?: number | null }[] }): string {
  const secrecy = p.secrecy === 'secret' ? '不记名投票，谁投了什么不会被任何人看到，结果在投票结束后统一公布。' : '记名投票，工作人员能看到每张票。';
  if (p.countingUnit === 'owner') {
    const matters = [...new Set(p.questions.map((q) => q.matter).filter((m): m is OwnerMatter => !!m))];
    return `${matters.map((m) => explainOwnerVote(m)).join('')}${secrecy}`;
  }
  if (p.countingUnit === 'room') return `本次表决按户计票，每户一票，同一户的家人谁先投都算这一户的票，投了就不能改。${secrecy}`;
  return `本次表决按人计票，每位已认证的居民一票，投了就不能改。${secrecy}`;
}

export const pollQuestionView = z.object({
  title: z.string(),
  kind: z.enum(pollQuestionKinds),
  options: z.array(z.string()),
  minPicks: z.number(),
  maxPicks: z.number(),
  matter: z.number().nullable(),
});

export const pollUnitView = z.object({
  key: z.string(),
  label: z.string(),
  voted: z.boolean(),
  channel: z.enum(ballotChannels).nullable(),
  /** Whose unit this is when a family member votes for them. */
  forResidentId: objectId.nullable(),
  /** The receipt code of the ballot the viewer cast online for this unit (null otherwise). */
  receipt: z.string().nullable(),
});

export const pollView = z
  .object({
    id: objectId,
    title: z.string(),
    description: z.string(),
    questions: z.array(pollQuestionView),
    opensAt: isoDateTime,
    closesAt: isoDateTime,
    status: z.enum(pollStatuses),
    countingUnit: z.enum(pollCountingUnits),
    secrecy: z.enum(['secret', 'named']),
    resultVisibility: z.enum(['after_close', 'live']),
    scopeLabel: z.string(),
    ruleText: z.string(),
    noticeDays: z.number(),
    noticeUntil: isoDateTime.nullable(),
    participation: z.object({ heads: z.number(), totalHeads: z.number(), area: z.number().nullable(), totalArea: z.number().nullable() }).nullable(),
    /** The caller's units on the roll (empty: not on the roll). */
    myUnits: z.array(pollUnitView),
    canVote: z.boolean(),
    resultAvailable: z.boolean(),
    topicId: objectId.nullable(),
  })
  .meta({ id: 'Poll' });
export type PollView = z.infer<typeof pollView>;

export const pollListQuery = z.strictObject({ status: z.enum(pollStatuses).optional() });

export const fractionTestView = z.object({
  rule: z.object({ numerator: z.number(), denominator: z.number(), strict: z.boolean() }),
  areaPart: z.number(),
  areaWhole: z.number(),
  headsPart: z.number(),
  headsWhole: z.number(),
  areaNeeded: z.number(),
  headsNeeded: z.number(),
  areaMet: z.boolean(),
  headsMet: z.boolean(),
  met: z.boolean(),
});

export const questionResultView = z.object({
  title: z.string(),
  kind: z.enum(pollQuestionKinds),
  options: z.array(z.object({ label: z.string(), heads: z.number(), area: z.number().nullable() })),
  /** Owner votes only: the two tests of art. 278 and the outcome. */
  owner: z
    .object({
      matter: z.number(),
      matterLabel: z.string(),
      participation: fractionTestView,
      approval: fractionTestView,
      passed: z.boolean(),
    })
    .nullable(),
});

export const pollResultView = z
  .object({
    pollId: objectId,
    status: z.enum(pollStatuses),
    final: z.boolean(),
    roll: z.object({ heads: z.number(), area: z.number().nullable() }),
    ballots: z.number(),
    questions: z.array(questionResultView),
    /** The chain head the published tally was computed from (null while open). */
    chainHead: z.string().nullable(),
    publishedAt: isoDateTime.nullable(),
    noticeUntil: isoDateTime.nullable(),
  })
  .meta({ id: 'PollResult' });
export type PollResultView = z.infer<typeof pollResultView>;

export const ballotReceiptView = z
  .object({
    pollId: objectId,
    pollTitle: z.string(),
    receipt: z.string(),
    /** false: received and waiting (a secret poll seals everything at the close); true: in the chain. */
    sealed: z.boolean(),
    /** The chain entry (batch) the ballot was counted in, and how many ballots that batch holds. Never the choice. */
    seq: z.number().nullable(),
    batchSize: z.number().nullable(),
    hash: z.string().nullable(),
  })
  .meta({ id: 'BallotReceipt' });
export type BallotReceiptView = z.infer<typeof ballotReceiptView>;

/** One ballot of a named poll, as sealed. */
export const chainBallotView = z.object({
  answers: z.array(z.array(z.number())),
  area: z.number(),
  heads: z.number(),
  channel: z.enum(ballotChannels),
  receiptHash: z.string(),
});

/**
 * One place in the chain: a batch of ballots as sums (docs/ballot-chain.md). A
 * secret poll's batches carry sums only (`ballots` null); a named poll's entries
 * are batches of one that also list their ballot.
 */
export const chainEntryView = z.object({
  seq: z.number(),
  prev: z.string(),
  hash: z.string(),
  count: z.number(),
  heads: z.number(),
  area: z.number(),
  channels: z.object({ online: z.number(), paper: z.number(), door: z.number() }),
  questions: z.array(z.object({ options: z.array(z.object({ heads: z.number(), area: z.number() })) })),
  receiptHashes: z.array(z.string()),
  ballots: z.array(chainBallotView).nullable(),
});
export type ChainEntryView = z.infer<typeof chainEntryView>;

export const pollChainView = z
  .object({
    pollId: objectId,
    genesis: z.string(),
    /** What the genesis commits to: the questions and the roll totals, as fixed when the poll opened. */
    definition: z.string(),
    entries: z.array(chainEntryView),
    nextSeq: z.number().nullable(),
    /** The published tally and the chain head it was counted from (null until the result is published). */
    published: z.object({ head: z.string(), publishedAt: isoDateTime, questions: z.array(questionResultView) }).nullable(),
  })
  .meta({ id: 'PollChain' });

export const pollVerifyView = z
  .object({
    pollId: objectId,
    ok: z.boolean(),
    /** Places in the chain (a secret poll: batches; a named poll: ballots). */
    entries: z.number(),
    /** Ballots counted in the chain. */
    ballots: z.number(),
    participations: z.number(),
    head: z.string().nullable(),
    problems: z.array(z.string()),
  })
  .meta({ id: 'PollVerify' });

export const objectionBody = z.strictObject({ text: reason('异议内容') }).meta({ id: 'ObjectionBody' });

