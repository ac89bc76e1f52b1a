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
    /**
     * Access tokens carry the version they were issued under; raising it (a role taken away, a
     * password changed) ends every access token at once. Read with the user on every request
     * anyway, so the check costs no extra query.
     */
    tokenVersion: { type: Number, default: 0 },
    /**
     * Sessions ended before their access tokens expire (logout, a refresh token replayed):
     * session id → when its last access token expires. One field per session, so two logouts
     * at once cannot overwrite each other; entries past their time are dropped on the next write.
     */
    revokedSessions: { type: Schema.Types.Mixed, default: undefined },
  },
  { timestamps: true, versionKey: false, minimize: true },
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
    /**
     * Keyed hashes of the last few addresses this account logged in from: when a spread-out guesser
     * has pushed the account over its hourly failure ceiling, these may still try.
     */
    knownAddresses: { type: [String], default: undefined },
  },
  { timestamps: true, versionKey: false },
);
export const StaffCredential = model('StaffCredential', staffCredentialSchema, 'staff_credentials');

/**
 * Wrong passwords per account AND address (`_id` = a hash of both): a stranger's
 * guesses lock only the stranger's address out of that account, never the desk
 * that works from another. Each lock doubles the one before; the record expires
 * a day after its last lock, and with it the doubling.
 */
const loginThrottleSchema = new Schema(
  {
    _id: { type: String, required: true },
    failures: { type: Number, default: 0 },
    locks: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    // Indexed by db/expiry.ts (TTL on MongoDB).
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const LoginThrottle = model('LoginThrottle', loginThrottleSchema, 'login_throttles');

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
