import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId, reason } from './common.js';

export const serviceCategories = [
  'social_security',
  'civil_affairs',
  'legal',
  'counselling',
  'elderly',
  'residence',
  'health',
  'disability',
  'other',
] as const;
export type ServiceCategory = (typeof serviceCategories)[number];
export const serviceCategoryLabels: Record<ServiceCategory, string> = {
  social_security: '社保医保',
  civil_affairs: '民政救助',
  legal: '法律咨询',
  counselling: '心理疏导',
  elderly: '老年服务',
  residence: '户籍居住',
  health: '卫生健康',
  disability: '助残服务',
  other: '其他事项',
};

export const bookingStatuses = ['confirmed', 'waitlisted', 'checked_in', 'no_show', 'cancelled', 'closed', 'expired'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
export const bookingStatusLabels: Record<BookingStatus, string> = {
  confirmed: '已预约',
  waitlisted: '候补中',
  checked_in: '已到场',
  no_show: '未到场',
  cancelled: '已取消',
  closed: '已办结',
  expired: '候补未成功',
};
/** Statuses that hold a seat or a place in line. */
export const activeBookingStatuses = ['confirmed', 'waitlisted'] as const satisfies readonly BookingStatus[];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式是 时:分，例如 09:00');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式是 年-月-日，例如 2026-12-01');

export const openingHours = z
  .strictObject({ weekday: z.number().int().min(1).max(7), start: hhmm, end: hhmm })
  .refine((h) => h.start < h.end, { message: '结束时间要晚于开始时间', path: ['end'] });

export const closedDay = z.strictObject({ date: isoDate, reason: z.string().trim().min(1).max(40) });

export const serviceGuide = z.strictObject({
  materials: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  location: z.string().trim().min(1, '请填写办理地点').max(60),
  duration: z.string().trim().max(30).default(''),
  steps: z.array(z.string().trim().min(1).max(80)).max(10).default([]),
  notes: z.string().trim().max(300).default(''),
});

const serviceFields = {
  name: z.string({ error: '请填写事项名称' }).trim().min(2, '事项名称至少2个字').max(30, '事项名称最多30个字'),
  category: z.enum(serviceCategories, { error: '请选择类别' }),
  summary: z.string().trim().max(120, '简介最多120个字').default(''),
  guide: serviceGuide,
  oneWindow: z.boolean().default(true),
  fullAgency: z.boolean().default(false),
  slotMinutes: z.number().int().min(10, '每个时段至少10分钟').max(240, '每个时段最多4小时'),
  capacity: z.number().int().min(1, '每个时段至少1个名额').max(200, '每个时段最多200个名额'),
  weeklyHours: z.array(openingHours).max(28).default([]),
  closedDays: z.array(closedDay).max(100).default([]),
  cutoffMinutes: z.number().int().min(0).max(7 * 24 * 60).default(120),
  maxActivePerResident: z.number().int().min(1).max(10).default(1),
  bookingWindowDays: z.number().int().min(1).max(60).default(14),
  contactPhone: z.string().trim().regex(/^[\d-]{7,20}$/, '请填写联系电话').default('0936-0000000'),
};

export const serviceCreateBody = z.strictObject(serviceFields).meta({ id: 'ServiceCreateBody' });
export type ServiceCreateBody = z.infer<typeof serviceCreateBody>;
// A patch names only what changes: the create schema's defaults are stripped, or
// an edit of the name would quietly reset the opening hours to none.
const withoutDefault = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema);
export const serviceUpdateBody = z
  .strictObject(Object.fromEntries(Object.entries(serviceFields).map(([k, v]) => [k, withoutDefault(v).optional()])) as {
    [K in keyof typeof serviceFields]: z.ZodOptional<(typeof serviceFields)[K]>;
  })
  .meta({ id: 'ServiceUpdateBody' });
export type ServiceUpdateBody = z.infer<typeof serviceUpdateBody>;

export const serviceView = z
  .object({
    id: objectId,
    name: z.string(),
    category: z.enum(serviceCategories),
    summary: z.string(),
    guide: z.object({
      materials: z.array(z.string()),
      location: z.string(),
      duration: z.string(),
      steps: z.array(z.string()),
      notes: z.string(),
    }),
    oneWindow: z.boolean(),
    fullAgency: z.boolean(),
    slotMinutes: z.number().int(),
    capacity: z.number().int(),
    weeklyHours: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
    closedDays: z.array(z.object({ date: z.string(), reason: z.string() })),
    cutoffMinutes: z.number().int(),
    maxActivePerResident: z.number().int(),
    bookingWindowDays: z.number().int(),
    contactPhone: z.string(),
    status: z.enum(['active', 'retired']),
  })
  .meta({ id: 'Service' });
export type ServiceView = z.infer<typeof serviceView>;

export const slotView = z
  .object({
    id: objectId,
    serviceId: objectId,
    date: z.string(),
    startAt: isoDateTime,
    endAt: isoDateTime,
    capacity: z.number().int(),
    seatsLeft: z.number().int(),
    waitlistLength: z.number().int(),
    bookable: z.boolean(),
  })
  .meta({ id: 'Slot' });
export type SlotView = z.infer<typeof slotView>;

export const slotQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });

export const bookingCreateBody = z
  .strictObject({ slotId: objectId, forResidentId: objectId.optional() })
  .meta({ id: 'BookingCreateBody' });
export type BookingCreateBody = z.infer<typeof bookingCreateBody>;

export const rescheduleBody = z.strictObject({ slotId: objectId }).meta({ id: 'RescheduleBody' });

export const ratingLevels = [5, 4, 3, 2, 1] as const;
export const ratingLabels: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' };
export const ratingBody = z
  .strictObject({
    level: z.number({ error: '请选择满意程度' }).int().min(1, '请选择满意程度').max(5, '请选择满意程度'),
    comment: z.string().trim().max(300, '留言最多300个字').optional(),
  })
  .meta({ id: 'RatingBody' });
export type RatingBody = z.infer<typeof ratingBody>;

export const bookingEvent = z.object({
  at: isoDateTime,
  status: z.enum(bookingStatuses),
  note: z.string().nullable(),
  byName: z.string().nullable(),
});

export const bookingView = z
  .object({
    id: objectId,
    code: z.string().meta({ description: '到窗口出示的核验码（二维码内容）' }),
    residentId: objectId,
    residentName: z.string().nullable(),
    serviceId: objectId,
    serviceName: z.string(),
    slotId: objectId,
    startAt: isoDateTime,
    endAt: isoDateTime,
    location: z.string(),
    materials: z.array(z.string()),
    status: z.enum(bookingStatuses),
    waitlistPosition: z.number().int().nullable(),
    cancelDeadline: isoDateTime,
    canChange: z.boolean(),
    contactPhone: z.string(),
    actedByName: z.string().nullable().meta({ description: '代约人（本人预约时为空）' }),
    rating: z.object({ level: z.number().int(), comment: z.string().nullable() }).nullable(),
    history: z.array(bookingEvent),
    matter: z
      .object({
        status: z.string(),
        ownerName: z.string().nullable(),
        promisedBy: z.string().nullable(),
        notes: z.array(z.object({ at: isoDateTime, byName: z.string(), text: z.string() })),
      })
      .nullable()
      .meta({ description: '全程代办事项的办理情况（非全程代办为空）' }),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Booking' });
export type BookingView = z.infer<typeof bookingView>;

export const bookingListQuery = z.strictObject({
  scope: z.enum(['upcoming', 'past', 'waitlisted', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const checkInBody = z
  .strictObject({ code: z.string().trim().toUpperCase().regex(/^[A-Z2-9]{6}$/, '核验码是6位字母或数字') })
  .meta({ id: 'CheckInBody' });

export const closeBookingBody = z.strictObject({ note: reason('办结说明') }).meta({ id: 'CloseBookingBody' });

export const followUpResolveBody = z.strictObject({ note: reason('回访结果') }).meta({ id: 'FollowUpResolveBody' });

export const staffBookingQuery = z.strictObject({
  date: isoDate.optional(),
  serviceId: objectId.optional(),
});

export const inboxMessageView = z
  .object({
    id: objectId,
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'InboxMessage' });
export type InboxMessageView = z.infer<typeof inboxMessageView>;

// --- Acting for someone (S5) ---
export const authorityScopes = ['bookings', 'votes', 'signups'] as const;
export type AuthorityScope = (typeof authorityScopes)[number];
export const authorityScopeLabels: Record<AuthorityScope, string> = {
  bookings: '预约服务',
  votes: '议事投票',
  signups: '活动报名',
};

export const authorityCreateBody = z
  .strictObject({
    granteeId: objectId,
    scopes: z.array(z.enum(authorityScopes)).min(1, '请至少选择一项可以代办的事').max(authorityScopes.length),
    days: z.number({ error: '请选择授权多久' }).int().min(1, '授权至少1天').max(365, '授权最长一年'),
  })
  .meta({ id: 'AuthorityCreateBody' });
export type AuthorityCreateBody = z.infer<typeof authorityCreateBody>;

export const authorityView = z
  .object({
    id: objectId,
    grantorId: objectId,
    grantorName: z.string(),
    granteeId: objectId,
    granteeName: z.string(),
    scopes: z.array(z.enum(authorityScopes)),
    expiresAt: isoDateTime,
    revokedAt: isoDateTime.nullable(),
    active: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Authority' });
export type AuthorityView = z.infer<typeof authorityView>;

export const authorityCandidate = z
  .object({ id: objectId, name: z.string(), relation: z.enum(['family', 'grid_worker']) })
  .meta({ id: 'AuthorityCandidate' });

export const residentSearchQuery = z.strictObject({
  q: z.string().trim().min(1, '请输入姓名、手机号后四位或房号').max(20),
});
export const residentSearchResult = z
  .object({ id: objectId, name: z.string(), rooms: z.array(z.string()), phoneMasked: z.string().nullable() })
  .meta({ id: 'ResidentSearchResult' });

// --- 全程代办 matters (B7) ---
export const matterStatuses = ['open', 'accepted', 'done'] as const;
export type MatterStatus = (typeof matterStatuses)[number];
export const matterStatusLabels: Record<MatterStatus, string> = { open: '待接办', accepted: '办理中', done: '已办结' };

export const matterView = z
  .object({
    id: objectId,
    bookingId: objectId,
    residentId: objectId,
    residentName: z.string().nullable(),
    serviceName: z.string(),
    startAt: isoDateTime.nullable().meta({ description: '预约时段的开始时间' }),
    status: z.enum(matterStatuses),
    ownerName: z.string().nullable(),
    promisedBy: isoDate.nullable(),
    notes: z.array(z.object({ at: isoDateTime, byName: z.string(), text: z.string() })),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Matter' });
export type MatterView = z.infer<typeof matterView>;

export const matterAcceptBody = z
  .strictObject({ promisedBy: isoDate })
  .meta({ id: 'MatterAcceptBody' });
export const matterNoteBody = z
  .strictObject({ text: z.string({ error: '请填写进展' }).trim().min(2, '进展至少2个字').max(300, '进展最多300个字') })
  .meta({ id: 'MatterNoteBody' });
export const matterListQuery = z.strictObject({ status: z.enum(matterStatuses).optional() });

// --- Subscribe messages (S6) ---
export const subscriptionBody = z
  .strictObject({
    /** Template ids the person just said yes to in wx.requestSubscribeMessage. */
    accepted: z.array(z.string().min(1).max(64)).max(3),
  })
  .meta({ id: 'SubscriptionBody' });

export const serviceStats = z
  .object({
    serviceId: objectId,
    serviceName: z.string(),
    booked: z.number().int(),
    attended: z.number().int(),
    noShow: z.number().int(),
    cancelled: z.number().int(),
    ratingSum: z.number().int(),
    ratingCount: z.number().int(),
  })
  .meta({ id: 'ServiceStats' });
/** A date that exists on the calendar (2026-02-30 does not). */
// zod runs refinements even after the format check failed, so this one must not throw on any text.
const calendarDate = isoDate.refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}, '没有这一天，请检查日期');

export const statsQuery = z.strictObject({ from: calendarDate, to: calendarDate });
