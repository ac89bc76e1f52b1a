// @ts-check
/**
 * The vote storm: many owners cast ballots of an art. 278 owner vote within a
 * short window while others keep reading the poll page and its live result;
 * then staff close it and the chain is verified through GET …/verify (every
 * hash recomputed, stored ballots compared, the published tally recounted).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../lib.mjs';
import { summarize } from './measure.mjs';

const mongoose = /** @type {typeof import('mongoose')} */ (createRequire(path.join(repoRoot, 'package.json'))('mongoose'));

/** @param {string} url @param {RequestInit} [init] */
async function json(url, init) {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

/**
 * @param {{ apiUrl: string, mongoUri: string, dbName: string, voters?: number, inFlight?: number, readers?: number }} opts
 */
export async function runVoteScenario(opts) {
  const voters = opts.voters ?? 300;
  const inFlight = opts.inFlight ?? 50;
  const readers = opts.readers ?? 10;
  const api = opts.apiUrl;
  if (new URL(api).hostname !== '127.0.0.1') throw new Error('bench sends traffic to 127.0.0.1 only');

  const staff = await json(`${api}/api/v1/auth/staff`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'centre', password: 'community2026' }),
  });
  const staffAuth = { Authorization: `Bearer ${staff.body.accessToken}`, 'Content-Type': 'application/json' };

  // Owners of buildings 2–8, signed in through the API and bound to one room each in the database
  // (the binding flow is not what this measures).
  const conn = await mongoose.createConnection(opts.mongoUri, { dbName: opts.dbName, maxPoolSize: 1 }).asPromise();
  const db = conn.db;
  if (!db) throw new Error('no database');
  const buildings = await db.collection('buildings').find({ name: { $in: ['2号楼', '3号楼', '4号楼', '5号楼', '6号楼', '7号楼', '8号楼'] } }).toArray();
  const rooms = await db.collection('rooms').find({ buildingId: { $in: buildings.map((b) => b._id) } }).sort({ _id: 1 }).limit(voters).toArray();
  if (rooms.length < voters) throw new Error(`only ${rooms.length} rooms for ${voters} voters`);
  /** @type {string[]} */
  const tokens = [];
  for (let i = 0; i < voters; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, voters - i) }, (_, j) =>
        json(`${api}/api/v1/auth/wechat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: `test-bench-v-${i + j}` }) }),
      ),
    );
    tokens.push(...batch.map((b) => String(b.body.accessToken)));
    await db.collection('bindings').insertMany(
      batch.map((b, j) => {
        const room = rooms[i + j];
        if (!room) throw new Error('room missing');
        const userId = new mongoose.Types.ObjectId(String(b.body.user.id));
        return {
          communityId: room.communityId,
          gridId: room.gridId,
          buildingId: room.buildingId,
          roomId: room._id,
          roomLabel: room.label,
          userId,
          relation: 'owner',
          status: 'approved',
          realName: `压测业主${i + j}`,
          via: 'import',
          activeKey: `${userId.toHexString()}:${room._id.toHexString()}`,
          createdAt: new Date(),
          updatedAt: new Date(),
        };
      }),
    );
    for (const b of batch) {
      await db.collection('users').updateOne({ _id: new mongoose.Types.ObjectId(String(b.body.user.id)) }, { $set: { communityId: rooms[0]?.communityId, roles: ['resident', 'owner'] } });
    }
  }

  const created = await json(`${api}/api/v1/staff/polls`, {
    method: 'POST',
    headers: staffAuth,
    body: JSON.stringify({
      title: '压测：续聘物业服务企业',
      questions: [{ title: '是否同意续聘', kind: 'yesno', matter: 4 }],
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 3600_000).toISOString(),
      countingUnit: 'owner',
      secrecy: 'named',
      resultVisibility: 'live',
      scope: { kind: 'buildings', ids: buildings.map((b) => b._id.toHexString()) },
    }),
  });
  if (created.status !== 201) throw new Error(`could not create the bench poll: ${JSON.stringify(created.body)}`);
  const pollId = String(created.body.id);
  const openStart = performance.now();
  const opened = await json(`${api}/api/v1/staff/polls/${pollId}/open`, { method: 'POST', headers: staffAuth });
  const openMs = performance.now() - openStart;
  if (opened.status !== 200) throw new Error(`could not open the bench poll: ${JSON.stringify(opened.body)}`);

  // Readers of the poll page and its live result, for as long as the storm lasts.
  let storming = true;
  /** @type {number[]} */
  const readLatencies = [];
  let readErrors = 0;
  const readStart = performance.now();
  const readerLoops = Array.from({ length: readers }, async (_, r) => {
    const auth = { Authorization: `Bearer ${tokens[r]}` };
    for (let n = 0; storming; n++) {
      const t = performance.now();
      const res = await fetch(`${api}/api/v1/polls/${pollId}${n % 2 ? '/result' : ''}`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) readErrors++;
      else readLatencies.push(performance.now() - t);
    }
  });

  /** @type {number[]} */
  const castLatencies = [];
  const outcomes = { cast: 0, refused: 0, errors: 0 };
  let next = 0;
  const stormStart = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (;;) {
        const i = next++;
        if (i >= voters) return;
        const t = performance.now();
        try {
          const res = await json(`${api}/api/v1/polls/${pollId}/ballots`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${tokens[i]}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-vote-${i}` },
            body: JSON.stringify({ answers: [[i % 4 === 0 ? 1 : 0]] }),
          });
          castLatencies.push(performance.now() - t);
          if (res.status === 201) outcomes.cast++;
          else outcomes.refused++;
        } catch {
          outcomes.errors++;
        }
      }
    }),
  );
  const stormSeconds = (performance.now() - stormStart) / 1000;
  storming = false;
  await Promise.all(readerLoops);
  const readSeconds = (performance.now() - readStart) / 1000;

  const closeStart = performance.now();
  const closed = await json(`${api}/api/v1/staff/polls/${pollId}/close`, { method: 'POST', headers: staffAuth });
  const closeMs = performance.now() - closeStart;
  if (closed.status !== 200) throw new Error(`could not close the bench poll: ${JSON.stringify(closed.body)}`);
  const verifyStart = performance.now();
  const verify = await json(`${api}/api/v1/polls/${pollId}/verify`);
  const verifyMs = performance.now() - verifyStart;
  const participations = await db.collection('poll_participations').countDocuments({ pollId: new mongoose.Types.ObjectId(pollId) });
  await conn.close();

  return {
    voters,
    inFlight,
    readers,
    rollHeads: opened.body.participation.totalHeads,
    openMs: Math.round(openMs),
    ballots: { ...summarize(castLatencies, stormSeconds), seconds: Math.round(stormSeconds * 100) / 100, ...outcomes },
    reads: { ...summarize(readLatencies, readSeconds), requests: readLatencies.length, errors: readErrors },
    closeMs: Math.round(closeMs),
    verifyMs: Math.round(verifyMs),
    verify: { ok: verify.body?.ok === true, entries: verify.body?.entries ?? 0, problems: verify.body?.problems ?? ['verify failed'], participations },
  };
}
