import { Types } from 'mongoose';
import { buildOwnerRoll, type PollCountingUnit, type PollScope } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import { Binding, Building, Grid, Owner, Room, RoomOwner, type BindingDoc, type OwnerDoc, type RoomDoc } from '../space/models.js';
import { RollEntry, RollRoom } from './models.js';

export interface RollUnit {
  unitKey: string;
  label: string;
  holder: string;
  areaCenti: number;
  heads: number;
  gridIds: Types.ObjectId[];
  roomIds: Types.ObjectId[];
  userId: Types.ObjectId | null;
}

export const rollEntryId = (pollId: string, unitKey: string) => `${pollId}|${unitKey}`;
export const rollRoomId = (pollId: string, roomId: string) => `${pollId}|r:${roomId}`;

function scopeFilter(communityId: Types.ObjectId, scope: PollScope): Record<string, unknown> {
  if (scope.kind === 'grids') return { communityId, gridId: { $in: scope.ids.map((id) => new Types.ObjectId(id)) } };
  if (scope.kind === 'buildings') return { communityId, buildingId: { $in: scope.ids.map((id) => new Types.ObjectId(id)) } };
  return { communityId };
}

/** "全社区", "第一网格、第二网格", "1号楼、2号楼…等12栋" — for the poll page. */
export async function scopeLabelOf(communityId: Types.ObjectId, scope: PollScope): Promise<string> {
  if (scope.kind === 'community') return '全社区';
  const ids = scope.ids.map((id) => new Types.ObjectId(id));
  const docs =
    scope.kind === 'grids'
      ? await Grid.find({ communityId, _id: { $in: ids } }).select({ name: 1 }).lean()
      : await Building.find({ communityId, _id: { $in: ids } }).sort({ sortKey: 1 }).select({ name: 1 }).lean();
  if (docs.length !== new Set(scope.ids).size) throw new AppError('VALIDATION_FAILED', scope.kind === 'grids' ? '选择的网格不存在' : '选择的楼栋不存在');
  const names = docs.map((d) => d.name);
  return names.length > 4 ? `${names.slice(0, 4).join('、')}等${names.length}${scope.kind === 'grids' ? '个网格' : '栋楼'}` : names.join('、');
}

function roomsLabel(rooms: RoomDoc[]): string {
  const labels = rooms.map((r) => r.label);
  return labels.length > 3 ? `${labels.slice(0, 3).join('、')}等${labels.length}套` : labels.join('、');
}

const uniqueIds = (ids: Types.ObjectId[]) => [...new Map(ids.map((id) => [id.toHexString(), id])).values()];

/**
 * The roll as the register says now. Owner votes follow the counting rules of
 * shared/votes/roll.ts; room votes take every room in scope (a household with no
 * account votes on paper); person votes take every verified resident.
 */
export async function computeRoll(communityId: Types.ObjectId, scope: PollScope, unit: PollCountingUnit): Promise<RollUnit[]> {
  const filter = scopeFilter(communityId, scope);
  if (unit === 'person') {
    const bindings = await Binding.find({ ...filter, status: 'approved' }).sort({ _id: 1 }).lean<BindingDoc[]>();
    const byUser = new Map<string, BindingDoc[]>();
    for (const b of bindings) byUser.set(b.userId.toHexString(), [...(byUser.get(b.userId.toHexString()) ?? []), b]);
    return [...byUser.entries()].map(([userId, bs]) => ({
      unitKey: `user:${userId}`,
      label: bs.map((b) => b.roomLabel).join('、'),
      holder: bs[0]!.realName,
      areaCenti: 0,
      heads: 1,
      gridIds: uniqueIds(bs.map((b) => b.gridId)),
      roomIds: uniqueIds(bs.map((b) => b.roomId)),
      userId: bs[0]!.userId,
    }));
  }
  const rooms = await Room.find(filter).sort({ _id: 1 }).lean<RoomDoc[]>();
  if (unit === 'room') {
    return rooms.map((r) => ({
      unitKey: `room:${r._id.toHexString()}`,
      label: r.label,
      holder: '',
      areaCenti: 0,
      heads: 1,
      gridIds: [r.gridId],
      roomIds: [r._id],
      userId: null,
    }));
  }
  // Owner votes: every room's owners from the register, then the court's counting rules.
  const roomIds = new Set(rooms.map((r) => r._id.toHexString()));
  const [links, owners] = await Promise.all([
    RoomOwner.find({ communityId }).lean<{ roomId: Types.ObjectId; ownerId: Types.ObjectId }[]>(),
    Owner.find({ communityId }).lean<OwnerDoc[]>(),
  ]);
  const ownerById = new Map(owners.map((o) => [o._id.toHexString(), o]));
  const ownersOfRoom = new Map<string, { id: string; kind: 'person' | 'developer' }[]>();
  for (const link of links) {
    const roomId = link.roomId.toHexString();
    if (!roomIds.has(roomId)) continue;
    const owner = ownerById.get(link.ownerId.toHexString());
    if (!owner) continue;
    ownersOfRoom.set(roomId, [...(ownersOfRoom.get(roomId) ?? []), { id: owner._id.toHexString(), kind: owner.kind }]);
  }
  const missing = rooms.filter((r) => !ownersOfRoom.has(r._id.toHexString()));
  if (missing.length > 0) {
    throw new AppError('POLL_ROLL_INCOMPLETE', `这些房屋在台账里没有业主：${roomsLabel(missing)}。请先补全房屋台账再发布业主表决`, {
      rooms: missing.slice(0, 50).map((r) => r.label),
    });
  }
  const roll = buildOwnerRoll(rooms.map((r) => ({ roomId: r._id.toHexString(), areaCenti: r.areaCentiSquareMetres, owners: ownersOfRoom.get(r._id.toHexString())! })));
  const roomById = new Map(rooms.map((r) => [r._id.toHexString(), r]));
  return roll.units.map((u) => {
    const unitRooms = u.roomIds.map((id) => roomById.get(id)!);
    return {
      unitKey: u.key,
      label: roomsLabel(unitRooms),
      holder: u.developer ? `建设单位（未售出房屋${unitRooms.length}套）` : u.ownerIds.map((id) => ownerById.get(id)!.name).join('、'),
      areaCenti: u.areaCenti,
      heads: u.heads,
      gridIds: uniqueIds(unitRooms.map((r) => r.gridId)),
      roomIds: unitRooms.map((r) => r._id),
      userId: null,
    };
  });
}

const CHUNK = 100;

/**
 * Writes the snapshot. Ids are deterministic, so a retried or raced open writes
 * the same documents (duplicates are skipped); chunks keep the one database
 * connection free for other requests between them.
 */
export async function storeRoll(pollId: string, units: RollUnit[]): Promise<void> {
  const pid = new Types.ObjectId(pollId);
  const entries = units.map((u) => ({ _id: rollEntryId(pollId, u.unitKey), pollId: pid, ...u }));
  const pointers = units.flatMap((u) =>
    u.userId ? [] : u.roomIds.map((roomId) => ({ _id: rollRoomId(pollId, roomId.toHexString()), pollId: pid, unitKey: u.unitKey })),
  );
  for (const [model, docs] of [
    [RollEntry, entries],
    [RollRoom, pointers],
  ] as const) {
    for (let i = 0; i < docs.length; i += CHUNK) {
      try {
        await (model as typeof RollEntry).insertMany(docs.slice(i, i + CHUNK), { ordered: false });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
        const onlyDuplicates = isDuplicateKey(error) || (writeErrors?.length && writeErrors.every((e) => (e.code ?? e.err?.code) === 11000));
        if (!onlyDuplicates) throw error;
      }
    }
  }
}
