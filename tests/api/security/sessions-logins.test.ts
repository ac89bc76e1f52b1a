import mongoose from 'mongoose';
import { loadConfig, ConfigError } from '../../../api/src/config';
import { countHit } from '../../../api/src/db/rate-counter';
import { startTestApi, type TestApi } from '../support/harness';

/**
 * Sessions, logins, configuration and idempotency records, tried as an
 * attacker would: a stolen access token after logout, a replayed refresh
 * token, a stranger guessing a desk's password, one estate behind one NAT
 * address, a server started without NODE_ENV, a reader of the database.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename, { TRUST_PROXY: 'true', STAFF_LOCK_AFTER_FAILURES: '3', STAFF_LOCK_MINUTES: '15', STAFF_ACCOUNT_FAILURES_PER_HOUR: '8' });
  await api.services.accounts.createStaffUser({ username: 'desk', password: 'right-password-1', displayName: '窗口', roles: ['community_staff'], communityId: null });
  await api.services.accounts.createStaffUser({ username: 'admin1', password: 'right-password-2', displayName: '管理员', roles: ['admin'], communityId: null });
});
afterAll(() => api.close());

const from = (address: string) => ({ 'X-Forwarded-For': address });
const staffLogin = (username: string, password: string, address: string) =>
  api.request('POST', '/api/v1/auth/staff', { body: { username, password }, headers: from(address) });
const me = (token: string) => api.request('GET', '/api/v1/me', { token });
const patchMe = (token: string) => api.request('PATCH', '/api/v1/me', { token, body: { nickname: '改个名' } });

describe('an access token stops working at once', () => {
  it('after logout: the same access token is refused for reads and writes', async () => {
    const session = await api.loginWechat('sess-logout');
    expect((await me(session.accessToken)).status).toBe(200);
    const out = await api.request('POST', '/api/v1/auth/logout', { token: session.accessToken, body: { refreshToken: session.refreshToken } });
    expect(out.status).toBe(200);
    expect((await me(session.accessToken)).status).toBe(401);
    const write = await patchMe(session.accessToken);
    expect(write.status).toBe(401);
    const user = await mongoose.connection.db!.collection('users').findOne({ _id: new mongoose.Types.ObjectId(session.user.id) });
    expect(user!.nickname).not.toBe('改个名');
  });

  it('after logout, another session of the same person keeps working', async () => {
    const phone = await api.loginWechat('sess-two');
    const laptop = await api.loginWechat('sess-two');
    await api.request('POST', '/api/v1/auth/logout', { token: phone.accessToken, body: { refreshToken: phone.refreshToken } });
    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await me(laptop.accessToken)).status).toBe(200);
  });

  it('after a replayed refresh token revokes the family: the access token issued from it is refused too', async () => {
    const first = await api.loginWechat('sess-replay');
    const rotated = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.accessToken)).status).toBe(200);
    // The thief replays the first (already rotated) refresh token: the whole session ends.
    const replay = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect((await patchMe(rotated.body.accessToken)).status).toBe(401);
    expect((await me(first.accessToken)).status).toBe(401);
  });

  it('after an admin takes a role away: the person must sign in again', async () => {
    const admin = (await staffLogin('admin1', 'right-password-2', '10.0.0.1')).body;
    const worker = await api.loginWechat('sess-role');
    await mongoose.connection.db!.collection('users').updateOne(
      { _id: new mongoose.Types.ObjectId(worker.user.id) },
      { $set: { roles: ['grid_worker'], communityId: null } },
    );
    expect((await me(worker.accessToken)).status).toBe(200);
    const changed = await api.request('PUT', `/api/v1/staff/users/${worker.user.id}/roles`, { token: admin.accessToken, body: { roles: [] } });
    expect(changed.status).toBe(200);
    expect((await me(worker.accessToken)).status).toBe(401);
    expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: worker.refreshToken } })).status).toBe(401);
    // Signing in again works.
    expect((await api.loginWechat('sess-role')).user.roles).toEqual([]);
  });
});

describe('password logins', () => {
  it('a stranger guessing from another address cannot lock the desk out', async () => {
    for (let i = 0; i < 3; i++) await staffLogin('desk', 'guess', '203.0.113.9');
    const stranger = await staffLogin('desk', 'right-password-1', '203.0.113.9');
    expect(stranger.status).toBe(423);
    expect(stranger.body.error.code).toBe('ACCOUNT_LOCKED');
    // The desk at its own address is not locked.
    expect((await staffLogin('desk', 'right-password-1', '198.51.100.7')).status).toBe(200);
  });

  it('each further lock of one address lasts twice as long', async () => {
    const locks: number[] = [];
    for (let round = 0; round < 2; round++) {
      let last;
      for (let i = 0; i < 3; i++) last = await staffLogin('desk', 'guess', '203.0.113.50');
      locks.push(last!.body.error.details.retryAfterSeconds);
      await mongoose.connection.db!.collection('login_throttles').updateMany({ lockedUntil: { $ne: null } }, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    }
    expect(locks[0]).toBeGreaterThan(14 * 60);
    expect(locks[1]).toBeGreaterThan(29 * 60);
  });

  it('a guesser spread over many addresses is stopped, while the desk from its usual address still gets in', async () => {
    let last;
    for (let i = 0; i < 10; i++) last = await staffLogin('desk', `guess-${i}`, `192.0.2.${i + 1}`);
    expect(last!.status).toBe(423);
    expect(last!.body.error.message).toContain('平时登录');
    // Even the right password from a new address waits out the hour…
    expect((await staffLogin('desk', 'right-password-1', '192.0.2.200')).status).toBe(423);
    // …but the address it logged in from before is let through.
    expect((await staffLogin('desk', 'right-password-1', '198.51.100.7')).status).toBe(200);
  });

  it('stores no plain address or username in throttle records', async () => {
    const docs = await mongoose.connection.db!.collection('login_throttles').find({}).toArray();
    expect(docs.length).toBeGreaterThan(0);
    const text = JSON.stringify(docs);
    expect(text).not.toContain('203.0.113');
    expect(text).not.toContain('desk');
  });

  it('WeChat logins and password logins are counted apart: a password flood does not block WeChat login', async () => {
    const limited = await startTestApi(__filename, { TRUST_PROXY: 'true', LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 6; i++) {
      await limited.request('POST', '/api/v1/auth/staff', { body: { username: `nobody${i}`, password: 'x' }, headers: from('100.64.0.1') });
    }
    const blocked = await limited.request('POST', '/api/v1/auth/staff', { body: { username: 'nobody', password: 'x' }, headers: from('100.64.0.1') });
    expect(blocked.status).toBe(429);
    const wechat = await limited.request('POST', '/api/v1/auth/wechat', { body: { code: 'test-nat-resident' }, headers: from('100.64.0.1') });
    expect(wechat.status).toBe(200);
    await limited.close();
  });

  it('the sliding window lets no more than the limit through across a window boundary', async () => {
    const windowStart = Math.floor(Date.now() / 1000 / 60) * 60;
    const late = new Date((windowStart + 59) * 1000);
    const early = new Date((windowStart + 61) * 1000);
    const passed: boolean[] = [];
    for (let i = 0; i < 10; i++) passed.push((await countHit('edge-test', 60, late)).count <= 10);
    for (let i = 0; i < 10; i++) passed.push((await countHit('edge-test', 60, early)).count <= 10);
    // A fixed window would let all 20 through; the sliding one at most about 10 (+1 for rounding).
    expect(passed.filter(Boolean).length).toBeLessThanOrEqual(11);
  });
});

describe('configuration fails closed', () => {
  const base = { MONGODB_URI: 'mongodb://127.0.0.1:1/' };
  it('without NODE_ENV the development secrets are refused, naming each variable', () => {
    let message = '';
    try {
      loadConfig(base);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['JWT_SECRET', 'WX_APPSECRET', 'BALLOT_KEY']) expect(message).toContain(name);
  });

  it('any NODE_ENV but development or test counts as production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'staging' })).toThrow(/BALLOT_KEY/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'Production' })).toThrow(/JWT_SECRET/);
  });

  it('production with real secrets starts, without demo logins or a known Open311 key', () => {
    const config = loadConfig({
      ...base,
      JWT_SECRET: 'j'.repeat(40),
      WX_APPSECRET: 'real-app-secret',
      BALLOT_KEY: 'b'.repeat(40),
    });
    expect(config.env).toBe('production');
    expect(config.devPersonas).toBe(false);
    expect(config.open311ApiKeys).toEqual([]);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'j'.repeat(40), WX_APPSECRET: 'x', BALLOT_KEY: 'j'.repeat(40) })).toThrow(/must differ/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'j'.repeat(40), WX_APPSECRET: 'x', BALLOT_KEY: 'b'.repeat(40), DEV_PERSONAS: 'true' })).toThrow(/DEV_PERSONAS/);
  });

  it('development and test keep their defaults', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).devPersonas).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).env).toBe('test');
  });
});

describe('idempotency records', () => {
  it('keep only what a replay needs, unreadable without the client key, and expire by themselves', async () => {
    await api.seed();
    const resident = await api.loginStaff('admin');
    const key = 'idem-secret-key-123';
    // A real idempotent write: filing a topic (its answer names the author, 马主任).
    const records = mongoose.connection.db!.collection('idempotency_records');
    await records.deleteMany({});
    const body = { title: '楼道灯坏了好几天', body: '三号楼二单元楼道灯不亮，晚上老人走路不方便。' };
    const a = await api.request('POST', '/api/v1/topics', { token: resident.accessToken, body, headers: { 'Idempotency-Key': key } });
    const b = await api.request('POST', '/api/v1/topics', { token: resident.accessToken, body, headers: { 'Idempotency-Key': key } });
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
    // The answer itself carries the text, so its absence below means it is sealed, not missing.
    expect(JSON.stringify(a.body)).toContain('楼道灯');
    const stored = await records.find({}).toArray();
    expect(stored).toHaveLength(1);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(resident.user.id);
    expect(text).not.toContain('楼道灯');
    expect(text).not.toContain('马主任');
    expect(text).not.toContain(key);
    const expiresIn = (stored[0]!.expiresAt as Date).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(50 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000 + 1000);
    // Past its time the record no longer answers: the same key acts anew (and the sweep removes it).
    await records.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const { sweepExpired } = await import('../../../api/src/db/expiry');
    const removed = await sweepExpired();
    expect(removed.idempotency_records).toBe(1);
  });
});
