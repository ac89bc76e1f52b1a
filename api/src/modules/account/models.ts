import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { roles } from '@community/shared';

const userSchema = new Schema(
  {
    kind: { type: String, enum: ['wechat', 'staff'], required: true },
    nickname: { type: String, required: true, maxlength: 40 },
    displayName: { type: String, default: null, maxlength: 40 },
    phone: { type: String, default: null },
    roles: { type: [String], enum: roles, default: [] },
    communityId: { type: Schema.Types.ObjectId, default: null, index: true },
    gridIds: { type: [Schema.Types.ObjectId], default: [] },
    propertyCompanyId: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
  },
  { timestamps: true, versionKey: false },
);
userSchema.index({ roles: 1 });
export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export const User = model('User', userSchema, 'users');

/** One WeChat openid ↔ one user; kept apart so the unique index never sees a missing openid. */
const wechatIdentitySchema = new Schema(
  {
    openid: { type: String, required: true, unique: true },
    unionid: { type: String, default: null },
    appid: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
  },
  { timestamps: true, versionKey: false },
);
export const WechatIdentity = model('WechatIdentity', wechatIdentitySchema, 'wechat_identities');

const staffCredentialSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, lowercase: true, trim: true },
    userId: { type: Schema.Types.ObjectId, required: true, unique: true },
    passwordHash: { type: String, required: true },
    failedCount: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const StaffCredential = model('StaffCredential', staffCredentialSchema, 'staff_credentials');

/**
 * Refresh tokens are stored as SHA-256 hashes. Each use rotates the token; a
 * token presented again after rotation means it leaked, so its whole family
 * (the login session) is revoked.
 */
const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    familyId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const RefreshToken = model('RefreshToken', refreshTokenSchema, 'refresh_tokens');
