import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { Sealer } from '../../api/src/modules/poll/sealer';
import { batchContent, entryHash, type EntryContent } from '../../api/src/modules/poll/chain';
import { startTestApi, type TestApi } from './support/harness';
import { buildingIds, cast, oid, openPoll, ownersOf } from './support/polls';

/**
 * V11: 300 owners vote at once (each tapping twice), three sealers race, and
 * every kind of tampering with the stored ballots is caught by /verify.
 */
let api: TestApi;
let centre: string;
let pollId: string;
let voters: { token: string; userId: string; roomId: string }[];
const db = () => mongoose.connection.db!;
const VOTERS = 300;

beforeAll(async () => {
  api = await startTestApi(__filename, { POLL_PUBLISH_GRACE_SECONDS: '0' });
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  const names = ['2号楼', '3号楼', '4号楼', '5号楼', '6号楼', '7号楼', '8号楼'];
  const ids = await buildingIds(names);
  const rooms = await db()
    .collection('rooms')
    .find({ buildingId: { $in: ids.map(oid) } })
    .sort({ _id: 1 })
    .toArray();
  voters = await ownersOf(api, rooms.slice(0, VOTERS), 'storm');
  pollId = (
    await openPoll(api, centre, {
      title: '续聘物业服务企业',
      countingUnit: 'owner',
      secrecy: 'named',
      scope: { kind: 'buildings', ids },
      questions: [{ title: '是否同意续聘金城物业', kind: 'yesno', matter: 4 }],
    })
  ).id;
}, 240_000);
afterAll(() => api.close());

const verify = async () => (await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body as { ok: boolean; entries: number; problems: string[] };

it(`${VOTERS} owners casting at once, each tapping twice, leave exactly one ballot each and a chain that verifies`, async () => {
  const other = new Sealer(api.config.ballotKey);
  const third = new Sealer(api.config.ballotKey);
  const results = await Promise.all(
    voters.flatMap((v, i) => {
      const body = { answers: [[i % 5 === 0 ? 1 : 0]] };
      return [cast(api, v.token, pollId, body), cast(api, v.token, pollId, body)];
    }).concat([other.seal(pollId, { all: true }) as never, third.seal(pollId, { all: true }) as never]),
  );
  const statuses = (results.slice(0, VOTERS * 2) as { status: number; body: { error?: { code: string } } }[]).map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(VOTERS);
  expect(statuses.filter((s) => s === 409)).toHaveLength(VOTERS);
  for (let i = 0; i < VOTERS; i++) expect([statuses[2 * i], statuses[2 * i + 1]].sort()).toEqual([201, 409]);

  // Three sealers race over what has arrived.
  await Promise.all([api.services.polls.sealer.seal(pollId, { all: true }), other.seal(pollId, { all: true }), third.seal(pollId, { all: true })]);
  expect(await db().collection('poll_participations').countDocuments({ pollId: oid(pollId) })).toBe(VOTERS);
  expect(await db().collection('poll_ballots').countDocuments({ pollId: oid(pollId) })).toBe(VOTERS);

  const closed = await api.request('POST', `/api/v1/staff/polls/${pollId}/close`, { token: centre });
  expect(closed.status).toBe(200);
  const seqs = (await db().collection('poll_chain').find({ pollId: oid(pollId) }).toArray()).map((e) => e.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: VOTERS }, (_, i) => i + 1));
  expect(await verify()).toMatchObject({ ok: true, entries: VOTERS, problems: [] });

  const result = (await api.request('GET', `/api/v1/polls/${pollId}/result`, { token: voters[0]!.token })).body;
  const q = result.questions[0];
  expect(q.options[0].heads).toBe(VOTERS - VOTERS / 5);
  expect(q.options[1].heads).toBe(VOTERS / 5);
  expect(q.owner.participation.headsPart).toBe(VOTERS);
}, 240_000);

it('anyone can recompute every hash of the public chain', async () => {
  const chain = (await api.request('GET', `/api/v1/polls/${pollId}/chain?limit=1000`)).body;
  let prev = chain.genesis;
  for (const e of chain.entries) {
    expect(e.prev).toBe(prev);
    expect(entryHash(pollId, { seq: e.seq, prev: e.prev, content: e })).toBe(e.hash);
    // A named poll: each entry is a batch of one that lists its ballot.
    expect(e.count).toBe(1);
    expect(e.ballots).toHaveLength(1);
    prev = e.hash;
  }
  expect(chain.entries).toHaveLength(VOTERS);
  // The public chain names nobody.
  expect(JSON.stringify(chain)).not.toMatch(/owners:|unitKey|userId/);
});

/** The standalone verifier anyone can run against the public chain. */
async function outsideVerifier(): Promise<{ code: number; out: string }> {
  const script = path.resolve(__dirname, '../../tools/verify-poll.mjs');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, api.baseUrl, pollId]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

it('tools/verify-poll.mjs, which knows only the published format, agrees', async () => {
  const { code, out } = await outsideVerifier();
  expect(out).toContain('Verified');
  expect(code).toBe(0);
});

describe('tampering with the database is detected', () => {
  const entryId = (seq: number) => `${pollId}|${String(seq).padStart(9, '0')}`;

  const flip = (content: EntryContent): EntryContent => {
    const row = content.ballots![0]!;
    const answers = [[row.answers[0]![0] === 0 ? 1 : 0]];
    return batchContent([3], [{ ...row, answers }], true);
  };

  it('a changed choice in the chain', async () => {
    const entry = (await db().collection('poll_chain').findOne({ _id: entryId(17) as never }))!;
    const flipped = JSON.stringify(flip(JSON.parse(entry.content)));
    await db().collection('poll_chain').updateOne({ _id: entryId(17) as never }, { $set: { content: flipped } });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toContain('第17条');
    await db().collection('poll_chain').updateOne({ _id: entryId(17) as never }, { $set: { content: entry.content } });
    expect((await verify()).ok).toBe(true);
  });

  it('a batch whose sums no longer match its ballot, even with the hash recomputed', async () => {
    const entry = (await db().collection('poll_chain').findOne({ _id: entryId(18) as never }))!;
    const content = JSON.parse(entry.content) as EntryContent;
    content.questions[0]!.options[0]!.heads += 1;
    const hash = entryHash(pollId, { seq: entry.seq, prev: entry.prev, content });
    await db().collection('poll_chain').updateOne({ _id: entry._id }, { $set: { content: JSON.stringify(content), hash } });
    expect((await verify()).problems.join()).toContain('合计与其中的选票不符');
    await db().collection('poll_chain').updateOne({ _id: entry._id }, { $set: { content: entry.content, hash: entry.hash } });
    expect((await verify()).ok).toBe(true);
  });

  it('a changed stored ballot', async () => {
    const ballot = (await db().collection('poll_ballots').findOne({ pollId: oid(pollId) }))!;
    await db().collection('poll_ballots').updateOne({ _id: ballot._id }, { $set: { area: ballot.area + 100 } });
    expect((await verify()).problems.join()).toContain('不一致');
    await db().collection('poll_ballots').updateOne({ _id: ballot._id }, { $set: { area: ballot.area } });
    expect((await verify()).ok).toBe(true);
  });

  it('a chain rewritten from the middle with every hash recomputed', async () => {
    const all = await db().collection('poll_chain').find({ pollId: oid(pollId) }).sort({ seq: 1 }).toArray();
    const saved = all.map((e) => ({ ...e }));
    let prev = all[99]!.prev as string;
    for (const e of all.slice(99)) {
      const content = e.seq === 100 ? flip(JSON.parse(e.content)) : (JSON.parse(e.content) as EntryContent);
      const hash = entryHash(pollId, { seq: e.seq, prev, content });
      await db().collection('poll_chain').updateOne({ _id: e._id }, { $set: { content: JSON.stringify(content), prev, hash } });
      prev = hash;
    }
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toMatch(/公布的结果|链尾|存档/);
    const outside = await outsideVerifier();
    expect(outside.code).toBe(1);
    expect(outside.out).toContain('NOT VERIFIED');
    for (const e of saved) await db().collection('poll_chain').replaceOne({ _id: e._id }, e);
    expect((await verify()).ok).toBe(true);
  });

  it('a deleted "has voted" record, and an edited published tally', async () => {
    const p = (await db().collection('poll_participations').findOne({ pollId: oid(pollId) }))!;
    await db().collection('poll_participations').deleteOne({ _id: p._id });
    expect((await verify()).problems.join()).toContain('数目不一致');
    await db().collection('poll_participations').insertOne(p);

    const poll = (await db().collection('polls').findOne({ _id: oid(pollId) }))!;
    const result = JSON.parse(poll.result);
    result[0].owner.passed = !result[0].owner.passed;
    await db().collection('polls').updateOne({ _id: poll._id }, { $set: { result: JSON.stringify(result) } });
    expect((await verify()).problems.join()).toContain('公布的结果');
    await db().collection('polls').updateOne({ _id: poll._id }, { $set: { result: poll.result } });
    expect((await verify()).ok).toBe(true);
  });
});
