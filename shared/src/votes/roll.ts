/**
 * Who counts in an owner vote, from the room register (Supreme People's Court
 * interpretation on 建筑物区分所有权, arts. 8–9):
 * - one exclusive unit is one owner;
 * - one buyer of several units is one owner, with the sum of their areas;
 * - the developer's unsold or undelivered units are one owner in total.
 *
 * "One buyer" is the exact set of people on a room's title: 王 alone and 王 with
 * 李 are different buyers, so 王's own flat and the flat 王 co-owns with 李 are
 * two voting units. Co-owners of one room cast one ballot for it.
 */

export interface RegisterRoom {
  roomId: string;
  areaCenti: number;
  owners: { id: string; kind: 'person' | 'developer' }[];
}

export interface OwnerUnit {
  /** Stable within a poll: `developer`, or `owners:` + the sorted owner ids joined by `+`. */
  key: string;
  ownerIds: string[];
  roomIds: string[];
  areaCenti: number;
  heads: 1;
  developer: boolean;
}

export interface OwnerRoll {
  units: OwnerUnit[];
  totalArea: number;
  totalHeads: number;
}

export function ownerUnitKey(owners: RegisterRoom['owners']): string {
  if (owners.length > 0 && owners.every((o) => o.kind === 'developer')) return 'developer';
  return `owners:${[...new Set(owners.map((o) => o.id))].sort().join('+')}`;
}

export function buildOwnerRoll(rooms: readonly RegisterRoom[]): OwnerRoll {
  const units = new Map<string, OwnerUnit>();
  for (const room of rooms) {
    if (room.owners.length === 0) throw new RangeError(`room ${room.roomId} has no owner on the register`);
    if (!Number.isSafeInteger(room.areaCenti) || room.areaCenti <= 0) throw new RangeError(`room ${room.roomId} has no valid area`);
    const key = ownerUnitKey(room.owners);
    let unit = units.get(key);
    if (!unit) {
      unit = {
        key,
        ownerIds: [...new Set(room.owners.map((o) => o.id))].sort(),
        roomIds: [],
        areaCenti: 0,
        heads: 1,
        developer: key === 'developer',
      };
      units.set(key, unit);
    }
    if (key === 'developer') unit.ownerIds = [...new Set([...unit.ownerIds, ...room.owners.map((o) => o.id)])].sort();
    unit.roomIds.push(room.roomId);
    unit.areaCenti += room.areaCenti;
  }
  const list = [...units.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const u of list) u.roomIds.sort();
  return {
    units: list,
    totalArea: list.reduce((s, u) => s + u.areaCenti, 0),
    totalHeads: list.length,
  };
}
