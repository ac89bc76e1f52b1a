import mongoose from 'mongoose';
import type { TestApi } from './harness';

const db = () => mongoose.connection.db!;
export const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** A 1×1 PNG: the smallest real photo the upload route accepts. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

export async function uploadPhoto(api: TestApi, token: string): Promise<string> {
  const res = await api.request('POST', '/api/v1/uploads', { token, rawBody: PNG, headers: { 'Content-Type': 'image/png' } });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function buildingIds(names: string[]): Promise<string[]> {
  const docs = await db().collection('buildings').find({ name: { $in: names } }).toArray();
  return names.map((n) => docs.find((d) => d.name === n)!._id.toHexString());
}

export function pollBody(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    title: '是否同意加装电梯',
    description: '1号楼加装电梯的表决',
    questions: [{ title: '是否同意1号楼加装电梯', kind: 'yesno' }],
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    countingUnit: 'person',
    scope: { kind: 'community' },
    ...overrides,
  };
}

export async function createPoll(api: TestApi, token: string, overrides: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/api/v1/staff/polls', { token, body: pollBody(overrides) });
  if (res.status !== 201) throw new Error(`create poll failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export async function openPoll(api: TestApi, token: string, overrides: Record<string, unknown> = {}) {
  const { id } = await createPoll(api, token, overrides);
  const res = await api.request('POST', `/api/v1/staff/polls/${id}/open`, { token });
  if (res.status !== 200) throw new Error(`open poll failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; participation: { totalHeads: number; totalArea: number | null } };
}

/**
 * New WeChat users bound as owners of the given rooms (one each), straight in
 * the database: the binding flow has its own tests; these need many owners fast.
 */
export async function ownersOf(api: TestApi, rooms: { _id: mongoose.Types.ObjectId }[], prefix: string) {
  const out: { token: string; userId: string; roomId: string }[] = [];
  const full = await db().collection('rooms').find({ _id: { $in: rooms.map((r) => r._id) } }).toArray();
  const byId = new Map(full.map((r) => [r._id.toHexString(), r]));
  // In batches: a storm test needs hundreds of owners, and one at a time takes minutes on a busy machine.
  for (let i = 0; i < rooms.length; i += 25) {
    const batch = rooms.slice(i, i + 25);
    const logins = await Promise.all(batch.map((_, j) => api.loginWechat(`${prefix}-${i + j}`)));
    const docs = batch.map((room, j) => {
      const r = byId.get(room._id.toHexString())!;
      const userId = logins[j]!.user.id;
      return {
        communityId: r.communityId,
        gridId: r.gridId,
        buildingId: r.buildingId,
        roomId: r._id,
        roomLabel: r.label,
        userId: oid(userId),
        relation: 'owner',
        status: 'approved',
        realName: `业主${i + j}`,
        via: 'import',
        activeKey: `${userId}:${r._id.toHexString()}`,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
    });
    await db().collection('bindings').insertMany(docs);
    for (const [j, login] of logins.entries()) {
      const r = byId.get(batch[j]!._id.toHexString())!;
      await db().collection('users').updateOne({ _id: oid(login.user.id) }, { $set: { communityId: r.communityId, roles: ['resident', 'owner'] } });
      out.push({ token: login.accessToken, userId: login.user.id, roomId: r._id.toHexString() });
    }
  }
  return out;
}

export const cast = (api: TestApi, token: string, pollId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.request('POST', `/api/v1/polls/${pollId}/ballots`, { token, body, headers });
