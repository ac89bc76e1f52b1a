import { createHash, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import {
  addDays,
  isStaff,
  maskPhone,
  shanghaiDate,
  shanghaiInstant,
  weekdayOf,
  type BindingListQuery,
  type BindingOwnerMatch,
  type BindingRequestBody,
  type BindingReviewPath,
  type BindingReviewView,
  type BindingView,
  type BuildingView,
  type InvitationCreateBody,
  type Role,
  type RoomView,
  type UnitView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import { WechatError } from '../../wechat/client.js';
import type { AccountService } from '../account/service.js';
import {
  Binding,
  Building,
  Community,
  Grid,
  Invitation,
  Owner,
  PropertyCompany,
  Room,
  RoomOwner,
  Unit,
  type BindingDoc,
  type BuildingDoc,
  type GridDoc,
  type OwnerDoc,
  type RoomDoc,
  type UnitDoc,
} from './models.js';

/** A person may have this many binding requests waiting at once (stops request spam). */
const MAX_PENDING_PER_USER = 5;
/** Invitation codes avoid look-alike characters (0/O, 1/I/L) for elderly readers. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Working days a resident is told to expect an answer in (one reviewer, or two). */
const REVIEW_WORKING_DAYS: Record<BindingReviewPath, number> = { auto: 0, staff: 3, two_staff: 5 };

const SELF_REVIEW = '不能审核自己的申请，请请另一位工作人员审核';
const SAME_REVIEWER = '您已经做过初审，需要另一位工作人员复核';

/** The one WeChat call this module makes: the number behind a getPhoneNumber code. */
export interface PhoneVerifier {
  phoneNumber(code: string): Promise<string>;
}

export type SpaceService = ReturnType<typeof createSpaceService>;

export function createSpaceService(accounts: AccountService, wechat?: PhoneVerifier) {
  async function communityFor(actor: Actor | undefined): Promise<Types.ObjectId> {
    if (actor?.communityId) return new Types.ObjectId(actor.communityId);
    // Before their first room is approved a person belongs to no community yet;
    // the deployment's first community is the one they are choosing in.
    const first = await Community.findOne({}).sort({ _id: 1 }).select({ _id: 1 }).lean();
    if (!first) throw new AppError('NOT_FOUND', '还没有登记任何社区');
    return first._id;
  }

  /** Which bindings a reviewer reaches: the community's for centre staff, their grids' for grid workers. */
  function reviewScope(actor: Actor): Record<string, unknown> | null {
    if (!actor.communityId) return null;
    const communityId = new Types.ObjectId(actor.communityId);
    if (actor.roles.includes('community_staff') || actor.roles.includes('admin')) return { communityId };
    if (actor.roles.includes('grid_worker')) return { communityId, gridId: { $in: actor.gridIds.map((g) => new Types.ObjectId(g)) } };
    return null;
  }

  /**
   * The binding if this reviewer may act on it. Out of reach reads as not found
   * (another community's or grid's ids are not confirmed to exist).
   */
  async function bindingForReview(actor: Actor, bindingId: string): Promise<BindingDoc> {
    const scope = reviewScope(actor);
    const binding = scope ? await Binding.findOne({ _id: new Types.ObjectId(bindingId), ...scope }).lean<BindingDoc>() : null;
    if (!binding) throw new AppError('NOT_FOUND', '没有找到这条申请');
    return binding;
  }

  /** Numbers known for an account: its profile's and any WeChat vouched for in its binding requests. */
  async function phonesOf(userId: Types.ObjectId | string): Promise<Set<string>> {
    const phones = new Set<string>();
    const profile = await accounts.phoneOf(String(userId)).catch(() => null);
    if (profile) phones.add(profile);
    const vouched = await Binding.find({ userId: new Types.ObjectId(String(userId)), applicantPhone: { $ne: null } })
      .select({ applicantPhone: 1 })
      .limit(20)
      .lean<Pick<BindingDoc, 'applicantPhone'>[]>();
    for (const b of vouched) if (b.applicantPhone) phones.add(b.applicantPhone);
    return phones;
  }

  /** One person behind two accounts shows as one phone number on both. */
  async function samePerson(a: Types.ObjectId | string, b: Types.ObjectId | string, extraPhonesOfB: (string | null | undefined)[] = []) {
    if (String(a) === String(b)) return true;
    const ofB = await phonesOf(b);
    for (const p of extraPhonesOfB) if (p) ofB.add(p);
    if (!ofB.size) return false;
    for (const p of await phonesOf(a)) if (ofB.has(p)) return true;
    return false;
  }

  async function assertNotOwnRequest(actor: Actor, binding: BindingDoc): Promise<void> {
    if (await samePerson(actor.id, binding.userId, [binding.applicantPhone])) {
      throw new AppError('FORBIDDEN', SELF_REVIEW, { reason: 'own_request' });
    }
  }

  /** The register's owners of a room (one query per link: `_id: {$in}` scans on FerretDB). */
  async function registerOf(roomId: Types.ObjectId): Promise<OwnerDoc[]> {
    const links = await RoomOwner.find({ roomId }).lean<{ ownerId: Types.ObjectId }[]>();
    const owners: OwnerDoc[] = [];
    for (const link of links) {
      const owner = await Owner.findById(link.ownerId).lean<OwnerDoc>();
      if (owner) owners.push(owner);
    }
    return owners;
  }

  /** How a claim to own a room stands against the register: phone first, then the name. */
  function ownerMatchOf(owners: OwnerDoc[], realName: string, phone: string | null): BindingOwnerMatch {
    if (phone && owners.some((o) => o.kind === 'person' && o.phone === phone)) return 'phone';
    if (owners.some((o) => o.kind === 'person' && sameName(o.name, realName))) return 'name';
    return 'none';
  }

  /** One reviewer for a claim matching the register; two for one that does not, or a staff member's own. */
  function pathOf(relation: string, match: BindingOwnerMatch | null, applicantIsStaff: boolean): BindingReviewPath {
    if (relation !== 'owner') return 'staff';
    return (match === 'name' || match === 'phone') && !applicantIsStaff ? 'staff' : 'two_staff';
  }

  async function verifiedPhone(code: string): Promise<string> {
    if (!wechat) throw new AppError('WECHAT_UNAVAILABLE', '现在无法核对微信手机号，请不核对手机号直接提交');
    try {
      return await wechat.phoneNumber(code);
    } catch (error) {
      if (error instanceof WechatError && (error.errcode === 40029 || error.errcode === 40163 || error.errcode === 41008)) {
        throw new AppError('WECHAT_CODE_INVALID', '没能核对您的微信手机号，请重新点“用微信手机号核对”', { errcode: error.errcode });
      }
      throw new AppError('WECHAT_UNAVAILABLE', '微信暂时没能告诉我们您的手机号，请稍后再试，或不核对手机号直接提交');
    }
  }

  async function nameOf(userId: Types.ObjectId | null | undefined): Promise<string | null> {
    if (!userId) return null;
    const user = await accounts.getUser(userId.toHexString()).catch(() => null);
    return user ? (user.displayName ?? user.nickname) : '工作人员';
  }

  async function toReviewView(actor: Actor, b: BindingDoc): Promise<BindingReviewView> {
    const owners = await registerOf(b.roomId);
    const mine = b.userId.toHexString() === actor.id;
    const firstByMe = b.firstApprovedBy?.toHexString() === actor.id;
    const pending = b.status === 'pending';
    return {
      ...toBindingView(b),
      register: {
        owners: owners.map((o) => ({ name: o.name, phoneMasked: maskPhone(o.phone), developer: o.kind === 'developer' })),
        nameMatches: owners.some((o) => o.kind === 'person' && sameName(o.name, b.realName)),
        phoneMatches: b.applicantPhone ? owners.some((o) => o.phone === b.applicantPhone) : null,
      },
      applicantPhoneMasked: maskPhone(b.applicantPhone),
      applicantIsStaff: !!b.applicantIsStaff,
      firstApproval: b.firstApprovedBy && b.firstApprovedAt ? { byName: (await nameOf(b.firstApprovedBy))!, at: b.firstApprovedAt.toISOString() } : null,
      decidedByName: b.status === 'pending' ? null : await nameOf(b.decidedBy),
      canDecide: pending && !mine && !firstByMe,
      cannotDecideReason: !pending ? null : mine ? SELF_REVIEW : firstByMe ? SAME_REVIEWER : null,
    };
  }

  async function loadRoom(roomId: string): Promise<RoomDoc> {
    const room = await Room.findById(roomId).lean<RoomDoc>();
    if (!room) throw new AppError('NOT_FOUND', '没有找到这套房屋');
    return room;
  }

  async function approve(binding: BindingDoc): Promise<void> {
    const added: Role[] = binding.relation === 'owner' ? ['resident', 'owner'] : ['resident'];
    await accounts.addDerivedRoles(binding.userId.toHexString(), added, binding.communityId.toHexString());
    await accounts.setDisplayNameIfMissing(binding.userId.toHexString(), binding.realName);
  }

  return {
    communityFor,

    async listBuildings(actor: Actor | undefined): Promise<BuildingView[]> {
      const communityId = await communityFor(actor);
      const [buildings, units] = await Promise.all([
        Building.find({ communityId }).sort({ sortKey: 1, name: 1 }).lean<BuildingDoc[]>(),
        Unit.find({ communityId }).select({ buildingId: 1 }).lean<Pick<UnitDoc, '_id' | 'buildingId'>[]>(),
      ]);
      const unitCount = new Map<string, number>();
      for (const u of units) unitCount.set(u.buildingId.toHexString(), (unitCount.get(u.buildingId.toHexString()) ?? 0) + 1);
      return buildings.map((b) => ({
        id: b._id.toHexString(),
        name: b.name,
        gridId: b.gridId.toHexString(),
        propertyCompanyId: b.propertyCompanyId ? b.propertyCompanyId.toHexString() : null,
        unitCount: unitCount.get(b._id.toHexString()) ?? 0,
      }));
    },

    /**
     * Units and rooms (with their areas) are the register of one community: a
     * building or unit of another does not exist for this person (404, the
     * same as a made-up id, so its existence is not revealed either).
     */
    async listUnits(actor: Actor | undefined, buildingId: string): Promise<UnitView[]> {
      const communityId = await communityFor(actor);
      if (!(await Building.exists({ _id: buildingId, communityId }))) throw new AppError('NOT_FOUND', '没有找到这栋楼');
      const units = await Unit.find({ buildingId, communityId }).sort({ sortKey: 1, name: 1 }).lean<UnitDoc[]>();
      return units.map((u) => ({ id: u._id.toHexString(), buildingId: u.buildingId.toHexString(), name: u.name }));
    },

    async listRooms(actor: Actor | undefined, unitId: string): Promise<RoomView[]> {
      const communityId = await communityFor(actor);
      if (!(await Unit.exists({ _id: unitId, communityId }))) throw new AppError('NOT_FOUND', '没有找到这个单元');
      const rooms = await Room.find({ unitId, communityId }).sort({ floor: 1, number: 1 }).lean<RoomDoc[]>();
      return rooms.map(toRoomView);
    },

    async requestBinding(actor: Actor, body: BindingRequestBody, now = new Date()): Promise<BindingView> {
      const room = await loadRoom(body.roomId);
      // A room of another community is not offered to this person, so it does not exist for them.
      if (!room.communityId.equals(await communityFor(actor))) throw new AppError('NOT_FOUND', '没有找到这套房屋');
      const pending = await Binding.countDocuments({ userId: actor.id, status: 'pending' });
      if (pending >= MAX_PENDING_PER_USER) {
        throw new AppError('CONFLICT', `您已有${pending}条申请在等待审核，请等审核后再申请`);
      }
      const phone = body.phoneCode ? await verifiedPhone(body.phoneCode) : null;
      const applicantIsStaff = isStaff(actor.roles);
      const ownerMatch = body.relation === 'owner' ? ownerMatchOf(await registerOf(room._id), body.realName, phone) : null;
      // WeChat vouches for the number and the register names it as this room's owner's: nobody needs to look.
      const auto = ownerMatch === 'phone';
      const reviewPath: BindingReviewPath = auto ? 'auto' : pathOf(body.relation, ownerMatch, applicantIsStaff);
      let binding: BindingDoc;
      try {
        const created = await Binding.create({
          communityId: room.communityId,
          gridId: room.gridId,
          buildingId: room.buildingId,
          roomId: room._id,
          roomLabel: room.label,
          userId: actor.id,
          relation: body.relation,
          status: auto ? 'approved' : 'pending',
          realName: body.realName,
          note: body.note ?? null,
          via: 'request',
          decidedAt: auto ? now : null,
          activeKey: `${actor.id}:${room._id.toHexString()}`,
          ownerMatch,
          reviewPath,
          applicantPhone: phone,
          applicantIsStaff,
        });
        binding = created.toObject() as BindingDoc;
      } catch (error) {
        if (isDuplicateKey(error)) throw new AppError('BINDING_EXISTS');
        throw error;
      }
      if (auto) await approve(binding);
      return toBindingView(binding);
    },

    /** The resident takes back a request nobody has decided yet (a 待复核 one too). */
    async withdrawBinding(actor: Actor, bindingId: string, now = new Date()): Promise<BindingView> {
      const binding = await Binding.findOne({ _id: new Types.ObjectId(bindingId), userId: new Types.ObjectId(actor.id) }).lean<BindingDoc>();
      if (!binding) throw new AppError('NOT_FOUND', '没有找到这条申请');
      const withdrawn = await Binding.findOneAndUpdate(
        { _id: binding._id, userId: binding.userId, status: 'pending' },
        { $set: { status: 'withdrawn', decidedBy: binding.userId, decidedAt: now, activeKey: `closed:${binding._id.toHexString()}` } },
        { returnDocument: 'after' },
      ).lean<BindingDoc>();
      if (!withdrawn) throw new AppError('BINDING_ALREADY_DECIDED', '这条申请已经处理过了，不能再撤回');
      return toBindingView(withdrawn);
    },

    async bindingsOf(userId: string): Promise<BindingView[]> {
      const bindings = await Binding.find({ userId }).sort({ _id: -1 }).limit(50).lean<BindingDoc[]>();
      return bindings.map(toBindingView);
    },

    async listForReview(actor: Actor, query: BindingListQuery): Promise<{ items: BindingReviewView[]; nextCursor: string | null }> {
      const scope = reviewScope(actor);
      if (!scope) return { items: [], nextCursor: null };
      const filter: Record<string, unknown> = { ...scope, status: query.status };
      if (query.cursor) {
        if (!/^[0-9a-f]{24}$/.test(query.cursor)) throw new AppError('VALIDATION_FAILED', '翻页参数不正确');
        filter._id = { $gt: new Types.ObjectId(query.cursor) };
      }
      // Oldest first: whoever asked first is answered first.
      const page = await Binding.find(filter).sort({ _id: 1 }).limit(query.limit + 1).lean<BindingDoc[]>();
      const hasMore = page.length > query.limit;
      const items: BindingReviewView[] = [];
      for (const b of page.slice(0, query.limit)) items.push(await toReviewView(actor, b));
      return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
    },

    /**
     * One approval, or the first or second of two. Nobody approves their own
     * request; an owner claim the register does not back needs two different
     * staff (the first leaves it 待复核). Every step is one guarded update.
     */
    async approveBinding(actor: Actor, bindingId: string, now = new Date()): Promise<BindingReviewView> {
      const binding = await bindingForReview(actor, bindingId);
      await assertNotOwnRequest(actor, binding);
      if (binding.status !== 'pending') throw new AppError('BINDING_ALREADY_DECIDED');
      // Judged on the register as it is now (an import may have come since the request).
      const ownerMatch =
        binding.relation === 'owner'
          ? binding.via === 'request'
            ? ownerMatchOf(await registerOf(binding.roomId), binding.realName, binding.applicantPhone ?? null)
            : (binding.ownerMatch as BindingOwnerMatch | null)
          : null;
      const reviewPath = pathOf(binding.relation, ownerMatch, !!binding.applicantIsStaff);
      let decided: BindingDoc | null;
      if (reviewPath === 'two_staff' && !binding.firstApprovedBy) {
        decided = await Binding.findOneAndUpdate(
          { _id: binding._id, status: 'pending', firstApprovedBy: null },
          { $set: { firstApprovedBy: actor.id, firstApprovedAt: now, ownerMatch, reviewPath } },
          { returnDocument: 'after' },
        ).lean<BindingDoc>();
        if (!decided) throw new AppError('BINDING_ALREADY_DECIDED', '另一位工作人员刚处理过这条申请，请刷新后再看');
        return toReviewView(actor, decided);
      }
      if (reviewPath === 'two_staff' && (await samePerson(actor.id, binding.firstApprovedBy!))) {
        throw new AppError('FORBIDDEN', SAME_REVIEWER, { reason: 'same_reviewer' });
      }
      // Guarded by the state read: of two staff approving at once, one wins; a
      // second approval completes only the first approval it saw.
      decided = await Binding.findOneAndUpdate(
        { _id: binding._id, status: 'pending', firstApprovedBy: binding.firstApprovedBy ?? null },
        { $set: { status: 'approved', decidedBy: actor.id, decidedAt: now, ownerMatch, reviewPath } },
        { returnDocument: 'after' },
      ).lean<BindingDoc>();
      if (!decided) throw new AppError('BINDING_ALREADY_DECIDED');
      await approve(decided);
      return toReviewView(actor, decided);
    },

    async rejectBinding(actor: Actor, bindingId: string, reason: string, now = new Date()): Promise<BindingReviewView> {
      const binding = await bindingForReview(actor, bindingId);
      await assertNotOwnRequest(actor, binding);
      const decided = await Binding.findOneAndUpdate(
        { _id: binding._id, status: 'pending' },
        // Freeing activeKey lets the person ask again with corrected details.
        { $set: { status: 'rejected', reason, decidedBy: actor.id, decidedAt: now, activeKey: `closed:${binding._id.toHexString()}` } },
        { returnDocument: 'after' },
      ).lean<BindingDoc>();
      if (!decided) throw new AppError('BINDING_ALREADY_DECIDED');
      return toReviewView(actor, decided);
    },

    async createInvitation(actor: Actor, body: InvitationCreateBody, now = new Date()) {
      const room = await loadRoom(body.roomId);
      if (room.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这套房屋');
      // An owner's code stands in for the register, so it goes only to an owner the register names.
      if (body.relation === 'owner' && !(await registerOf(room._id)).some((o) => o.kind === 'person' && sameName(o.name, body.realName))) {
        throw new AppError('VALIDATION_FAILED', '房屋登记的业主里没有这个姓名，业主邀请码只能发给登记在册的业主', {
          fields: { realName: ['房屋登记的业主里没有这个姓名'] },
        });
      }
      const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      const expiresAt = new Date(now.getTime() + body.validDays * 86_400_000);
      await Invitation.create({
        communityId: room.communityId,
        roomId: room._id,
        codeHash: hashCode(code),
        relation: body.relation,
        realName: body.realName,
        createdBy: actor.id,
        expiresAt,
      });
      return { code, roomLabel: room.label, expiresAt: expiresAt.toISOString() };
    },

    async redeemInvitation(actor: Actor, code: string, now = new Date()): Promise<BindingView> {
      const invitation = await Invitation.findOne({ codeHash: hashCode(code), redeemedAt: null, expiresAt: { $gt: now } }).lean();
      if (!invitation) throw new AppError('INVITATION_INVALID');
      // The code is the issuer's approval: spending one's own would be approving oneself.
      if (await samePerson(actor.id, invitation.createdBy)) {
        throw new AppError('FORBIDDEN', '不能使用自己发出的邀请码，请请另一位工作人员发码', { reason: 'own_invitation' });
      }
      const room = await loadRoom(invitation.roomId.toHexString());
      let binding: BindingDoc;
      try {
        // The binding first, so someone already bound keeps the code unspent…
        const created = await Binding.create({
          communityId: room.communityId,
          gridId: room.gridId,
          buildingId: room.buildingId,
          roomId: room._id,
          roomLabel: room.label,
          userId: actor.id,
          relation: invitation.relation,
          status: 'approved',
          realName: invitation.realName,
          via: 'invitation',
          decidedBy: invitation.createdBy,
          decidedAt: now,
          activeKey: `${actor.id}:${room._id.toHexString()}`,
          ownerMatch: invitation.relation === 'owner' ? 'invitation' : null,
          reviewPath: 'auto',
          applicantIsStaff: isStaff(actor.roles),
        });
        binding = created.toObject() as BindingDoc;
      } catch (error) {
        if (isDuplicateKey(error)) throw new AppError('BINDING_EXISTS');
        throw error;
      }
      // …then spend the code with a guarded update; if someone else spent it first, undo.
      const spent = await Invitation.updateOne(
        { _id: invitation._id, redeemedAt: null },
        { $set: { redeemedAt: now, redeemedBy: actor.id } },
      );
      if (spent.modifiedCount !== 1) {
        await Binding.deleteOne({ _id: binding._id });
        throw new AppError('INVITATION_INVALID');
      }
      await approve(binding);
      return toBindingView(binding);
    },

    /** People with an approved binding to any of these rooms (a household). */
    async peopleBoundTo(roomIds: string[]): Promise<{ userId: string; name: string }[]> {
      if (!roomIds.length) return [];
      const found: BindingDoc[] = [];
      // One query per room: `roomId: {$in}` is not index-backed on FerretDB (docs/database-facts.md).
      for (const roomId of roomIds) found.push(...(await Binding.find({ roomId, status: 'approved' }).lean<BindingDoc[]>()));
      return found.map((b) => ({ userId: b.userId.toHexString(), name: b.realName }));
    },

    async gridWorkersOfRooms(roomIds: string[]): Promise<{ id: string; name: string }[]> {
      const gridIds = new Set<string>();
      for (const roomId of roomIds) {
        const room = await Room.findById(roomId).select({ gridId: 1 }).lean<RoomDoc>();
        if (room) gridIds.add(room.gridId.toHexString());
      }
      if (!gridIds.size) return [];
      const workers = await accounts.listUsers({ role: 'grid_worker' }, 200);
      return workers.filter((w) => w.gridIds.some((g) => gridIds.has(g))).map((w) => ({ id: w.id, name: w.displayName ?? w.nickname }));
    },

    /** Staff at the window find a resident by name or room (代约). */
    async searchResidents(actor: Actor, q: string) {
      const pattern = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const found = await Binding.find({
        communityId: actor.communityId,
        status: 'approved',
        $or: [{ realName: pattern }, { roomLabel: pattern }],
      })
        .limit(50)
        .lean<BindingDoc[]>();
      const byUser = new Map<string, { id: string; name: string; rooms: string[]; phoneMasked: string | null }>();
      for (const b of found) {
        const id = b.userId.toHexString();
        const entry = byUser.get(id) ?? { id, name: b.realName, rooms: [], phoneMasked: null };
        entry.rooms.push(b.roomLabel);
        byUser.set(id, entry);
      }
      return [...byUser.values()].slice(0, 20);
    },

    async listGrids(actor: Actor) {
      const communityId = await communityFor(actor);
      const [grids, workers] = await Promise.all([
        Grid.find({ communityId }).sort({ code: 1 }).lean<GridDoc[]>(),
        accounts.listUsers({ role: 'grid_worker', communityId: communityId.toHexString() }, 500),
      ]);
      return grids.map((g) => ({
        id: g._id.toHexString(),
        name: g.name,
        code: g.code,
        workerIds: workers.filter((w) => w.gridIds.includes(g._id.toHexString())).map((w) => w.id),
      }));
    },

    async assignGridWorker(actor: Actor, gridId: string, userId: string, assigned: boolean) {
      const grid = await Grid.findById(gridId).lean<GridDoc>();
      if (!grid || grid.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个网格');
      return accounts.assignGrid(actor, userId, gridId, assigned);
    },

    async listPropertyCompanies(actor: Actor) {
      const communityId = await communityFor(actor);
      const companies = await PropertyCompany.find({ communityId }).sort({ name: 1 }).lean();
      return companies.map((c) => ({ id: c._id.toHexString(), name: c.name }));
    },

    async setBuildingCompany(actor: Actor, buildingId: string, propertyCompanyId: string | null) {
      const building = await Building.findById(buildingId).lean<BuildingDoc>();
      if (!building || building.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这栋楼');
      if (propertyCompanyId) {
        const company = await PropertyCompany.findById(propertyCompanyId).lean();
        if (!company || !company.communityId.equals(building.communityId)) throw new AppError('NOT_FOUND', '没有找到这家物业公司');
      }
      await Building.updateOne({ _id: building._id }, { $set: { propertyCompanyId } });
      return { id: buildingId, propertyCompanyId };
    },
  };
}

function hashCode(code: string): string {
  return createHash('sha256').update(code.toUpperCase()).digest('hex');
}

export function toRoomView(room: RoomDoc): RoomView {
  return {
    id: room._id.toHexString(),
    unitId: room.unitId.toHexString(),
    buildingId: room.buildingId.toHexString(),
    number: room.number,
    floor: room.floor,
    areaCentiSquareMetres: room.areaCentiSquareMetres,
  };
}

export function toBindingView(b: BindingDoc): BindingView {
  return {
    id: b._id.toHexString(),
    userId: b.userId.toHexString(),
    roomId: b.roomId.toHexString(),
    roomLabel: b.roomLabel,
    buildingId: b.buildingId.toHexString(),
    relation: b.relation as BindingView['relation'],
    status: b.status as BindingView['status'],
    realName: b.realName,
    note: b.note ?? null,
    reason: b.reason ?? null,
    via: b.via as BindingView['via'],
    createdAt: createdAtOf(b).toISOString(),
    decidedAt: b.decidedAt ? b.decidedAt.toISOString() : null,
    ownerMatch: (b.ownerMatch ?? null) as BindingView['ownerMatch'],
    reviewPath: (b.reviewPath ?? 'staff') as BindingReviewPath,
    firstApprovedAt: b.status === 'pending' && b.firstApprovedAt ? b.firstApprovedAt.toISOString() : null,
    expectedBy: b.status === 'pending' ? expectedAnswerBy(createdAtOf(b), (b.reviewPath ?? 'staff') as BindingReviewPath).toISOString() : null,
  };
}

const createdAtOf = (b: BindingDoc): Date => (b as { createdAt?: Date }).createdAt ?? b._id.getTimestamp();

/** The end (18:00) of the n-th working day after the request, Monday to Friday in Shanghai. */
export function expectedAnswerBy(createdAt: Date, path: BindingReviewPath): Date {
  let date = shanghaiDate(createdAt);
  for (let left = REVIEW_WORKING_DAYS[path]; left > 0; ) {
    date = addDays(date, 1);
    if (weekdayOf(date) <= 5) left--;
  }
  return shanghaiInstant(date, '18:00');
}

/** Names compared as people write them: spaces and the middle dot of minority names aside. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[\s·・.]/g, '');
  return norm(a) === norm(b) && norm(a).length > 0;
}
