import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId, reason, uploadId } from './common.js';

// --- Property-management feedback (F1–F9) ---

export const caseKinds = ['repair', 'complaint', 'suggestion', 'praise', 'question'] as const;
export type CaseKind = (typeof caseKinds)[number];
export const caseKindLabels: Record<CaseKind, string> = { repair: '报修', complaint: '投诉', suggestion: '建议', praise: '表扬', question: '咨询' };

export const caseCategories = ['utilities', 'elevator', 'greening', 'cleaning', 'security', 'parking', 'noise', 'fees', 'other'] as const;
export type CaseCategory = (typeof caseCategories)[number];
export const caseCategoryLabels: Record<CaseCategory, string> = {
  utilities: '水电',
  elevator: '电梯',
  greening: '绿化',
  cleaning: '保洁',
  security: '安保',
  parking: '停车',
  noise: '噪声',
  fees: '收费',
  other: '其他',
};

/** Who holds a case, lowest first: an overdue case climbs one level (吹哨 at the centre). */
export const deskLevels = ['property', 'grid', 'centre', 'street'] as const;
export type DeskLevel = (typeof deskLevels)[number];
export const deskLevelLabels: Record<DeskLevel, string> = { property: '物业公司', grid: '网格员', centre: '社区服务中心', street: '街道办' };

export const caseStatuses = ['submitted', 'accepted', 'paused', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const caseStatusLabels: Record<CaseStatus, string> = {
  submitted: '待受理',
  accepted: '处理中',
  paused: '暂停处理',
  resolved: '已处理，待您确认',
  closed: '已办结',
};

export const casePlace = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('room'), roomId: objectId }),
  z.strictObject({ kind: z.literal('common'), buildingId: objectId, spot: z.string().trim().min(2, '请写明具体位置，例如“2单元电梯”').max(40) }),
]);

export const caseCreateBody = z
  .strictObject({
    kind: z.enum(caseKinds, { error: '请选择反映什么' }),
    category: z.enum(caseCategories, { error: '请选择问题类别' }),
    urgent: z.boolean().default(false),
    place: casePlace,
    text: z.string({ error: '请说说是什么情况' }).trim().min(5, '请至少写5个字，说清楚情况').max(1000, '最多1000个字'),
    photoIds: z.array(uploadId).max(9, '最多9张照片').default([]),
    /** everyone: the desks see the name; staff_only: property staff and the public see 匿名居民. */
    visibility: z.enum(['everyone', 'staff_only']).default('everyone'),
  })
  .meta({ id: 'CaseCreateBody' });
export type CaseCreateBody = z.infer<typeof caseCreateBody>;

export const caseRatingBody = z
  .strictObject({ level: z.number({ error: '请选择满意程度' }).int().min(1).max(5), comment: z.string().trim().max(300).default('') })
  .meta({ id: 'CaseRatingBody' });

export const caseReopenBody = z.strictObject({ reason: reason('重新打开的原因') }).meta({ id: 'CaseReopenBody' });
export const caseTransferBody = z.strictObject({ toLevel: z.enum(deskLevels), reason: reason('转单原因') }).meta({ id: 'CaseTransferBody' });
export const caseReturnBody = z.strictObject({ reason: reason('退单原因') }).meta({ id: 'CaseReturnBody' });
export const casePauseBody = z
  .strictObject({ reason: reason('暂停原因'), resumeOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请选择恢复日期') })
  .meta({ id: 'CasePauseBody' });
export const caseResolveBody = z
  .strictObject({ note: reason('处理结果'), photoIds: z.array(uploadId).max(9, '最多9张照片').default([]) })
  .meta({ id: 'CaseResolveBody' });
export const caseVisitBody = z.strictObject({ note: reason('回访记录') }).meta({ id: 'CaseVisitBody' });

export const caseStepView = z.object({
  at: isoDateTime,
  action: z.string(),
  label: z.string(),
  byName: z.string(),
  note: z.string().nullable(),
  level: z.enum(deskLevels).nullable(),
  /** Photos the desk attached to this step (处理完成), served through the case: `/api/v1/cases/{id}/photos/{photoId}`. */
  photoUrls: z.array(z.string()),
});

export const caseView = z
  .object({
    id: objectId,
    number: z.string(),
    kind: z.enum(caseKinds),
    category: z.enum(caseCategories),
    urgent: z.boolean(),
    /** The building the problem is in (a room's building too); naming a building identifies nobody. */
    buildingId: objectId,
    placeLabel: z.string().meta({ description: '房号只给能看到反映人的人；匿名居民家里的问题，物业和其他居民只看到楼栋' }),
    text: z.string(),
    photoUrls: z.array(z.string()),
    status: z.enum(caseStatuses),
    level: z.enum(deskLevels),
    holderLabel: z.string().meta({ description: '现在由谁处理，如“金城物业服务有限公司”' }),
    /** The reporter as this viewer may see them: 匿名居民 for property staff and the public when hidden. */
    reporterName: z.string(),
    reporterPhone: z.string().nullable(),
    /** The reporter's choice of who sees their name: for the reporter and the desks, null for other residents. */
    visibility: z.enum(['everyone', 'staff_only']).nullable(),
    mine: z.boolean(),
    following: z.boolean(),
    followers: z.number(),
    promisedBy: isoDateTime.nullable(),
    /** While paused (暂停): the day it resumes, YYYY-MM-DD (Asia/Shanghai). */
    pausedUntil: z.string().nullable(),
    overdue: z.boolean(),
    awaitingAcknowledgement: z.boolean(),
    rating: z.object({ level: z.number(), comment: z.string() }).nullable(),
    rectification: z.object({ dueOn: z.string(), status: z.enum(['open', 'done']), visitNote: z.string().nullable() }).nullable(),
    history: z.array(caseStepView),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof caseView>;

export const promiseRuleBody = z
  .strictObject({
    category: z.enum(caseCategories).nullable(),
    kind: z.enum(caseKinds).nullable(),
    urgent: z.boolean().nullable(),
    amount: z.number().int().min(1).max(400),
    unit: z.enum(['hours', 'working_days']),
  })
  .meta({ id: 'PromiseRuleBody' });

export const routingRuleBody = z
  .strictObject({
    category: z.enum(caseCategories).nullable(),
    buildingId: objectId.nullable(),
    level: z.enum(['property', 'grid', 'centre']),
  })
  .meta({ id: 'RoutingRuleBody' });
