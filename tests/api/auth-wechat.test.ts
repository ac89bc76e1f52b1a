import jwt from 'jsonwebtoken';
import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
});
afterAll(() => api.close());

const login = (code: unknown) => api.request('POST', '/api/v1/auth/wechat', { body: { code } });

describe('POST /api/v1/auth/wechat', () => {
  it('When the code is good, then it returns tokens and the user, and the same openid is the same user next time', async () => {
    const first = await login('test-o-alice');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { kind: 'wechat', roles: [], nickname: '微信用户' },
    });
    expect(JSON.stringify(first.body)).not.toMatch(/session_key|openid/);
    const again = await login('test-o-alice');
    expect(again.body.user.id).toBe(first.body.user.id);
  });

  it('When two first logins of one person race, then exactly one account is created', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => login('test-o-racer')));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
  });

  it.each([
    ['bad-code', 400, 'WECHAT_CODE_INVALID'],
    ['test-code-used', 400, 'WECHAT_CODE_INVALID'],
    ['not-a-known-format', 400, 'WECHAT_CODE_INVALID'],
    ['test-too-fast', 429, 'WECHAT_TOO_FREQUENT'],
    ['test-blocked-user', 403, 'WECHAT_USER_BLOCKED'],
  ])('When WeChat refuses code %s, then %i %s with a Chinese message', async (code, status, errorCode) => {
    const res = await login(code);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(errorCode);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('When WeChat cannot be reached, then 502 WECHAT_UNAVAILABLE', async () => {
    const offline = await startTestApi(__filename, { WX_API_BASE: 'http://127.0.0.1:9' });
    // This second app shares the mongoose connection, so only the HTTP answer is checked.
    const res = await offline.request('POST', '/api/v1/auth/wechat', { body: { code: 'test-o-x' } });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    await offline.close();
  });

  it.each([
    [{ code: { $gt: '' } }, 'body.code'],
    [{ code: 12345 }, 'body.code'],
    [{}, 'body.code'],
    [{ code: 'test-o-a', admin: true }, 'body.admin'],
  ])('When the body is %j, then 400 with field details', async (body, field) => {
    const res = await api.request('POST', '/api/v1/auth/wechat', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.details.fields)).toContain(field);
  });
});

describe('access tokens', () => {
  let token: string;
  beforeAll(async () => {
    token = (await login('test-o-bob')).body.accessToken;
  });

  it('When the token is valid, then /me answers', async () => {
    const me = await api.request('GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.rooms).toEqual([]);
  });

  it('When there is no token, then 401 UNAUTHENTICATED', async () => {
    const res = await api.request('GET', '/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('When the token is tampered with, then 401', async () => {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '0'.repeat(24) })).toString('base64url');
    const res = await api.request('GET', '/api/v1/me', { token: `${header}.${forged}.${signature}` });
    expect(res.status).toBe(401);
  });

  it('When the token is signed with another secret, or with alg none, then 401', async () => {
    const sub = jwt.decode(token)!.sub as string;
    const other = jwt.sign({ typ: 'access', sid: 'x' }, 'another-secret-of-enough-length-1234567', {
      subject: sub,
      audience: 'community-app',
      issuer: 'community-api',
    });
    expect((await api.request('GET', '/api/v1/me', { token: other })).status).toBe(401);
    const none = jwt.sign({ typ: 'access', sid: 'x' }, '', { algorithm: 'none', subject: sub, audience: 'community-app', issuer: 'community-api' });
    expect((await api.request('GET', '/api/v1/me', { token: `${none}x` })).status).toBe(401);
  });

  it('When the token has expired, then 401 TOKEN_EXPIRED (the client refreshes)', async () => {
    const sub = jwt.decode(token)!.sub as string;
    const expired = jwt.sign({ typ: 'access', sid: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, api.config.jwtSecret, {
      subject: sub,
      audience: 'community-app',
      issuer: 'community-api',
    });
    const res = await api.request('GET', '/api/v1/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('When the token is for another audience, then 401', async () => {
    const sub = jwt.decode(token)!.sub as string;
    const foreign = jwt.sign({ typ: 'access', sid: 'x' }, api.config.jwtSecret, { subject: sub, audience: 'other-app', issuer: 'community-api' });
    expect((await api.request('GET', '/api/v1/me', { token: foreign })).status).toBe(401);
  });

  it('When a refresh token is used as an access token, then 401', async () => {
    const refresh = (await login('test-o-bob')).body.refreshToken;
    expect((await api.request('GET', '/api/v1/me', { token: refresh })).status).toBe(401);
  });
});

describe('refresh and logout', () => {
  it('When a refresh token is used, then a new pair comes back and the old one is refused', async () => {
    const first = (await login('test-o-carol')).body;
    const second = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await api.request('GET', '/api/v1/me', { token: second.body.accessToken })).status).toBe(200);

    const replay = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    // The replay means the token leaked: the whole session is revoked, including the newest token.
    const newest = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(newest.status).toBe(401);
  });

  it('When the same refresh token is used twice at once, then exactly one use succeeds', async () => {
    const { refreshToken } = (await login('test-o-dave')).body;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('When a person logs out, then that session refresh token stops working', async () => {
    const session = (await login('test-o-erin')).body;
    const out = await api.request('POST', '/api/v1/auth/logout', { token: session.accessToken, body: { refreshToken: session.refreshToken } });
    expect(out.status).toBe(200);
    const after = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(after.status).toBe(401);
  });

  it('When someone logs out with another person refresh token, then that token keeps working', async () => {
    const victim = (await login('test-o-frank')).body;
    const attacker = (await login('test-o-grace')).body;
    await api.request('POST', '/api/v1/auth/logout', { token: attacker.accessToken, body: { refreshToken: victim.refreshToken } });
    const still = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: victim.refreshToken } });
    expect(still.status).toBe(200);
  });
});

describe('login rate limit', () => {
  it('When one address logs in too often, then 429 RATE_LIMITED with Retry-After', async () => {
    const limited = await startTestApi(__filename, { WECHAT_LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await limited.request('POST', '/api/v1/auth/wechat', { body: { code: 'test-o-flood' } })).status);
    }
    // A sliding window: however the calls fall across a minute boundary, no more than the limit get through.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const refused = await limited.request('POST', '/api/v1/auth/wechat', { body: { code: 'test-o-flood' } });
    if (refused.status === 429) {
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await limited.close();
  });
});
