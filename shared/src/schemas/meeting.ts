import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId } from './common.js';

// --- Council meetings (议事会, V10) ---

/**
 * The community's council (居民议事会): residents' representatives, building
 * heads, party members, and the property company's and the centre's people.
 * Membership is kept, never deleted: leaving sets `leftAt`.
 */
export const councilMemberTitles = ['resident_rep', 'building_head', 'party_member', 'property_rep', 'staff', 'other'] as const;
export type CouncilMemberTitle = (typeof councilMemberTitles)[number];
export const councilMemberTitleLabels: Record<CouncilMemberTitle, string> = {
  resident_rep: '居民代表',
  building_head: '楼栋长',
  party_member: '党员代表',
  property_rep: '物业代表',
  staff: '社区工作人员',
  other: '其他',
};

export const councilMemberBody = z
  .strictObject({
    userId: objectId,
    title: z.enum(councilMemberTitles, { error: '请选择成员身份' }),
  })
  .meta({ id: 'CouncilMemberBody' });
export type CouncilMemberBody = z.infer<typeof councilMemberBody>;

export const councilMemberView = z
  .object({
    userId: objectId,
    name: z.string(),
    title: z.enum(councilMemberTitles),
    joinedAt: isoDateTime,
  })
  .meta({ id: 'CouncilMember' });
export type CouncilMemberView = z.infer<typeof councilMemberView>;

/** Desk people the centre may put on the council: names and which desk, nothing more. */
export const councilStaffCandidateView = z
  .object({ userId: objectId, name: z.string(), desk: z.enum(['community_staff', 'property_staff', 'grid_worker']) })
  .meta({ id: 'CouncilStaffCandidate' });
export type CouncilStaffCandidateView = z.infer<typeof councilStaffCandidateView>;

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `${label}至少${min}个字`)
    .max(max, `${label}最多${max}个字`);

/** The longest meeting we schedule; sign-in stays open for its length. */
export const MAX_MEETING_HOURS = 8;
/** Sign-in opens this long before the start, so members arriving early are counted. */
export const MEETING_SIGN_IN_EARLY_MINUTES = 60;

export const meetingAgendaItemInput = z.strictObject({
  title: text('议题', 2, 60),
  /** A topic residents raised (on the agenda), when the item comes from one. */
  topicId: objectId.optional(),
});

export const meetingCreateBody = z
  .strictObject({
    title: text('会议名称', 2, 60),
    place: text('地点', 2, 60),
    startsAt: z.iso.datetime({ offset: true, error: '请选择开始时间' }),
    endsAt: z.iso.datetime({ offset: true, error: '请选择结束时间' }),
    agenda: z.array(meetingAgendaItemInput).min(1, '至少要有一项议题').max(10, '一次最多10项议题'),
  })
  .superRefine((m, ctx) => {
    const starts = Date.parse(m.startsAt);
    const ends = Date.parse(m.endsAt);
    if (!(ends > starts)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '结束时间要晚于开始时间' });
    else if (ends - starts > MAX_MEETING_HOURS * 3_600_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: `一次会议最长${MAX_MEETING_HOURS}小时` });
    const topics = m.agenda.map((a) => a.topicId).filter(Boolean);
    if (new Set(topics).size !== topics.length) ctx.addIssue({ code: 'custom', path: ['agenda'], message: '同一个议题只能列一次' });
  })
  .meta({ id: 'MeetingCreateBody' });
export type MeetingCreateBody = z.infer<typeof meetingCreateBody>;

export const meetingCancelBody = z.strictObject({ reason: text('取消原因', 2, 200) }).meta({ id: 'MeetingCancelBody' });

/** A member signs in with the code on the poster (the QR code opens the sign-in page with it). */
export const meetingSignInBody = z
  .strictObject({ code: z.string({ error: '请扫描会场的签到码' }).regex(/^[A-Za-z0-9]{10}$/, '签到码不正确，请重新扫描会场的签到码') })
  .meta({ id: 'MeetingSignInBody' });

/** Staff sign in a member who came without a phone. */
export const meetingDeskSignInBody = z.strictObject({ userId: objectId }).meta({ id: 'MeetingDeskSignInBody' });

export const meetingMinutesBody = z.strictObject({ text: text('会议纪要', 10, 10_000) }).meta({ id: 'MeetingMinutesBody' });

const count = (label: string) => z.number({ error: `请填写${label}人数` }).int(`${label}人数要是整数`).min(0, `${label}人数不能是负数`).max(500);

export const resolutionCreateBody = z
  .strictObject({
    /** Which agenda item this decides (its index in the agenda). */
    agendaIndex: z.number().int().min(0).max(9),
    text: text('决议内容', 4, 1000),
    yes: count('赞成'),
    no: count('反对'),
    abstain: count('弃权'),
    /** Who carries it out, in words residents understand (e.g. 金城物业, 第一网格). */
    owner: text('落实责任方', 2, 40),
    dueDate: z.iso.date({ error: '请选择完成期限' }),
  })
  .meta({ id: 'ResolutionCreateBody' });
export type ResolutionCreateBody = z.infer<typeof resolutionCreateBody>;

export const resolutionStatuses = ['open', 'in_progress', 'done'] as const;
export type ResolutionStatus = (typeof resolutionStatuses)[number];
export const resolutionStatusLabels: Record<ResolutionStatus, string> = { open: '待落实', in_progress: '落实中', done: '已落实' };

export const followUpBody = z
  .strictObject({
    note: text('进展说明', 2, 500),
    status: z.enum(['in_progress', 'done'], { error: '请选择落实情况' }),
  })
  .meta({ id: 'ResolutionFollowUpBody' });
export type FollowUpBody = z.infer<typeof followUpBody>;

export const followUpView = z.object({ note: z.string(), status: z.enum(['in_progress', 'done']), byName: z.string(), at: isoDateTime });

export const resolutionView = z
  .object({
    id: objectId,
    meetingId: objectId,
    agendaIndex: z.number(),
    agendaTitle: z.string(),
    topicId: objectId.nullable(),
    text: z.string(),
    yes: z.number(),
    no: z.number(),
    abstain: z.number(),
    /** Members present when it was decided: the votes are counted against them. */
    present: z.number(),
    /** More than half of the members present voted yes (and the meeting had its quorum). */
    passed: z.boolean(),
    owner: z.string(),
    dueDate: z.string(),
    status: z.enum(resolutionStatuses),
    followUps: z.array(followUpView),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Resolution' });
export type ResolutionView = z.infer<typeof resolutionView>;

export const meetingStatuses = ['scheduled', 'cancelled'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const meetingView = z
  .object({
    id: objectId,
    title: z.string(),
    place: z.string(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    status: z.enum(meetingStatuses),
    cancelReason: z.string().nullable(),
    agenda: z.array(z.object({ title: z.string(), topicId: objectId.nullable() })),
    /** 应到: the members when the meeting was called (later changes do not move the quorum). */
    expected: z.number(),
    /** 实到. */
    present: z.number(),
    /** More than half of the expected members. */
    quorum: z.number(),
    quorumMet: z.boolean(),
    /** Whether sign-in is open now (from an hour before the start to the end). */
    signInOpen: z.boolean(),
    me: z.object({ member: z.boolean(), signedInAt: isoDateTime.nullable() }),
    minutes: z.object({ text: z.string(), byName: z.string(), at: isoDateTime, revision: z.number() }).nullable(),
    resolutionCount: z.number(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Meeting' });
export type MeetingView = z.infer<typeof meetingView>;

export const meetingDetailView = meetingView.extend({ resolutions: z.array(resolutionView) }).meta({ id: 'MeetingDetail' });
export type MeetingDetailView = z.infer<typeof meetingDetailView>;

export const meetingListQuery = z.strictObject({ when: z.enum(['upcoming', 'past']).optional() });

export const attendanceView = z
  .object({
    userId: objectId,
    name: z.string(),
    title: z.enum(councilMemberTitles),
    signedInAt: isoDateTime.nullable(),
    /** scan: with the poster's code; desk: signed in by staff. */
    method: z.enum(['scan', 'desk']).nullable(),
  })
  .meta({ id: 'MeetingAttendance' });
export type AttendanceView = z.infer<typeof attendanceView>;

export const signInCodeView = z
  .object({ code: z.string(), page: z.string(), expiresAt: isoDateTime })
  .meta({ id: 'MeetingSignInCode' });
export type SignInCodeView = z.infer<typeof signInCodeView>;
