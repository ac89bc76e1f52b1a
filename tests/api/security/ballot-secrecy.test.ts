import fs from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { judgeOwnerVote, tallyOwnerBallots, type OwnerMatter, type YesNoChoice } from '@community/shared';
import { decryptBallot } from '../../../api/src/modules/poll/chain';
import { batchSizes, Sealer } from '../../../api/src/modules/poll/sealer';
import { startTestApi, type TestApi } from '../support/harness';
import { buildingIds, cast, oid, openPoll, ownersOf, pollBody, uploadPhoto } from '../support/polls';

/**
 * Issue 12, finding 1, written as the attacker: someone who can read the
 * database, the request log, the public chain and the API — but not BALLOT_KEY —
 * tries to learn what a voter chose in a secret poll.
 */
let api: TestApi;
let centre: string;
const db = () => mongoose.connection.db!;
const logLines: string[] = [];
const restore: (() => void)[] = [];

/** Every line pino writes, whichever way it reaches fd 1. */
function captureLogs() {
  const keep = (chunk: unknown) => {
    const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
    if (text.includes('"msg"')) logLines.push(...text.split('\n').filter(Boolean));
  };
  const writeSync = fs.writeSync;
  const write = fs.write;
  const stdout = process.stdout.write.bind(process.stdout);
  (fs as { writeSync: unknown }).writeSync = (fd: number, chunk: unknown, ...rest: unknown[]) => {
    if (fd === 1) {
      keep(chunk);
      return typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Buffer).length;
    }
    return (writeSync as (...a: unknown[]) => number)(fd, chunk, ...rest);
  };
  (fs as { write: unknown }).write = (fd: number, chunk: unknown, ...rest: unknown[]) => {
    if (fd === 1) {
      keep(chunk);
      const cb = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
      cb?.(null, typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Buffer).length);
      return;
    }
    return (write as (...a: unknown[]) => void)(fd, chunk, ...rest);
  };
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return stdout(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  restore.push(() => {
    (fs as { writeSync: unknown }).writeSync = writeSync;
    (fs as { write: unknown }).write = write;
    process.stdout.write = stdout as typeof process.stdout.write;
  });
}

beforeAll(async () => {
  captureLogs();
  api = await startTestApi(__filename, { LOG_LEVEL: 'info', POLL_PUBLISH_GRACE_SECONDS: '0' });
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
}, 120_000);
afterAll(async () => {
  await api.close();
  for (const r of restore) r();
});

/** Every document of every collection, as the attacker's dump. */
async function dumpAll(): Promise<{ collection: string; doc: Record<string, unknown> }[]> {
  const out: { collection: string; doc: Record<string, unknown> }[] = [];
  for (const c of await db().listCollections().toArray()) {
    for (const doc of await db().collection(c.name).find({}).toArray()) out.push({ collection: c.name, doc });
  }
  return out;
}

const view = async (token: string, pollId: string) => (await api.request('GET', `/api/v1/polls/${pollId}`, { token })).body;

describe('(a) a secret poll while it is open: A votes 同意, then B votes 反对', () => {
  let pollId: string;
  let a: { token: string; userId: string };
  let b: { token: string; userId: string };
  let receipts: string[];
  let updatedBefore: number;

  beforeAll(async () => {
    const rooms = await db().collection('rooms').find({ label: /^10号楼 1单元 10[12]$/ }).sort({ label: 1 }).toArray();
    [a, b] = (await ownersOf(api, rooms, 'secret-ab')) as [typeof a, typeof b];
    pollId = (await openPoll(api, centre, { title: '是否同意更换小区门禁', countingUnit: 'person', secrecy: 'secret' })).id;
    updatedBefore = ((await db().collection('polls').findOne({ _id: oid(pollId) }))!.updatedAt as Date).getTime();
    logLines.length = 0;
    const first = await cast(api, a.token, pollId, { answers: [[0]] }, { 'Idempotency-Key': 'attacker-watch-0001' });
    const second = await cast(api, b.token, pollId, { answers: [[1]] }, { 'Idempotency-Key': 'attacker-watch-0002' });
    expect([first.status, second.status]).toEqual([201, 201]);
    receipts = [first.body.receipt, second.body.receipt];
    await api.services.polls.sealer.idle();
  });

  it('keeps no idempotency record of the casts (it would hold the receipt under the user id)', async () => {
    const records = await db().collection('idempotency_records').find({}).toArray();
    const text = JSON.stringify(records);
    for (const who of [a, b]) expect(text).not.toContain(who.userId);
    for (const r of receipts) expect(text).not.toContain(r);
    expect(text).not.toContain(pollId);
  });

  it('logs no line naming the voter, the poll or the unit next to the ballot route', () => {
    const ballotLines = logLines.filter((l) => l.includes('/ballots'));
    expect(ballotLines.length).toBeGreaterThanOrEqual(2);
    for (const line of ballotLines) {
      for (const who of [a, b]) {
        expect(line).not.toContain(who.userId);
        expect(line).not.toContain(`user:${who.userId}`);
      }
      expect(line).not.toContain(pollId);
      expect(JSON.parse(line)).not.toHaveProperty('ms');
      expect(JSON.parse(line)).not.toHaveProperty('requestId');
    }
    // And no other line (a handler's, an error's) carries a receipt.
    for (const r of receipts) expect(logLines.join('\n')).not.toContain(r);
  });

  it('holds no plaintext choice in any collection: the waiting ballots are fixed-length ciphertext', async () => {
    const all = await dumpAll();
    const mine = all.filter(({ doc }) => JSON.stringify(doc).includes(pollId) && doc._id?.toString() !== pollId);
    for (const { collection, doc } of mine) {
      expect([collection, Object.keys(doc)]).not.toEqual([collection, expect.arrayContaining(['answers'])]);
    }
    const waiting = all.filter(({ collection, doc }) => collection === 'poll_ballots' && String(doc.pollId) === pollId).map(({ doc }) => doc);
    expect(waiting).toHaveLength(2);
    for (const doc of waiting) {
      // Nothing beside the ciphertext: no answers, weight, channel, unit, time or ObjectId (whose bytes hold a time).
      expect(Object.keys(doc).sort()).toEqual(['_id', 'pollId', 'receiptHash', 'sealed']);
      expect(typeof doc._id).toBe('string');
    }
    expect(new Set(waiting.map((d) => String(d.sealed).length)).size).toBe(1);
    // The ciphertext is real: the key holder (and only they) opens it.
    const opened = waiting.map((d) => decryptBallot(api.config.ballotKey, pollId, String(d._id), String(d.sealed)).answers);
    expect(opened.sort()).toEqual([[[0]], [[1]]]);
    expect(() => decryptBallot('another-key-of-at-least-thirty-two-chars', pollId, String(waiting[0]!._id), String(waiting[0]!.sealed))).toThrow();

    // Nothing written for these ballots carries a time.
    const participations = all.filter(({ collection, doc }) => collection === 'poll_participations' && String(doc.pollId) === pollId).map(({ doc }) => doc);
    expect(participations).toHaveLength(2);
    for (const p of participations) {
      expect(p.castAt).toBeNull();
      expect(Object.keys(p)).not.toContain('createdAt');
    }
    for (const r of all.filter(({ collection, doc }) => collection === 'poll_receipts' && String(doc.pollId) === pollId)) {
      expect(Object.keys(r.doc).sort()).toEqual(['_id', 'pollId']);
    }
    // Not even the poll's last-change time moves with a ballot.
    const poll = all.find(({ collection, doc }) => collection === 'polls' && String(doc._id) === pollId)!.doc;
    expect((poll.updatedAt as Date).getTime()).toBe(updatedBefore);
  });

  it('the natural order of participations and ballots pairs nobody with a choice: after the close no per-ballot record is left', async () => {
    // Before the close the attacker can line participation i up with ciphertext i — and reads nothing.
    // After the close even the ciphertexts are gone: only one batch of sums remains.
    await api.request('POST', `/api/v1/staff/polls/${pollId}/close`, { token: centre });
    expect(await db().collection('poll_ballots').countDocuments({ pollId: oid(pollId) })).toBe(0);
    const chain = (await api.request('GET', `/api/v1/polls/${pollId}/chain`)).body;
    expect(chain.entries).toHaveLength(1);
    expect(chain.entries[0]).toMatchObject({ count: 2, ballots: null, channels: { online: 2, paper: 0, door: 0 } });
    expect(chain.entries[0].questions[0].options.map((o: { heads: number }) => o.heads)).toEqual([1, 1, 0]);
    const stored = JSON.stringify(await db().collection('poll_chain').find({ pollId: oid(pollId) }).toArray());
    expect(stored).not.toMatch(/answers/);
    expect((await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body).toMatchObject({ ok: true, entries: 1, ballots: 2, participations: 2 });
  });

  it('a voter sees the own receipt again (poll page, replay), nobody else does', async () => {
    const mine = await view(a.token, pollId);
    expect(mine.myUnits[0].receipt).toBe(receipts[0]);
    const theirs = await view(b.token, pollId);
    expect(theirs.myUnits[0].receipt).toBe(receipts[1]);
    const zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
    expect(JSON.stringify(await view(zhao, pollId))).not.toContain(receipts[0]);
  });
});

describe('(b) live results are refused for secret polls', () => {
  it('creating a secret poll with live results is refused with a clear message, and nothing is created', async () => {
    const before = await db().collection('polls').countDocuments();
    const res = await api.request('POST', '/api/v1/staff/polls', { token: centre, body: pollBody({ secrecy: 'secret', resultVisibility: 'live' }) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain('不记名投票在结束后才公布结果');
    expect(await db().collection('polls').countDocuments()).toBe(before);
  });

  it('a secret poll that was stored as live anyway (an older record) shows no result while open', async () => {
    const poll = await openPoll(api, centre, { title: '旧的实时不记名投票', secrecy: 'secret' });
    await db().collection('polls').updateOne({ _id: oid(poll.id) }, { $set: { resultVisibility: 'live' } });
    const wang = (await api.loginWechat('demo-owner-wang')).accessToken;
    expect((await cast(api, wang, poll.id, { answers: [[0]] })).status).toBe(201);
    for (const token of [wang, centre]) {
      const res = await api.request('GET', `/api/v1/polls/${poll.id}/result`, { token });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe('不记名投票在结束后才公布结果，以免推算出谁投了什么');
    }
    const v = await view(wang, poll.id);
    expect(v.resultAvailable).toBe(false);
    expect(v.resultVisibility).toBe('after_close');
  });

  it('a named poll may still be live', async () => {
    const poll = await openPoll(api, centre, { title: '实时记名投票', secrecy: 'named', resultVisibility: 'live' });
    const wang = (await api.loginWechat('demo-owner-wang')).accessToken;
    await cast(api, wang, poll.id, { answers: [[2]] });
    const res = await api.request('GET', `/api/v1/polls/${poll.id}/result`, { token: wang });
    expect(res.status).toBe(200);
    expect(res.body.questions[0].options.map((o: { heads: number }) => o.heads)).toEqual([0, 0, 1]);
  });
});

describe('(c) receipts prove receipt, never a choice', () => {
  it('batches: at most 500, never fewer than five once five have voted', () => {
    for (const n of [5, 6, 499, 500, 501, 504, 1000, 1001, 1499, 2503]) {
      const sizes = batchSizes(n);
      expect(sizes.reduce((s, x) => s + x, 0)).toBe(n);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(5);
    }
    expect(batchSizes(501)).toEqual([251, 250]);
  });

  it('before the close: received; after: batch n of m ballots (m ≥ 5), with no choice anywhere in the answer', async () => {
    const rooms = await db().collection('rooms').find({ label: /^11号楼 1单元 / }).sort({ label: 1 }).limit(6).toArray();
    const voters = await ownersOf(api, rooms, 'receipt-six');
    const poll = await openPoll(api, centre, { title: '回执只证明收到', secrecy: 'secret', scope: { kind: 'buildings', ids: await buildingIds(['11号楼']) } });
    const codes: string[] = [];
    for (const [i, v] of voters.entries()) codes.push((await cast(api, v.token, poll.id, { answers: [[i % 3]] })).body.receipt);
    const early = await api.request('GET', `/api/v1/receipts/${codes[0]}`);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ pollId: poll.id, sealed: false, seq: null, batchSize: null });

    // Three sealers race at the close: one batch, every ballot once.
    await api.request('POST', `/api/v1/staff/polls/${poll.id}/close`, { token: centre });
    await Promise.all([new Sealer(api.config.ballotKey).seal(poll.id, { all: true }), new Sealer(api.config.ballotKey).seal(poll.id, { all: true })]);
    for (const code of codes) {
      const res = await api.request('GET', `/api/v1/receipts/${code.replace(/-/g, '').toLowerCase()}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sealed: true, seq: 1, batchSize: 6 });
      expect(Object.keys(res.body).sort()).toEqual(['batchSize', 'hash', 'pollId', 'pollTitle', 'receipt', 'sealed', 'seq']);
      expect(JSON.stringify(res.body)).not.toMatch(/answers|同意|反对|弃权|options/);
    }
    // The chain the receipt points to: one batch of sums, the receipt among six.
    const chain = (await api.request('GET', `/api/v1/polls/${poll.id}/chain`)).body;
    expect(chain.entries).toHaveLength(1);
    expect(chain.entries[0].receiptHashes).toHaveLength(6);
    expect(chain.entries[0].ballots).toBeNull();
    expect((await api.request('GET', `/api/v1/polls/${poll.id}/verify`)).body.ok).toBe(true);
  });

  it('a replayed cast answers 您已经投过了 with the same receipt', async () => {
    const poll = await openPoll(api, centre, { title: '重放', secrecy: 'secret' });
    const wang = (await api.loginWechat('demo-owner-wang')).accessToken;
    const first = await cast(api, wang, poll.id, { answers: [[1]] });
    const again = await cast(api, wang, poll.id, { answers: [[1]] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_VOTED');
    expect(again.body.error.details.receipt).toBe(first.body.receipt);
  });
});

describe('(d, e) a secret owner vote', () => {
  let pollId: string;
  let voters: { token: string; userId: string; roomId: string }[];
  const choices = [0, 0, 1, 0, 2, 0, 1];
  const matter: OwnerMatter = 4;

  beforeAll(async () => {
    const [b2] = await buildingIds(['2号楼']);
    const rooms = await db().collection('rooms').find({ buildingId: oid(b2!) }).sort({ label: 1 }).limit(choices.length).toArray();
    voters = await ownersOf(api, rooms, 'secret-owner');
    pollId = (
      await openPoll(api, centre, {
        title: '续聘物业（不记名）',
        countingUnit: 'owner',
        secrecy: 'secret',
        scope: { kind: 'buildings', ids: [b2] },
        questions: [{ title: '是否同意续聘金城物业', kind: 'yesno', matter }],
      })
    ).id;
    for (const [i, v] of voters.entries()) expect((await cast(api, v.token, pollId, { answers: [[choices[i]]] })).status).toBe(201);
    expect((await api.request('POST', `/api/v1/staff/polls/${pollId}/close`, { token: centre })).status).toBe(200);
  }, 60_000);

  it('(d) the public chain carries no per-ballot area, only the batch sums', async () => {
    const chain = (await api.request('GET', `/api/v1/polls/${pollId}/chain`)).body;
    expect(chain.entries).toHaveLength(1);
    const e = chain.entries[0];
    expect(e.ballots).toBeNull();
    expect(e.count).toBe(choices.length);
    // Areas appear only as sums: the batch's, and each option's (which is the published tally anyway).
    expect(Object.keys(e).sort()).toEqual(['area', 'ballots', 'channels', 'count', 'hash', 'heads', 'prev', 'questions', 'receiptHashes', 'seq']);
    const areas = await unitAreas();
    expect(e.area).toBe(areas.reduce((s, a) => s + a, 0));
    expect(await db().collection('poll_ballots').countDocuments({ pollId: oid(pollId) })).toBe(0);
    expect(JSON.stringify(chain)).not.toMatch(/unitKey|"answers"|owner:/);
  });

  async function unitAreas(): Promise<number[]> {
    const out: number[] = [];
    for (const v of voters) {
      const key = (await view(v.token, pollId)).myUnits[0].key;
      out.push((await db().collection('poll_roll').findOne({ _id: `${pollId}|${key}` as never }))!.areaCenti as number);
    }
    return out;
  }

  it('(e) the published tally and both art. 278 tests equal a per-ballot count', async () => {
    const weights = [];
    const names: YesNoChoice[] = ['yes', 'no', 'abstain'];
    for (const [i, v] of voters.entries()) {
      const key = (await view(v.token, pollId)).myUnits[0].key;
      const entry = (await db().collection('poll_roll').findOne({ _id: `${pollId}|${key}` as never }))!;
      weights.push({ areaCenti: entry.areaCenti as number, heads: entry.heads as number, choice: names[choices[i]!]! });
    }
    const poll = (await db().collection('polls').findOne({ _id: oid(pollId) }))!;
    const expected = judgeOwnerVote(matter, tallyOwnerBallots({ totalArea: poll.roll.area, totalHeads: poll.roll.heads }, weights));
    const result = (await api.request('GET', `/api/v1/polls/${pollId}/result`, { token: voters[0]!.token })).body;
    expect(result.final).toBe(true);
    expect(result.ballots).toBe(choices.length);
    const q = result.questions[0];
    expect(q.owner.participation).toEqual(expected.participation);
    expect(q.owner.approval).toEqual(expected.approval);
    expect(q.owner.passed).toBe(expected.passed);
    const sum = (c: YesNoChoice) => weights.filter((w) => w.choice === c);
    expect(q.options.map((o: { heads: number; area: number }) => [o.heads, o.area])).toEqual(
      names.map((c) => [sum(c).reduce((s, w) => s + w.heads, 0), sum(c).reduce((s, w) => s + w.areaCenti, 0)]),
    );
    expect((await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body).toMatchObject({ ok: true, problems: [] });
  });

  it('tools/verify-poll.mjs recomputes it from the public chain alone', async () => {
    const script = path.resolve(__dirname, '../../../tools/verify-poll.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [script, api.baseUrl, pollId]);
    expect(stdout).toContain('Verified');
    expect(stdout).toContain(`${choices.length} ballots in 1 entries`);
  });

  it('a batch edited in the database, even with its hash recomputed, is caught', async () => {
    const { entryHash } = await import('../../../api/src/modules/poll/chain');
    const entry = (await db().collection('poll_chain').findOne({ pollId: oid(pollId) }))!;
    const content = JSON.parse(entry.content);
    content.questions[0].options[0].heads += 1;
    content.questions[0].options[1].heads -= 1;
    const hash = entryHash(pollId, { seq: entry.seq, prev: entry.prev, content });
    await db().collection('poll_chain').updateOne({ _id: entry._id }, { $set: { content: JSON.stringify(content), hash } });
    const report = (await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body;
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toMatch(/公布的结果|链尾/);
    await db().collection('poll_chain').replaceOne({ _id: entry._id }, entry);
    expect((await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body.ok).toBe(true);
  });
});

describe('paper ballot evidence photos', () => {
  it('are served through the poll to centre staff and the unit’s grid worker only', async () => {
    const grid1 = (await api.loginStaff('grid1')).accessToken;
    const grid3 = (await api.loginStaff('grid3')).accessToken;
    const wang = (await api.loginWechat('demo-owner-wang')).accessToken;
    const poll = await openPoll(api, centre, { title: '纸质票照片', countingUnit: 'room', secrecy: 'secret', scope: { kind: 'buildings', ids: await buildingIds(['3号楼']) } });
    const nonVoters = (await api.request('GET', `/api/v1/staff/polls/${poll.id}/non-voters`, { token: grid1 })).body;
    const unit = nonVoters.items[0];
    const photo = await uploadPhoto(api, grid1);
    const entered = await api.request('POST', `/api/v1/staff/polls/${poll.id}/paper-ballots`, { token: grid1, body: { unitKey: unit.unitKey, answers: [[0]], channel: 'paper', evidenceId: photo } });
    expect(entered.status).toBe(201);
    const url = `/api/v1/staff/polls/${poll.id}/paper-ballots/${encodeURIComponent(unit.unitKey)}/evidence`;
    for (const token of [centre, grid1]) {
      const res = await api.request('GET', url, { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
    }
    expect((await api.request('GET', url, { token: grid3 })).status).toBe(403);
    expect((await api.request('GET', url, { token: wang })).status).toBe(403);
    // The register links there, not to the raw upload.
    const file = await fetch(`${api.baseUrl}/api/v1/staff/polls/${poll.id}/export`, { headers: { Authorization: `Bearer ${centre}` } });
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const text = JSON.stringify(book.getWorksheet('投票名册')!.getSheetValues());
    expect(text).toContain(`paper-ballots/${encodeURIComponent(unit.unitKey)}/evidence`);
    expect(text).not.toContain(`/api/v1/uploads/${photo}`);
  });
});
