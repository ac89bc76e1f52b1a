import '../zod-setup.js';
import { z } from 'zod';
import { bindingOwnerMatches, bindingRelations, bindingReviewPaths, bindingStatuses, roles } from '../roles.js';
import { isoDateTime, objectId, reason } from './common.js';

export const gridView = z
  .object({ id: objectId, name: z.string(), code: z.string(), workerIds: z.array(objectId) })
  .meta({ id: 'Grid' });

export const buildingView = z
  .object({
    id: objectId,
    name: z.string(),
    gridId: objectId,
    propertyCompanyId: objectId.nullable(),
    unitCount: z.number().int(),
  })
  .meta({ id: 'Building' });
export type BuildingView = z.infer<typeof buildingView>;

export const unitView = z.object({ id: objectId, buildingId: objectId, name: z.string() }).meta({ id: 'Unit' });
export type UnitView = z.infer<typeof unitView>;

export const roomView = z
  .object({
    id: objectId,
    unitId: objectId,
    buildingId: objectId,
    number: z.string(),
    floor: z.number().int(),
    /** Exclusive area in 0.01 m² (integer), as the art. 278 counting needs. */
    areaCentiSquareMetres: z.number().int(),
  })
  .meta({ id: 'Room' });
export type RoomView = z.infer<typeof roomView>;

export const bindingRequestBody = z
  .strictObject({
    roomId: objectId,
    relation: z.enum(bindingRelations, { error: '请选择您与房屋的关系' }),
    realName: z
      .string({ error: '请填写真实姓名' })
      .trim()
      .min(2, '请填写真实姓名')
      .max(20, '姓名最多20个字')
      .regex(/^[\p{Script=Han}·A-Za-z ]+$/u, '姓名只能包含汉字或字母'),
    note: z.string().trim().max(200, '备注最多200个字').optional(),
    /**
     * The one-time code of the mini-program's getPhoneNumber button: the API
     * asks WeChat for the number, so a number typed by hand never counts.
     */
    phoneCode: z.string().trim().min(1).max(128, '手机号凭证不正确').optional(),
  })
  .meta({ id: 'BindingRequestBody' });
export type BindingRequestBody = z.infer<typeof bindingRequestBody>;

export const bindingView = z
  .object({
    id: objectId,
    userId: objectId,
    roomId: objectId,
    roomLabel: z.string(),
    buildingId: objectId,
    relation: z.enum(bindingRelations),
    status: z.enum(bindingStatuses),
    realName: z.string(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    via: z.enum(['request', 'invitation', 'import']),
    createdAt: isoDateTime,
    decidedAt: isoDateTime.nullable(),
    /**
     * How an owner claim was checked against the owner register: WeChat's phone
     * number equal to the register's, a code the community issued for the room,
     * the name as registered (staff then check it), or nothing matched.
     */
    ownerMatch: z.enum(bindingOwnerMatches).nullable(),
    /** auto: no one needed to review; staff: one staff member; two_staff: two different staff members. */
    reviewPath: z.enum(bindingReviewPaths),
    /** Set while a two-staff claim has its first approval (待复核). */
    firstApprovedAt: isoDateTime.nullable(),
    /** While pending: when the resident may expect an answer. */
    expectedBy: isoDateTime.nullable(),
  })
  .meta({ id: 'Binding' });
export type BindingView = z.infer<typeof bindingView>;

/** What a reviewer sees: the claim beside the owner register of that room. */
export const bindingReviewView = bindingView
  .extend({
    register: z.object({
      owners: z.array(z.object({ name: z.string(), phoneMasked: z.string().nullable(), developer: z.boolean() })),
      nameMatches: z.boolean(),
      /** null: the applicant gave no WeChat phone number. */
      phoneMatches: z.boolean().nullable(),
    }),
    applicantPhoneMasked: z.string().nullable(),
    /** The applicant holds a staff role: an owner claim then always needs two reviewers. */
    applicantIsStaff: z.boolean(),
    firstApproval: z.object({ byName: z.string(), at: isoDateTime }).nullable(),
    decidedByName: z.string().nullable(),
    /** Whether this reviewer may decide it now, and if not, why (in words for the page). */
    canDecide: z.boolean(),
    cannotDecideReason: z.string().nullable(),
  })
  .meta({ id: 'BindingReview' });
export type BindingReviewView = z.infer<typeof bindingReviewView>;

export const bindingRejectBody = z.strictObject({ reason: reason('不通过的原因') }).meta({ id: 'BindingRejectBody' });
export type BindingRejectBody = z.infer<typeof bindingRejectBody>;

export const bindingListQuery = z.strictObject({
  status: z.enum(bindingStatuses).default('pending'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type BindingListQuery = z.infer<typeof bindingListQuery>;

export const invitationCreateBody = z
  .strictObject({
    roomId: objectId,
    relation: z.enum(bindingRelations, { error: '请选择关系' }),
    realName: z.string().trim().min(2, '请填写姓名').max(20, '姓名最多20个字'),
    validDays: z.number().int().min(1).max(30).default(7),
  })
  .meta({ id: 'InvitationCreateBody' });
export type InvitationCreateBody = z.infer<typeof invitationCreateBody>;

export const invitationView = z
  .object({ code: z.string(), roomLabel: z.string(), expiresAt: isoDateTime })
  .meta({ id: 'Invitation' });

export const invitationRedeemBody = z
  .strictObject({
    code: z
      .string({ error: '请填写邀请码' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8}$/, '邀请码是8位字母或数字'),
  })
  .meta({ id: 'InvitationRedeemBody' });
export type InvitationRedeemBody = z.infer<typeof invitationRedeemBody>;

export const importRowProblem = z.object({ row: z.number().int(), problems: z.array(z.string()) });
export const importReport = z
  .object({
    dryRun: z.boolean(),
    rowsRead: z.number().int(),
    rowsAccepted: z.number().int(),
    rejected: z.array(importRowProblem),
    created: z.object({
      grids: z.number().int(),
      buildings: z.number().int(),
      units: z.number().int(),
      rooms: z.number().int(),
      owners: z.number().int(),
    }),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReport>;

export const roleGrantBody = z
  .strictObject({ roles: z.array(z.enum(roles)).max(roles.length) })
  .meta({ id: 'RoleGrantBody' });
export type RoleGrantBody = z.infer<typeof roleGrantBody>;

export const gridWorkerBody = z.strictObject({ userId: objectId }).meta({ id: 'GridWorkerBody' });
export const buildingCompanyBody = z
  .strictObject({ propertyCompanyId: objectId.nullable() })
  .meta({ id: 'BuildingCompanyBody' });
