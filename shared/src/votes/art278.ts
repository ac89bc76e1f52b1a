/**
 * Civil Code art. 278 owner votes, as pure functions both the API and the
 * mini-program use (the result page explains the same numbers the API judged).
 *
 * Everything is integers: area in 0.01 m², headcount in owners. A fraction test
 * "x ≥ p/q of y" is decided as x·q ≥ y·p, never by dividing. Non-voters are
 * never counted with any side.
 */

export const ownerMatters = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export type OwnerMatter = (typeof ownerMatters)[number];

export const ownerMatterLabels: Record<OwnerMatter, string> = {
  1: '制定和修改业主大会议事规则',
  2: '制定和修改管理规约',
  3: '选举业主委员会或者更换业主委员会成员',
  4: '选聘和解聘物业服务企业或者其他管理人',
  5: '使用建筑物及其附属设施的维修资金',
  6: '筹集建筑物及其附属设施的维修资金',
  7: '改建、重建建筑物及其附属设施',
  8: '改变共有部分的用途或者利用共有部分从事经营活动',
  9: '有关共有和共同管理权利的其他重大事项',
};

/** Matters 6–8 need three quarters of those who took part; the others more than half. */
export function isSpecialMatter(matter: OwnerMatter): boolean {
  return matter === 6 || matter === 7 || matter === 8;
}

/** A fraction rule: "at least p/q" (inclusive) or "more than p/q" (strict). */
export interface FractionRule {
  numerator: number;
  denominator: number;
  strict: boolean;
}

export const participationRule: FractionRule = { numerator: 2, denominator: 3, strict: false };
export const specialApprovalRule: FractionRule = { numerator: 3, denominator: 4, strict: false };
export const ordinaryApprovalRule: FractionRule = { numerator: 1, denominator: 2, strict: true };

export function approvalRuleFor(matter: OwnerMatter): FractionRule {
  return isSpecialMatter(matter) ? specialApprovalRule : ordinaryApprovalRule;
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}

/**
 * part / whole against the rule, exactly. An empty whole meets nothing: a vote
 * with nobody on the roll, or nobody taking part, decides nothing.
 */
export function meets(part: number, whole: number, rule: FractionRule): boolean {
  assertCount('part', part);
  assertCount('whole', whole);
  if (part > whole) throw new RangeError(`part ${part} exceeds whole ${whole}`);
  if (whole === 0) return false;
  // BigInt: area totals of a large estate times 4 can pass 2^53.
  const left = BigInt(part) * BigInt(rule.denominator);
  const right = BigInt(whole) * BigInt(rule.numerator);
  return rule.strict ? left > right : left >= right;
}

/**
 * The smallest part that meets the rule for this whole (for the result page:
 * "还需要多少"). Exact integer ceiling, no floats.
 */
export function smallestMeeting(whole: number, rule: FractionRule): number {
  assertCount('whole', whole);
  if (whole === 0) return 0;
  const product = BigInt(whole) * BigInt(rule.numerator);
  const q = BigInt(rule.denominator);
  let n = product / q;
  if (rule.strict) n += 1n;
  else if (n * q < product) n += 1n;
  return Number(n);
}

export interface FractionTest {
  rule: FractionRule;
  areaPart: number;
  areaWhole: number;
  headsPart: number;
  headsWhole: number;
  /** The least area / headcount that would have met the rule. */
  areaNeeded: number;
  headsNeeded: number;
  areaMet: boolean;
  headsMet: boolean;
  met: boolean;
}

export function fractionTest(rule: FractionRule, area: { part: number; whole: number }, heads: { part: number; whole: number }): FractionTest {
  const areaMet = meets(area.part, area.whole, rule);
  const headsMet = meets(heads.part, heads.whole, rule);
  return {
    rule,
    areaPart: area.part,
    areaWhole: area.whole,
    headsPart: heads.part,
    headsWhole: heads.whole,
    areaNeeded: smallestMeeting(area.whole, rule),
    headsNeeded: smallestMeeting(heads.whole, rule),
    areaMet,
    headsMet,
    met: areaMet && headsMet,
  };
}

/** What one owner (a voting unit of the roll) weighs: their exclusive area and one head. */
export interface OwnerWeight {
  areaCenti: number;
  heads: number;
}

export type YesNoChoice = 'yes' | 'no' | 'abstain';

export interface OwnerTally {
  totalArea: number;
  totalHeads: number;
  participatingArea: number;
  participatingHeads: number;
  yesArea: number;
  yesHeads: number;
  noArea: number;
  noHeads: number;
  abstainArea: number;
  abstainHeads: number;
}

export interface OwnerVoteResult {
  matter: OwnerMatter;
  tally: OwnerTally;
  participation: FractionTest;
  approval: FractionTest;
  passed: boolean;
}

/**
 * Adds the ballots up. Abstentions take part (they count towards participation)
 * but are not yes; the roll's non-voters appear only in the totals.
 */
export function tallyOwnerBallots(roll: { totalArea: number; totalHeads: number }, ballots: Iterable<OwnerWeight & { choice: YesNoChoice }>): OwnerTally {
  assertCount('totalArea', roll.totalArea);
  assertCount('totalHeads', roll.totalHeads);
  const t: OwnerTally = {
    totalArea: roll.totalArea,
    totalHeads: roll.totalHeads,
    participatingArea: 0,
    participatingHeads: 0,
    yesArea: 0,
    yesHeads: 0,
    noArea: 0,
    noHeads: 0,
    abstainArea: 0,
    abstainHeads: 0,
  };
  for (const b of ballots) {
    assertCount('areaCenti', b.areaCenti);
    assertCount('heads', b.heads);
    t.participatingArea += b.areaCenti;
    t.participatingHeads += b.heads;
    t[`${b.choice}Area`] += b.areaCenti;
    t[`${b.choice}Heads`] += b.heads;
  }
  if (t.participatingArea > t.totalArea || t.participatingHeads > t.totalHeads) {
    throw new RangeError('more was cast than the roll holds');
  }
  return t;
}

/** Both tests of art. 278(2): participation of the whole roll, approval among those who took part. */
export function judgeOwnerVote(matter: OwnerMatter, tally: OwnerTally): OwnerVoteResult {
  const participation = fractionTest(
    participationRule,
    { part: tally.participatingArea, whole: tally.totalArea },
    { part: tally.participatingHeads, whole: tally.totalHeads },
  );
  const approval = fractionTest(
    approvalRuleFor(matter),
    { part: tally.yesArea, whole: tally.participatingArea },
    { part: tally.yesHeads, whole: tally.participatingHeads },
  );
  return { matter, tally, participation, approval, passed: participation.met && approval.met };
}

export function ruleText(rule: FractionRule): string {
  const names: Record<string, string> = { '2/3': '三分之二', '3/4': '四分之三', '1/2': '二分之一' };
  const name = names[`${rule.numerator}/${rule.denominator}`] ?? `${rule.numerator}/${rule.denominator}`;
  return rule.strict ? `过${name}` : `${name}以上（含）`;
}

/** The rule in plain Chinese, for the poll page and the result certificate. */
export function explainOwnerVote(matter: OwnerMatter): string {
  return (
    `本次为业主共同决定事项（${ownerMatterLabels[matter]}），按《民法典》第二百七十八条计票：` +
    `参与表决的业主，专有部分面积和人数都要达到全体业主的三分之二以上；` +
    `同意的业主，面积和人数都要${isSpecialMatter(matter) ? '达到参与表决业主的四分之三以上' : '超过参与表决业主的一半'}。` +
    `一位业主有多套房屋算一人、面积合计；开发商未出售的房屋合计算一人；没有投票的业主不计入同意。`
  );
}
