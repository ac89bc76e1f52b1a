import { toShanghaiIso, type AuthorityCreateBody, type AuthorityScope, type AuthorityView } from '@community/shared';
import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { NotificationService } from '../notification/service.js';
import type { SpaceService } from '../space/service.js';
import { Authority, type AuthorityDoc } from './models.js';

export type AuthorityService = ReturnType<typeof createAuthorityService>;

export function createAuthorityService(accounts: AccountService, spaces: SpaceService, notifications: NotificationService) {
  async function names(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of [...new Set(ids)]) {
      const user = await accounts.getUser(id).catch(() => null);
      out.set(id, user ? (user.displayName ?? user.nickname) : '（已注销）');
    }
    return out;
  }

  async function toViews(docs: AuthorityDoc[], now: Date): Promise<AuthorityView[]> {
    const byId = await names(docs.flatMap((d) => [d.grantorId.toHexString(), d.granteeId.toHexString()]));
    return docs.map((d) => ({
      id: d._id.toHexString(),
      grantorId: d.grantorId.toHexString(),
      grantorName: byId.get(d.grantorId.toHexString())!,
      granteeId: d.granteeId.toHexString(),
      granteeName: byId.get(d.granteeId.toHexString())!,
      scopes: d.scopes as AuthorityScope[],
      expiresAt: toShanghaiIso(d.expiresAt),
      revokedAt: d.revokedAt ? toShanghaiIso(d.revokedAt) : null,
      active: !d.revokedAt && d.expiresAt > now,
      createdAt: toShanghaiIso(d.createdAt ?? d._id.getTimestamp()),
    }));
  }

  return {
    /** Who a resident may authorise: people bound to the same rooms, and the grid workers of their grids. */
    async candidates(actor: Actor) {
      const rooms = (await spaces.bindingsOf(actor.id)).filter((b) => b.status === 'approved');
      const family = await spaces.peopleBoundTo(rooms.map((r) => r.roomId));
      const gridWorkers = await spaces.gridWorkersOfRooms(rooms.map((r) => r.roomId));
      const seen = new Set<string>([actor.id]);
      const out: { id: string; name: string; relation: 'family' | 'grid_worker' }[] = [];
      for (const p of family) if (!seen.has(p.userId)) (seen.add(p.userId), out.push({ id: p.userId, name: p.name, relation: 'family' }));
      for (const w of gridWorkers) if (!seen.has(w.id)) (seen.add(w.id), out.push({ id: w.id, name: w.name, relation: 'grid_worker' }));
      return out;
    },

    async grant(actor: Actor, body: AuthorityCreateBody, now = new Date()): Promise<AuthorityView> {
      if (!actor.communityId || !actor.roles.includes('resident')) throw new AppError('FORBIDDEN', '绑定房屋后才能授权别人代办');
      const allowed = await this.candidates(actor);
      const grantee = allowed.find((c) => c.id === body.granteeId);
      if (!grantee) throw new AppError('VALIDATION_FAILED', '只能授权同住的家人或本网格的网格员', { fields: { 'body.granteeId': ['请从列表中选择'] } });
      // A new grant to the same person replaces the old one (scopes and term as now chosen).
      await Authority.updateMany({ grantorId: actor.id, granteeId: body.granteeId, revokedAt: null }, { $set: { revokedAt: now } });
      const doc = await Authority.create({
        communityId: actor.communityId,
        grantorId: actor.id,
        granteeId: body.granteeId,
        scopes: body.scopes,
        expiresAt: new Date(now.getTime() + body.days * 86_400_000),
      });
      await notifications.notify(body.granteeId, {
        kind: 'authority',
        title: '您收到一份代办授权',
        body: `${actor.profile.displayName ?? actor.profile.nickname}授权您代为办理：${body.scopes.length}项，${body.days}天内有效。`,
      });
      return (await toViews([doc.toObject() as AuthorityDoc], now))[0]!;
    },

    async list(actor: Actor, now = new Date()): Promise<{ given: AuthorityView[]; received: AuthorityView[] }> {
      const [given, received] = await Promise.all([
        Authority.find({ grantorId: actor.id }).sort({ _id: -1 }).limit(50).lean<AuthorityDoc[]>(),
        Authority.find({ granteeId: actor.id }).sort({ _id: -1 }).limit(50).lean<AuthorityDoc[]>(),
      ]);
      return { given: await toViews(given, now), received: await toViews(received, now) };
    },

    async revoke(actor: Actor, authorityId: string, now = new Date()): Promise<AuthorityView> {
      const revoked = await Authority.findOneAndUpdate(
        { _id: authorityId, grantorId: actor.id, revokedAt: null },
        { $set: { revokedAt: now } },
        { returnDocument: 'after' },
      ).lean<AuthorityDoc>();
      if (!revoked) {
        const before = await Authority.findOne({ _id: authorityId, grantorId: actor.id }).lean<AuthorityDoc>();
        if (!before) throw new AppError('NOT_FOUND', '没有找到这份授权');
        // This one was replaced by a grant made at the same moment (two taps): 收回 still means the
        // person can no longer act, so it ends the live one; only when nothing is live is it "already done".
        const ended = await Authority.updateMany({ grantorId: actor.id, granteeId: before.granteeId, revokedAt: null }, { $set: { revokedAt: now } });
        if (ended.modifiedCount === 0) throw new AppError('CONFLICT', '这份授权已经收回了');
        return (await toViews([before], now))[0]!;
      }
      // 收回 means this person can no longer act for the grantor at all, even if two grants raced in.
      await Authority.updateMany({ grantorId: actor.id, granteeId: revoked.granteeId, revokedAt: null }, { $set: { revokedAt: now } });
      return (await toViews([revoked], now))[0]!;
    },

    /** True when `actorId` may act for `residentId` in `scope` right now. */
    async mayActFor(actorId: string, residentId: string, scope: AuthorityScope, now = new Date()): Promise<boolean> {
      return Boolean(
        await Authority.exists({ grantorId: residentId, granteeId: actorId, scopes: scope, revokedAt: null, expiresAt: { $gt: now } }),
      );
    },
  };
}
