import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId, reason, uploadId } from './common.js';

// --- Volunteer and civilisation activities (A1–A3, A6) ---

export const activityTypes = ['volunteer', 'civilisation', 'culture', 'legal', 'drill'] as const;
export type ActivityType = (typeof activityTypes)[number];
export const activityTypeLabels: Record<ActivityType, string> = {
  volunteer: '志愿服务',
  civilisation: '文明实践',
  culture: '文体活动',
  legal: '法治宣传',
  drill: '应急演练',
};

export const signupStatuses = ['confirmed', 'waitlisted', 'cancelled', 'checked_in', 'checked_out', 'no_show', 'expired'] as const;
export type SignupStatus = (typeof signupStatuses)[number];
export const signupStatusLabels: Record<SignupStatus, string> = {
  confirmed: '已报名',
  waitlisted: '候补中',
  cancelled: '已取消',
  checked_in: '已签到',
  checked_out: '已签退',
  no_show: '未到场',
  expired: '候补未成功',
};
/** Sign-ups that hold a place or a place in line. */
export const activeSignupStatuses = ['confirmed', 'waitlisted', 'checked_in'] as const satisfies readonly SignupStatus[];

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `${label}至少${min}个字`)
    .max(max, `${label}最多${max}个字`);
const instant = (label: string) => z.iso.datetime({ offset: true, error: `请选择${label}` });

const MAX_ACTIVITY_HOURS = 12;

const activityFields = {
  type: z.enum(activityTypes, { error: '请选择活动类型' }),
  title: text('活动名称', 2, 40),
  description: z.string().trim().max(2000, '介绍最多2000个字').default(''),
  place: text('活动地点', 2, 60),
  organiser: text('组织单位', 2, 40),
  startAt: instant('开始时间'),
  endAt: instant('结束时间'),
  signupOpensAt: instant('报名开始时间'),
  signupClosesAt: instant('报名截止时间'),
  capacity: z.number({ error: '请填写人数' }).int('人数是整数').min(1, '至少1人').max(500, '最多500人'),
  /** Cancelling is allowed until this many minutes before the start. */
  cancelCutoffMinutes: z.number().int().min(0).max(7 * 24 * 60).default(120),
  skills: z.array(text('技能', 1, 20)).max(10).default([]),
  minAge: z.number().int().min(0).max(120).nullable().default(null),
  maxAge: z.number().int().min(0).max(120).nullable().default(null),
  /** Points per confirmed hour of service. */
  pointsPerHour: z.number().int().min(0).max(100).default(10),
  /** Minutes before the start and after the end in which a scan is still accepted. */
  graceMinutes: z.number().int().min(0).max(120).default(30),
};

function activityRules(a: { startAt: string; endAt: string; signupOpensAt: string; signupClosesAt: string; minAge: number | null; maxAge: number | null }, ctx: z.RefinementCtx) {
  const start = Date.parse(a.startAt);
  const end = Date.parse(a.endAt);
  if (!(end > start)) ctx.addIssue({ code: 'custom', path: ['endAt'], message: '结束时间要晚于开始时间' });
  else if (end - start > MAX_ACTIVITY_HOURS * 3600_000) ctx.addIssue({ code: 'custom', path: ['endAt'], message: `一次活动最长${MAX_ACTIVITY_HOURS}小时，更长的请分几次发布` });
  if (!(Date.parse(a.signupClosesAt) > Date.parse(a.signupOpensAt))) ctx.addIssue({ code: 'custom', path: ['signupClosesAt'], message: '报名截止要晚于报名开始' });
  if (Date.parse(a.signupClosesAt) > start) ctx.addIssue({ code: 'custom', path: ['signupClosesAt'], message: '报名要在活动开始前截止' });
  if (a.minAge !== null && a.maxAge !== null && a.minAge > a.maxAge) ctx.addIssue({ code: 'custom', path: ['maxAge'], message: '最大年龄不能小于最小年龄' });
}

export const activityCreateBody = z.strictObject(activityFields).superRefine(activityRules).meta({ id: 'ActivityCreateBody' });
export type ActivityCreateBody = z.infer<typeof activityCreateBody>;

/** Edits send the whole activity again (the rules span several fields); a change of time tells everyone signed up. */
export const activityUpdateBody = activityCreateBody.meta({ id: 'ActivityUpdateBody' });

export const activityListQuery = z.strictObject({
  type: z.enum(activityTypes).optional(),
  scope: z.enum(['upcoming', 'past']).default('upcoming'),
});

/** Organisers also see what was cancelled (with the reason), apart from what is coming and what has ended. */
export const staffActivityListQuery = z.strictObject({
  type: z.enum(activityTypes).optional(),
  scope: z.enum(['upcoming', 'past', 'cancelled']).default('upcoming'),
});
export type StaffActivityScope = z.infer<typeof staffActivityListQuery>['scope'];

export const activityView = z
  .object({
    id: objectId,
    type: z.enum(activityTypes),
    title: z.string(),
    description: z.string(),
    place: z.string(),
    organiser: z.string(),
    startAt: isoDateTime,
    endAt: isoDateTime,
    signupOpensAt: isoDateTime,
    signupClosesAt: isoDateTime,
    capacity: z.number(),
    seatsLeft: z.number(),
    waiting: z.number(),
    cancelCutoffMinutes: z.number(),
    skills: z.array(z.string()),
    minAge: z.number().nullable(),
    maxAge: z.number().nullable(),
    pointsPerHour: z.number(),
    graceMinutes: z.number(),
    status: z.enum(['published', 'cancelled']),
    cancelledAt: isoDateTime.nullable(),
    cancelReason: z.string().nullable(),
    /** The caller's own sign-up (or the one of the relative they are looking at), if any. */
    mySignup: z
      .object({ id: objectId, status: z.enum(signupStatuses), waitPosition: z.number().nullable(), checkInAt: isoDateTime.nullable(), checkOutAt: isoDateTime.nullable() })
      .nullable(),
  })
  .meta({ id: 'Activity' });
export type ActivityView = z.infer<typeof activityView>;

export const signupBody = z
  .strictObject({
    /** A family member with 活动报名 authority signs up the resident. */
    forResidentId: objectId.optional(),
  })
  .meta({ id: 'SignupBody' });

export const scanBody = z
  .strictObject({ poster: z.string({ error: '请扫描活动现场的签到码' }).regex(/^[A-Za-z0-9]{10}$/, '这不是本活动的签到码') })
  .meta({ id: 'ScanBody' });

export const signupView = z
  .object({
    id: objectId,
    activityId: objectId,
    activityTitle: z.string(),
    residentId: objectId,
    residentName: z.string(),
    status: z.enum(signupStatuses),
    waitPosition: z.number().nullable(),
    checkInAt: isoDateTime.nullable(),
    checkOutAt: isoDateTime.nullable(),
    /** Minutes from the scans, capped at the activity's length; null until check-out. */
    scannedMinutes: z.number().nullable(),
    /** Confirmed by the organiser (the hours ledger holds the same figure). */
    confirmedMinutes: z.number().nullable(),
    actedByName: z.string().nullable(),
  })
  .meta({ id: 'Signup' });
export type SignupView = z.infer<typeof signupView>;

export const hoursConfirmBody = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          signupId: objectId,
          /** Omitted: confirm the scanned minutes as they are. Given: adjust, with a reason. */
          minutes: z.number().int().min(0, '时长不能是负数').max(12 * 60).optional(),
          reason: reason('调整原因').optional(),
        }),
      )
      .min(1)
      .max(500),
  })
  .superRefine((b, ctx) =>
    b.items.forEach((item, i) => {
      if (item.minutes !== undefined && !item.reason) ctx.addIssue({ code: 'custom', path: ['items', i, 'reason'], message: '调整时长要写明原因' });
    }),
  )
  .meta({ id: 'HoursConfirmBody' });
export type HoursConfirmBody = z.infer<typeof hoursConfirmBody>;

export const ledgerEntryView = z
  .object({
    id: z.string(),
    amount: z.number().meta({ description: '时长（分钟）或积分，可为负' }),
    reason: z.string(),
    byName: z.string(),
    activityTitle: z.string().nullable(),
    at: isoDateTime,
  })
  .meta({ id: 'LedgerEntry' });

export const volunteerMeView = z
  .object({
    minutes: z.number(),
    points: z.number(),
    hoursLedger: z.array(ledgerEntryView),
    pointsLedger: z.array(ledgerEntryView),
    signups: z.array(signupView),
  })
  .meta({ id: 'VolunteerMe' });

export const leaderboardQuery = z.strictObject({
  period: z.enum(['month', 'all']).default('month'),
  gridId: objectId.optional(),
});

export const leaderboardView = z
  .object({
    period: z.enum(['month', 'all']),
    month: z.string().nullable(),
    items: z.array(z.object({ rank: z.number(), name: z.string(), minutes: z.number(), mine: z.boolean() })),
    mine: z.object({ rank: z.number().nullable(), minutes: z.number() }),
  })
  .meta({ id: 'Leaderboard' });

/** A name as others see it on a leaderboard: 王秀英 → 王*英, 李明 → 李*. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('') || '志愿者';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

// --- 积分超市 (A3) ---
export const rewardCreateBody = z
  .strictObject({
    title: text('物品名称', 2, 30),
    description: z.string().trim().max(200).default(''),
    pointsPrice: z.number({ error: '请填写所需积分' }).int('积分是整数').min(1, '至少1积分').max(100_000),
    stock: z.number({ error: '请填写数量' }).int('数量是整数').min(1, '至少1件').max(10_000, '一次最多10000件'),
  })
  .meta({ id: 'RewardCreateBody' });
export type RewardCreateBody = z.infer<typeof rewardCreateBody>;

export const rewardView = z
  .object({ id: objectId, title: z.string(), description: z.string(), pointsPrice: z.number(), stock: z.number(), left: z.number(), status: z.enum(['active', 'retired']) })
  .meta({ id: 'Reward' });

/** Staff see the shelf (active) or what was taken off it (retired); pickup codes of retired items still work. */
export const staffRewardListQuery = z.strictObject({ status: z.enum(['active', 'retired']).default('active') });

export const redemptionView = z
  .object({
    id: objectId,
    rewardId: objectId,
    rewardTitle: z.string(),
    pointsPrice: z.number(),
    /** Shown to staff at the hand-over desk (or scanned as a QR code). */
    pickupCode: z.string(),
    status: z.enum(['pending', 'handed_over']),
    residentName: z.string(),
    createdAt: isoDateTime,
    handedOverAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Redemption' });

export const handoverBody = z
  .strictObject({ code: z.string({ error: '请输入兑换码' }).trim().toUpperCase().regex(/^[A-Z2-9]{8}$/, '兑换码是8位字母或数字') })
  .meta({ id: 'HandoverBody' });

// --- Campaigns: 道德模范 / 文明家庭 / 最美志愿者 (A5) ---
export const campaignStages = ['nominating', 'reviewing', 'notice', 'voting', 'appraisal', 'published'] as const;
export type CampaignStage = (typeof campaignStages)[number];
export const campaignStageLabels: Record<CampaignStage, string> = {
  nominating: '推荐中',
  reviewing: '审核中',
  notice: '公示中',
  voting: '投票中',
  appraisal: '评审中',
  published: '已公布',
};

export const nomineeKinds = ['self', 'neighbour', 'family'] as const;
export const nomineeKindLabels: Record<(typeof nomineeKinds)[number], string> = { self: '自荐', neighbour: '推荐邻居', family: '推荐家庭' };

export const campaignCreateBody = z
  .strictObject({
    title: text('评选名称', 4, 40),
    description: z.string().trim().max(2000).default(''),
    categories: z.array(text('评选类别', 2, 20)).min(1, '至少一个类别').max(6, '最多6个类别'),
    nominateUntil: instant('推荐截止时间'),
    noticeDays: z.number().int().min(7, '公示至少7天').max(30).default(7),
    /** The public vote (on the poll engine) or a panel's appraisal. */
    decision: z.enum(['vote', 'panel'], { error: '请选择评选方式' }),
    winnersPerCategory: z.number().int().min(1).max(50).default(3),
  })
  .superRefine((c, ctx) => {
    if (new Set(c.categories).size !== c.categories.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: '类别不能重复' });
  })
  .meta({ id: 'CampaignCreateBody' });
export type CampaignCreateBody = z.infer<typeof campaignCreateBody>;

export const nominationBody = z
  .strictObject({
    category: z.string().min(1, '请选择类别').max(20),
    kind: z.enum(nomineeKinds, { error: '请选择推荐谁' }),
    nomineeName: text('被推荐人（家庭）', 2, 30),
    reason: text('推荐理由', 20, 1000),
    photoIds: z.array(uploadId).max(9, '最多9张照片').default([]),
  })
  .meta({ id: 'NominationBody' });
export type NominationBody = z.infer<typeof nominationBody>;

export const nominationView = z
  .object({
    id: objectId,
    campaignId: objectId,
    category: z.string(),
    kind: z.enum(nomineeKinds),
    nomineeName: z.string(),
    reason: z.string(),
    photoUrls: z.array(z.string()),
    status: z.enum(['submitted', 'accepted', 'rejected']),
    reviewNote: z.string().nullable(),
    mine: z.boolean(),
    objections: z.array(z.object({ id: objectId, text: z.string(), answer: z.string().nullable(), mine: z.boolean() })),
  })
  .meta({ id: 'Nomination' });

export const campaignView = z
  .object({
    id: objectId,
    title: z.string(),
    description: z.string(),
    categories: z.array(z.string()),
    nominateUntil: isoDateTime,
    noticeDays: z.number(),
    noticeUntil: isoDateTime.nullable(),
    decision: z.enum(['vote', 'panel']),
    winnersPerCategory: z.number(),
    stage: z.enum(campaignStages),
    pollId: objectId.nullable(),
    honourRoll: z.array(z.object({ category: z.string(), nomineeName: z.string(), nominationId: objectId })),
    publishedAt: isoDateTime.nullable(),
    /** Visible nominations: accepted ones once the notice starts; one's own always. */
    nominations: z.array(nominationView),
  })
  .meta({ id: 'Campaign' });
export type CampaignView = z.infer<typeof campaignView>;

// --- Volunteer profile (A3): real name and ID for the certificate only ---

/** 居民身份证号 (GB 11643-1999): 17 digits and a check character computed from them. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** The birth date a valid ID number carries (digits 7–14), as 'YYYY-MM-DD'; null when it is not a real date. */
export function birthDateOf(id: string | null | undefined): string | null {
  if (!id || !isValidIdNumber(id)) return null;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Age in whole years on a day ('YYYY-MM-DD' both): the birthday itself counts as the new year of age. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 18–60岁 / 18岁以上 / 60岁以下 / null (no limit). */
export function ageLimitText(minAge: number | null, maxAge: number | null): string | null {
  if (minAge !== null && maxAge !== null) return `${minAge}–${maxAge}岁`;
  if (minAge !== null) return `${minAge}岁以上`;
  if (maxAge !== null) return `${maxAge}岁以下`;
  return null;
}

/** 620102199001011234 → 6201**********1234: what every screen but the certificate shows. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
}

export const availabilitySlots = ['weekday_day', 'weekday_evening', 'weekend_day', 'weekend_evening'] as const;
export const availabilityLabels: Record<(typeof availabilitySlots)[number], string> = {
  weekday_day: '工作日白天',
  weekday_evening: '工作日晚上',
  weekend_day: '周末白天',
  weekend_evening: '周末晚上',
};

export const volunteerProfileBody = z
  .strictObject({
    realName: z.string({ error: '请填写真实姓名' }).trim().min(2, '请填写真实姓名').max(20, '姓名最多20个字'),
    idNumber: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidIdNumber, '身份证号不正确，请核对（18位，最后一位可能是X）')
      .optional(),
    skills: z.array(z.string().trim().min(1).max(20)).max(10, '最多10项技能').default([]),
    availability: z.array(z.enum(availabilitySlots)).max(availabilitySlots.length).default([]),
  })
  .meta({ id: 'VolunteerProfileBody' });
export type VolunteerProfileBody = z.infer<typeof volunteerProfileBody>;

export const volunteerProfileView = z
  .object({
    realName: z.string(),
    idNumberMasked: z.string().nullable(),
    skills: z.array(z.string()),
    availability: z.array(z.enum(availabilitySlots)),
  })
  .meta({ id: 'VolunteerProfile' });
