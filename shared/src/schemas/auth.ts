import '../zod-setup.js';
import { z } from 'zod';
import { roles, bindingRelations, bindingStatuses } from '../roles.js';
import { isoDateTime, objectId } from './common.js';

export const wechatLoginBody = z
  .strictObject({
    code: z.string({ error: '缺少微信登录凭证' }).min(1, '缺少微信登录凭证').max(128, '登录凭证格式不正确'),
  })
  .meta({ id: 'WechatLoginBody' });
export type WechatLoginBody = z.infer<typeof wechatLoginBody>;

export const staffLoginBody = z
  .strictObject({
    username: z
      .string({ error: '请填写用户名' })
      .trim()
      .min(1, '请填写用户名')
      .max(64, '用户名最多64个字符'),
    password: z.string({ error: '请填写密码' }).min(1, '请填写密码').max(128, '密码最多128个字符'),
  })
  .meta({ id: 'StaffLoginBody' });
export type StaffLoginBody = z.infer<typeof staffLoginBody>;

export const refreshBody = z
  .strictObject({
    refreshToken: z.string({ error: '缺少登录凭证' }).min(20, '登录凭证格式不正确').max(200, '登录凭证格式不正确'),
  })
  .meta({ id: 'RefreshBody' });
export type RefreshBody = z.infer<typeof refreshBody>;

export const roomSummary = z
  .object({
    bindingId: objectId,
    roomId: objectId,
    label: z.string().meta({ description: '如 “3号楼 2单元 1201”' }),
    /** The room's building (the report page asks for similar cases in it). */
    buildingId: objectId,
    relation: z.enum(bindingRelations),
    status: z.enum(bindingStatuses),
  })
  .meta({ id: 'RoomSummary' });

export const userView = z
  .object({
    id: objectId,
    nickname: z.string(),
    displayName: z.string().nullable(),
    phoneMasked: z.string().nullable(),
    roles: z.array(z.enum(roles)),
    communityId: objectId.nullable(),
    gridIds: z.array(objectId),
    propertyCompanyId: objectId.nullable(),
    kind: z.enum(['wechat', 'staff']),
    createdAt: isoDateTime,
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userView>;

export const meView = userView
  .extend({ rooms: z.array(roomSummary) })
  .meta({ id: 'Me' });
export type MeView = z.infer<typeof meView>;

export const tokenPair = z
  .object({
    accessToken: z.string(),
    accessTokenExpiresAt: isoDateTime,
    refreshToken: z.string(),
    refreshTokenExpiresAt: isoDateTime,
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof tokenPair>;

export const loginResponse = tokenPair.extend({ user: userView }).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof loginResponse>;

export const profileUpdateBody = z
  .strictObject({
    nickname: z.string().trim().min(1, '昵称不能为空').max(20, '昵称最多20个字').optional(),
    displayName: z.string().trim().min(1, '姓名不能为空').max(20, '姓名最多20个字').optional(),
  })
  .meta({ id: 'ProfileUpdateBody' });
export type ProfileUpdateBody = z.infer<typeof profileUpdateBody>;

/** Desk accounts are made by an admin; the password rule is checked on both sides. */
export const staffUserCreateBody = z
  .strictObject({
    username: z
      .string({ error: '请填写用户名' })
      .trim()
      .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名是3到32位字母、数字或 _ . -'),
    password: z
      .string({ error: '请填写密码' })
      .min(10, '密码至少10位')
      .max(128, '密码最多128位')
      .regex(/[A-Za-z]/, '密码需要包含字母')
      .regex(/\d/, '密码需要包含数字'),
    displayName: z.string({ error: '请填写姓名' }).trim().min(2, '请填写姓名').max(20, '姓名最多20个字'),
    roles: z.array(z.enum(roles)).min(1, '至少选择一个身份').max(roles.length),
  })
  .meta({ id: 'StaffUserCreateBody' });
export type StaffUserCreateBody = z.infer<typeof staffUserCreateBody>;

export const userListQuery = z.strictObject({
  role: z.enum(roles).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const userCompanyBody = z
  .strictObject({ propertyCompanyId: objectId.nullable() })
  .meta({ id: 'UserCompanyBody' });
