import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
});
afterAll(() => api.close());

describe('GET /api/v1/health', () => {
  it('When the database is up, then it answers 200 with the server kind', async () => {
    const res = await api.request('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database).toMatchObject({ state: 'up', server: 'ferretdb', version: expect.stringMatching(/^v1\.24\./) });
    expect(typeof res.body.database.latencyMs).toBe('number');
  });

  it('gives every answer a request id and strict security headers', async () => {
    const res = await api.request('GET', '/api/v1/health');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('keeps a safe request id given by the caller, and replaces an unsafe one', async () => {
    const kept = await api.request('GET', '/api/v1/health', { headers: { 'X-Request-Id': 'gateway-trace-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('gateway-trace-12345');
    const replaced = await api.request('GET', '/api/v1/health', { headers: { 'X-Request-Id': 'bad id\twith tabs' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('bad');
  });
});

describe('CORS', () => {
  it('allows the H5 origin and no other', async () => {
    const allowed = await api.request('OPTIONS', '/api/v1/me', {
      headers: { Origin: 'http://127.0.0.1:10086', 'Access-Control-Request-Method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:10086');
    const refused = await api.request('OPTIONS', '/api/v1/me', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('errors have one shape', () => {
  it('When a route does not exist, then 404 with a code and a Chinese message', async () => {
    const res = await api.request('GET', '/api/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
  });

  it('When the JSON is malformed, then 400 BAD_JSON', async () => {
    const res = await api.request('POST', '/api/v1/auth/wechat', {
      rawBody: '{"code": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_JSON');
  });

  it('When the body is larger than the limit, then 413 and nothing else happens', async () => {
    const res = await api.request('POST', '/api/v1/auth/wechat', { body: { code: 'x'.repeat(100_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('describes every route of the route table, generated from the shared schemas', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const route of api.app.routeTable) {
      const path = `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
      expect(res.body.paths[path]?.[route.method]).toBeDefined();
    }
    const login = res.body.paths['/api/v1/auth/wechat'].post;
    expect(JSON.stringify(login.requestBody)).toContain('WechatLoginBody');
    expect(res.body.components.schemas.WechatLoginBody.properties.code.type).toBe('string');
  });
});
