import { createHmac } from 'node:crypto';
import { Types } from 'mongoose';
import {
  staffRoles,
  maskPhone,
  type LoginResponse,
  type ProfileUpdateBody,
  type Role,
  type UserView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import { countHit, peekCount } from '../../db/rate-counter.js';
import type { Actor } from '../../http/types.js';
import { WechatError, type WechatClient } from '../../wechat/client.js';
import { LoginThrottle, RefreshToken, StaffCredential, User, WechatIdentity, type UserDoc } from './models.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { hashRefreshToken, newRefreshToken, newSessionId, signAccessToken, verifyAccessToken } from './tokens.js';

function lockedError(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('ACCOUNT_LOCKED', `密码错误次数太多，请${Math.ceil(retryAfterSeconds / 60)}分钟后再试`, { retryAfterSeconds });
}

export interface AccountSettings {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  appid: string;
  staffLockAfterFailures: number;
  staffLockMinutes: number;
  staffAccountFailuresPerHour: number;
  /** Keys the hashes that name an account and address in throttle records (no plain IPs stored). */
  throttleKey: string;
}

/** Roles that follow from approved room bindings; an admin never grants them by hand. */
export const derivedRoles: readonly Role[] = ['resident', 'owner'];
const grantableRoles: readonly Role[] = [...staffRoles, 'volunteer'];

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService(settings: AccountSettings, wechat: WechatClient) {
  async function issueTokens(user: UserDoc, sessionId = newSessionId()): Promise<LoginResponse> {
    const access = signAccessToken(
      { userId: user._id.toHexString(), sessionId, version: user.tokenVersion ?? 0 },
      settings.jwtSecret,
      settings.accessTokenTtlSeconds,
    );
    const refresh = newRefreshToken();
    const refreshExpiresAt = new Date(Date.now() + settings.refreshTokenTtlDays * 86_400_000);
    await RefreshToken.create({ tokenHash: refresh.hash, userId: user._id, familyId: sessionId, expiresAt: refreshExpiresAt });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
      user: toUserView(user),
    };
  }

  async function activeUser(userId: Types.ObjectId | string): Promise<UserDoc> {
    const user = await User.findById(userId).lean<UserDoc>();
    if (!user) throw new AppError('UNAUTHENTICATED', '账号不存在，请重新登录');
    if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
    return user;
  }

  /**
   * Ends a session's access tokens now (its refresh tokens are revoked by the caller). Kept on the
   * user for as long as such a token could still be unexpired, then dropped.
   */
  async function revokeSession(userId: Types.ObjectId | string, sessionId: string, now: Date): Promise<void> {
    const user = await User.findById(userId).select({ revokedSessions: 1 }).lean<UserDoc>();
    if (!user) return;
    const until = new Date(now.getTime() + settings.accessTokenTtlSeconds * 1000);
    const stale = Object.entries((user.revokedSessions ?? {}) as Record<string, Date>)
      .filter(([sid, at]) => sid !== sessionId && new Date(at) < now)
      .map(([sid]) => [`revokedSessions.${sid}`, ''] as const);
    const update: Record<string, unknown> = { $set: { [`revokedSessions.${sessionId}`]: until } };
    if (stale.length) update.$unset = Object.fromEntries(stale);
    await User.updateOne({ _id: userId }, update);
  }

  /** Every session of the person ends: access tokens by the version, refresh tokens by revocation. */
  async function endAllSessions(userId: string, now: Date): Promise<void> {
    await User.updateOne({ _id: userId }, { $inc: { tokenVersion: 1 } });
    await RefreshToken.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: now } });
  }

  const keyed = (what: string, text: string) => createHmac('sha256', settings.throttleKey).update(`${what}\n${text}`).digest('hex').slice(0, 32);

  return {
    async loginWithWechat(code: string): Promise<LoginResponse> {
      let session;
      try {
        session = await wechat.code2Session(code);
      } catch (error) {
        throw wechatLoginError(error);
      }
      const userId = await userIdForOpenid(session.openid, session.unionid ?? null, settings.appid);
      return issueTokens(await activeUser(userId));
    },

    /**
     * Password login for desk accounts. Wrong passwords are counted per account and address
     * (LoginThrottle), so a stranger cannot lock a desk out from elsewhere; the account's failures
     * from all addresses are also counted over a sliding hour, and past STAFF_ACCOUNT_FAILURES_PER_HOUR
     * only addresses it has logged in from before may try. Unknown usernames go the same way, at
     * the same cost, so the answers do not tell which accounts exist.
     */
    async loginStaff(username: string, password: string, address: string, now = new Date()): Promise<LoginResponse> {
      const name = username.toLowerCase();
      const throttleId = keyed('throttle', `${name}\n${address}`);
      const addressKey = keyed('address', `${name}\n${address}`);
      const throttle = await LoginThrottle.findById(throttleId).lean();
      if (throttle?.lockedUntil && throttle.lockedUntil > now) throw lockedError(throttle.lockedUntil, now);
      const credential = await StaffCredential.findOne({ username: name }).lean();
      const known = !!credential?.knownAddresses?.includes(addressKey);
      if (!known && (await peekCount(`staff-fail:${keyed('account', name)}`, 3600, now)) >= settings.staffAccountFailuresPerHour) {
        await burnPasswordCheck(password);
        throw new AppError('ACCOUNT_LOCKED', '这个账号最近密码错误太多，请在平时登录的电脑上登录，或请管理员协助', { retryAfterSeconds: 3600 });
      }
      const ok = credential ? await verifyPassword(password, credential.passwordHash) : (await burnPasswordCheck(password), false);
      if (!ok) {
        await countHit(`staff-fail:${keyed('account', name)}`, 3600, now);
        const after = await LoginThrottle.findOneAndUpdate(
          { _id: throttleId },
          { $inc: { failures: 1 }, $set: { expiresAt: new Date(now.getTime() + 86_400_000) } },
          { upsert: true, returnDocument: 'after' },
        ).lean();
        if (after && after.failures >= settings.staffLockAfterFailures) {
          const minutes = Math.min(24 * 60, settings.staffLockMinutes * 2 ** (after.locks ?? 0));
          const lockedUntil = new Date(now.getTime() + minutes * 60_000);
          // Guarded by the count just read: of two racing failures, one sets the lock.
          await LoginThrottle.updateOne(
            { _id: throttleId, failures: after.failures },
            { $set: { lockedUntil, failures: 0, expiresAt: new Date(lockedUntil.getTime() + 86_400_000) }, $inc: { locks: 1 } },
          );
          throw lockedError(lockedUntil, now);
        }
        throw new AppError('LOGIN_FAILED');
      }
      await LoginThrottle.deleteOne({ _id: throttleId });
      if (!known) {
        const addresses = [...(credential!.knownAddresses ?? []).filter((a) => a !== addressKey), addressKey].slice(-5);
        await StaffCredential.updateOne({ _id: credential!._id }, { $set: { knownAddresses: addresses } });
      }
      return issueTokens(await activeUser(credential!.userId));
    },

    async refresh(refreshToken: string, now = new Date()): Promise<LoginResponse> {
      const tokenHash = hashRefreshToken(refreshToken);
      // One guarded update: of two concurrent uses of the same token, one wins.
      const used = await RefreshToken.findOneAndUpdate(
        { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { $set: { rotatedAt: now } },
        { returnDocument: 'after' },
      ).lean();
      if (!used) {
        const known = await RefreshToken.findOne({ tokenHash }).lean();
        if (known?.rotatedAt && !known.revokedAt) {
          // A rotated token came back: it leaked. The whole session ends, its live access token too.
          await RefreshToken.updateMany({ familyId: known.familyId, revokedAt: null }, { $set: { revokedAt: now } });
          await revokeSession(known.userId, known.familyId, now);
        }
        throw new AppError('REFRESH_TOKEN_INVALID');
      }
      return issueTokens(await activeUser(used.userId), used.familyId);
    },

    async logout(actor: Actor, refreshToken: string, now = new Date()): Promise<void> {
      const known = await RefreshToken.findOne({ tokenHash: hashRefreshToken(refreshToken), userId: actor.id }).lean();
      // The access token that called is ended too, even if the refresh token is unknown or gone.
      if (actor.sessionId) await revokeSession(actor.id, actor.sessionId, now);
      if (!known) return; // already gone: logging out twice is not an error
      await RefreshToken.updateMany({ familyId: known.familyId, revokedAt: null }, { $set: { revokedAt: now } });
      if (known.familyId !== actor.sessionId) await revokeSession(actor.id, known.familyId, now);
    },

    async authenticate(bearerToken: string, now = new Date()): Promise<Actor> {
      const claims = verifyAccessToken(bearerToken, settings.jwtSecret);
      const user = await activeUser(claims.userId);
      // Both checks read the user document this request loads anyway: no extra query per request.
      if ((user.tokenVersion ?? 0) !== claims.version) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录');
      const revokedUntil = (user.revokedSessions as Record<string, Date> | undefined)?.[claims.sessionId];
      if (revokedUntil && new Date(revokedUntil) > now) throw new AppError('UNAUTHENTICATED', '您已退出登录，请重新登录');
      return { ...toActor(user), sessionId: claims.sessionId };
    },

    async getUser(userId: string): Promise<UserView> {
      return toUserView(await activeUser(userId));
    },

    /** The full phone number, for the few who must call the person back (centre staff on a case). */
    async phoneOf(userId: string): Promise<string | null> {
      return (await activeUser(userId)).phone ?? null;
    },

    async updateProfile(actor: Actor, patch: ProfileUpdateBody): Promise<UserView> {
      const set: Record<string, string> = {};
      if (patch.nickname !== undefined) set.nickname = patch.nickname;
      if (patch.displayName !== undefined) set.displayName = patch.displayName;
      const user = await User.findOneAndUpdate({ _id: actor.id }, { $set: set }, { returnDocument: 'after' }).lean<UserDoc>();
      if (!user) throw new AppError('NOT_FOUND');
      return toUserView(user);
    },

    /** Creates a desk account (seed, admin). */
    async createStaffUser(input: {
      username: string;
      password: string;
      displayName: string;
      roles: Role[];
      communityId: string | null;
      gridIds?: string[];
      propertyCompanyId?: string | null;
    }): Promise<UserView> {
      const forbidden = input.roles.filter((r) => !grantableRoles.includes(r));
      if (forbidden.length) throw new AppError('VALIDATION_FAILED', '居民和业主身份来自房屋绑定，不能直接授予', { roles: forbidden });
      const userId = new Types.ObjectId();
      try {
        await StaffCredential.create({ username: input.username, userId, passwordHash: await hashPassword(input.password) });
      } catch (error) {
        if (isDuplicateKey(error)) throw new AppError('CONFLICT', '这个用户名已经有人用了');
        throw error;
      }
      const user = await User.create({
        _id: userId,
        kind: 'staff',
        nickname: input.displayName,
        displayName: input.displayName,
        roles: input.roles,
        communityId: input.communityId,
        gridIds: input.gridIds ?? [],
        propertyCompanyId: input.propertyCompanyId ?? null,
      });
      return toUserView(user.toObject() as UserDoc);
    },

    /** The seed's way in: an existing desk account is returned as it is. */
    async findOrCreateStaffUser(input: Parameters<typeof this.createStaffUser>[0]): Promise<UserView> {
      const credential = await StaffCredential.findOne({ username: input.username.toLowerCase() }).lean();
      if (credential) return this.getUser(credential.userId.toHexString());
      return this.createStaffUser(input);
    },

    /** Replaces the granted (staff and volunteer) roles; derived roles are kept as they are. */
    async setGrantedRoles(actor: Actor, userId: string, requested: Role[]): Promise<UserView> {
      const forbidden = requested.filter((r) => !grantableRoles.includes(r));
      if (forbidden.length) throw new AppError('VALIDATION_FAILED', '居民和业主身份来自房屋绑定，不能直接授予', { roles: forbidden });
      if (actor.id === userId && !requested.includes('admin')) {
        throw new AppError('CONFLICT', '不能取消自己的管理员身份，请让另一位管理员操作');
      }
      const user = await userInCommunityOf(actor, userId);
      const kept = ((user.roles ?? []) as Role[]).filter((r) => derivedRoles.includes(r));
      const next = [...new Set([...kept, ...requested])];
      const updated = await User.findOneAndUpdate({ _id: userId }, { $set: { roles: next } }, { returnDocument: 'after' }).lean<UserDoc>();
      // A role taken away ends the person's sessions: a dismissed grid worker's phone must not stay signed in.
      const lost = ((user.roles ?? []) as Role[]).some((r) => !next.includes(r));
      if (lost && userId !== actor.id) await endAllSessions(userId, new Date());
      return toUserView(updated!);
    },

    /** Called by the space module when a binding is approved. */
    async addDerivedRoles(userId: string, added: Role[], communityId: string): Promise<void> {
      await User.updateOne({ _id: userId }, { $addToSet: { roles: { $each: added } } });
      await User.updateOne({ _id: userId, communityId: null }, { $set: { communityId } });
    },

    async setDisplayNameIfMissing(userId: string, displayName: string): Promise<void> {
      await User.updateOne({ _id: userId, displayName: null }, { $set: { displayName } });
    },

    async assignGrid(actor: Actor, userId: string, gridId: string, assigned: boolean): Promise<UserView> {
      const user = await userInCommunityOf(actor, userId);
      if (assigned && !((user.roles ?? []) as Role[]).includes('grid_worker')) {
        throw new AppError('CONFLICT', '请先授予此人网格员身份');
      }
      const update = assigned ? { $addToSet: { gridIds: new Types.ObjectId(gridId) } } : { $pull: { gridIds: new Types.ObjectId(gridId) } };
      const updated = await User.findOneAndUpdate({ _id: userId }, update, { returnDocument: 'after' }).lean<UserDoc>();
      return toUserView(updated!);
    },

    async setPropertyCompany(actor: Actor, userId: string, propertyCompanyId: string | null): Promise<UserView> {
      await userInCommunityOf(actor, userId);
      const updated = await User.findOneAndUpdate({ _id: userId }, { $set: { propertyCompanyId } }, { returnDocument: 'after' }).lean<UserDoc>();
      if (!updated) throw new AppError('NOT_FOUND', '没有找到这个用户');
      return toUserView(updated);
    },

    async listUsers(filter: { role?: Role; communityId?: string | null }, limit: number): Promise<UserView[]> {
      const query: Record<string, unknown> = {};
      if (filter.role) query.roles = filter.role;
      if (filter.communityId) query.communityId = filter.communityId;
      const users = await User.find(query).sort({ _id: 1 }).limit(limit).lean<UserDoc[]>();
      return users.map(toUserView);
    },
  };
}

/** An admin manages the people of their own community (and those not yet in any). */
async function userInCommunityOf(actor: Actor, userId: string): Promise<UserDoc> {
  const user = await User.findById(userId).lean<UserDoc>();
  if (!user || (user.communityId && user.communityId.toHexString() !== actor.communityId)) {
    throw new AppError('NOT_FOUND', '没有找到这个用户');
  }
  return user;
}

/** Finds or creates the user of an openid; safe when the same person logs in twice at once. */
async function userIdForOpenid(openid: string, unionid: string | null, appid: string): Promise<Types.ObjectId> {
  const candidate = new Types.ObjectId();
  let identity;
  try {
    identity = await WechatIdentity.findOneAndUpdate(
      { openid },
      { $setOnInsert: { openid, unionid, appid, userId: candidate } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    identity = await WechatIdentity.findOne({ openid }).lean();
  }
  if (!identity) throw new AppError('INTERNAL');
  // Created after the identity, and by upsert, so a crash in between heals on the next login.
  await User.updateOne(
    { _id: identity.userId },
    // No empty arrays here: FerretDB drops them from $setOnInsert (docs/database-facts.md);
    // readers treat a missing roles/gridIds as empty.
    { $setOnInsert: { kind: 'wechat', nickname: '微信用户', status: 'active' } },
    { upsert: true },
  ).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
  return identity.userId;
}

function wechatLoginError(error: unknown): AppError {
  if (!(error instanceof WechatError)) return new AppError('WECHAT_UNAVAILABLE');
  switch (error.errcode) {
    case 40029:
    case 40163:
      return new AppError('WECHAT_CODE_INVALID', undefined, { errcode: error.errcode });
    case 45011:
      return new AppError('WECHAT_TOO_FREQUENT', undefined, { errcode: error.errcode });
    case 40226:
      return new AppError('WECHAT_USER_BLOCKED', undefined, { errcode: error.errcode });
    default:
      return new AppError('WECHAT_UNAVAILABLE', undefined, { errcode: error.errcode });
  }
}

export function toActor(user: UserDoc): Actor {
  return {
    profile: toUserView(user),
    id: user._id.toHexString(),
    roles: (user.roles ?? []) as Role[],
    communityId: user.communityId ? user.communityId.toHexString() : null,
    gridIds: (user.gridIds ?? []).map((g) => g.toHexString()),
    propertyCompanyId: user.propertyCompanyId ? user.propertyCompanyId.toHexString() : null,
    kind: user.kind as 'wechat' | 'staff',
  };
}

export function toUserView(user: UserDoc): UserView {
  const createdAt = (user as { createdAt?: Date }).createdAt ?? user._id.getTimestamp();
  return {
    id: user._id.toHexString(),
    nickname: user.nickname,
    displayName: user.displayName ?? null,
    phoneMasked: maskPhone(user.phone),
    roles: (user.roles ?? []) as Role[],
    communityId: user.communityId ? user.communityId.toHexString() : null,
    gridIds: (user.gridIds ?? []).map((g) => g.toHexString()),
    propertyCompanyId: user.propertyCompanyId ? user.propertyCompanyId.toHexString() : null,
    kind: user.kind as 'wechat' | 'staff',
    createdAt: createdAt.toISOString(),
  };
}

/** Lets a desk account also log in from the mini-program (grid workers on the move). */
export async function linkWechatIdentity(userId: string, openid: string, appid: string): Promise<void> {
  await WechatIdentity.updateOne(
    { openid },
    { $setOnInsert: { openid, unionid: null, appid, userId: new Types.ObjectId(userId) } },
    { upsert: true },
  );
}

/** The person's openid for WeChat server calls (subscribe messages); null for desk-only accounts. */
export async function openidOf(userId: string): Promise<string | null> {
  const identity = await WechatIdentity.findOne({ userId }).select({ openid: 1 }).lean();
  return identity?.openid ?? null;
}
