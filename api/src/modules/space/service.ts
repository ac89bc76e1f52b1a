import { createHash, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type {
  BindingListQuery,
  BindingRequestBody,
  BindingView,
  BuildingView,
  InvitationCreateBody,
  Role,
  RoomView,
  UnitView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import {
  Binding,
  Building,
  Community,
  Grid,
  Invitation,
  PropertyCompany,
  Room,
  Unit,
  type BindingDoc,
  type BuildingDoc,
  type GridDoc,
  type RoomDoc,
  type UnitDoc,
} from './models.js';

/** A person may have this many binding requests waiting at once (stops request spam). */
const MAX_PENDING_PER_USER = 5;
/** Invitation codes avoid look-alike characters (0/O, 1/I/L) for elderly readers. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export type SpaceService = ReturnType<typeof createSpaceService>;

export function createSpaceService(accounts: AccountService) {
  async function communityFor(actor: Actor | undefined): Promise<Types.ObjectId> {
    if (actor?.communityId) return new Types.ObjectId(actor.communityId);
    // Before their first room is approved a person belongs to no community yet;
    // the deployment's first community is the one they are choosing in.
    const first = await Community.findOne({}).sort({ _id: 1 }).select({ _id: 1 }).lean();
    if (!first) throw new AppError('NOT_FOUND', '还没有登记任何社区');
    return first._id;
  }

  /** Staff may act on bindings of their community; grid workers only of their grids. */
  function assertCanReview(actor: Actor, binding: Pick<BindingDoc, 'communityId' | 'gridId'>): void {
    const roles = actor.roles;
    const communityWide: Role[] = ['community_staff', 'admin'];
    if (roles.some((r) => communityWide.includes(r)) && actor.communityId === binding.communityId.toHexString()) return;
    if (roles.includes('grid_worker') && actor.gridIds.includes(binding.gridId.toHexString())) return;
    throw new AppError('FORBIDDEN', '这条申请不在您负责的范围内');
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

    async listUnits(buildingId: string): Promise<UnitView[]> {
      const units = await Unit.find({ buildingId }).sort({ sortKey: 1, name: 1 }).lean<UnitDoc[]>();
      return units.map((u) => ({ id: u._id.toHexString(), buildingId: u.buildingId.toHexString(), name: u.name }));
    },

    async listRooms(unitId: string): Promise<RoomView[]> {
      const rooms = await Room.find({ unitId }).sort({ floor: 1, number: 1 }).lean<RoomDoc[]>();
      return rooms.map(toRoomView);
    },

    async requestBinding(actor: Actor, body: BindingRequestBody): Promise<BindingView> {
      const room = await loadRoom(body.roomId);
      const pending = await Binding.countDocuments({ userId: actor.id, status: 'pending' });
      if (pending >= MAX_PENDING_PER_USER) {
        throw new AppError('CONFLICT', `您已有${pending}条申请在等待审核，请等审核后再申请`);
      }
      try {
        const created = await Binding.create({
          communityId: room.communityId,
          gridId: room.gridId,
          buildingId: room.buildingId,
          roomId: room._id,
          roomLabel: room.label,
          userId: actor.id,
          relation: body.relation,
          status: 'pending',
          realName: body.realName,
          note: body.note ?? null,
          via: 'request',
          activeKey: `${actor.id}:${room._id.toHexString()}`,
        });
        return toBindingView(created.toObject() as BindingDoc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new AppError('BINDING_EXISTS');
        throw error;
      }
    },

    async bindingsOf(userId: string): Promise<BindingView[]> {
      const bindings = await Binding.find({ userId }).sort({ _id: -1 }).limit(50).lean<BindingDoc[]>();
      return bindings.map(toBindingView);
    },

    async listForReview(actor: Actor, query: BindingListQuery): Promise<{ items: BindingView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = { status: query.status };
      const communityWide = actor.roles.includes('community_staff') || actor.roles.includes('admin');
      if (communityWide) filter.communityId = actor.communityId;
      else filter.gridId = { $in: actor.gridIds };
      if (query.cursor) {
        if (!/^[0-9a-f]{24}$/.test(query.cursor)) throw new AppError('VALIDATION_FAILED', '翻页参数不正确');
        filter._id = { $gt: new Types.ObjectId(query.cursor) };
      }
      // Oldest first: whoever asked first is answered first.
      const page = await Binding.find(filter).sort({ _id: 1 }).limit(query.limit + 1).lean<BindingDoc[]>();
      const hasMore = page.length > query.limit;
      const items = page.slice(0, query.limit).map(toBindingView);
      return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
    },

    async approveBinding(actor: Actor, bindingId: string, now = new Date()): Promise<BindingView> {
      const binding = await Binding.findById(bindingId).lean<BindingDoc>();
      if (!binding) throw new AppError('NOT_FOUND', '没有找到这条申请');
      assertCanReview(actor, binding);
      // Guarded by the current state: of two staff approving at once, one wins.
      const decided = await Binding.findOneAndUpdate(
        { _id: binding._id, status: 'pending' },
        { $set: { status: 'approved', decidedBy: actor.id, decidedAt: now } },
        { returnDocument: 'after' },
      ).lean<BindingDoc>();
      if (!decided) throw new AppError('BINDING_ALREADY_DECIDED');
      await approve(decided);
      return toBindingView(decided);
    },

    async rejectBinding(actor: Actor, bindingId: string, reason: string, now = new Date()): Promise<BindingView> {
      const binding = await Binding.findById(bindingId).lean<BindingDoc>();
      if (!binding) throw new AppError('NOT_FOUND', '没有找到这条申请');
      assertCanReview(actor, binding);
      const decided = await Binding.findOneAndUpdate(
        { _id: binding._id, status: 'pending' },
        // Freeing activeKey lets the person ask again with corrected details.
        { $set: { status: 'rejected', reason, decidedBy: actor.id, decidedAt: now, activeKey: `closed:${binding._id.toHexString()}` } },
        { returnDocument: 'after' },
      ).lean<BindingDoc>();
      if (!decided) throw new AppError('BINDING_ALREADY_DECIDED');
      return toBindingView(decided);
    },

    async createInvitation(actor: Actor, body: InvitationCreateBody, now = new Date()) {
      const room = await loadRoom(body.roomId);
      if (room.communityId.toHexString() !== actor.communityId) throw new AppError('FORBIDDEN', '这套房屋不在您的社区');
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

function toBindingView(b: BindingDoc): BindingView {
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
    createdAt: ((b as { createdAt?: Date }).createdAt ?? b._id.getTimestamp()).toISOString(),
    decidedAt: b.decidedAt ? b.decidedAt.toISOString() : null,
  };
}
