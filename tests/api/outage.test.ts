import { freeTcpPort, startOwnDevdb, startTestApi, type TestApi } from './support/harness';

/**
 * The database goes away (SIGKILL, as a crash would) and comes back: requests
 * meanwhile get 503 with a Chinese message, and the API recovers by itself.
 */
let api: TestApi;
let db: Awaited<ReturnType<typeof startOwnDevdb>>;
let port: number;
const pgDatabase = 'community_outage_test';

beforeAll(async () => {
  port = await freeTcpPort();
  db = await startOwnDevdb(port, pgDatabase);
  api = await startTestApi(__filename, { MONGODB_URI: db.uri });
});
afterAll(async () => {
  await api.close().catch(() => undefined);
  await db.kill();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
}

it('When the database stops and restarts, then 503 meanwhile and normal answers after, with no restart of the API', async () => {
  const { accessToken } = await api.loginWechat('outage-resident');
  expect((await api.request('GET', '/api/v1/me', { token: accessToken })).status).toBe(200);

  await db.kill();
  const during = await api.request('GET', '/api/v1/me', { token: accessToken });
  expect(during.status).toBe(503);
  expect(during.body.error.code).toBe('DATABASE_UNAVAILABLE');
  expect(during.body.error.message).toBe('系统正在维护，请稍后再试');
  const health = await api.request('GET', '/api/v1/health');
  expect(health.status).toBe(503);
  expect(health.body.database.state).toBe('down');
  const login = await api.request('POST', '/api/v1/auth/wechat', { body: { code: 'test-outage-other' } });
  expect(login.status).toBe(503);

  db = await startOwnDevdb(port, pgDatabase);
  await waitFor(async () => (await api.request('GET', '/api/v1/health')).status === 200, 20_000);
  const after = await api.request('GET', '/api/v1/me', { token: accessToken });
  expect(after.status).toBe(200);
  expect(after.body.nickname).toBe('微信用户');
});
