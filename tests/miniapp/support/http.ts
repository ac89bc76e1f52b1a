/**
 * A scripted fetch: Taro's H5 request goes through window.fetch, so tests mock
 * the network itself and the request layer under test is the real one.
 */
export interface Call {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Reply = { status: number; body?: unknown } | 'network-error';
type Handler = (call: Call) => Reply | Promise<Reply>;

export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const fetchMock = jest.fn(async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const u = new URL(url);
    const call: Call = {
      method: (init.method ?? 'GET').toUpperCase(),
      url,
      path: u.pathname,
      headers: init.headers ?? {},
      body: init.body ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const route = routes[key];
    const reply: Reply = route === undefined
      ? { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: '没有这个接口' } } }
      : typeof route === 'function'
        ? await route(call)
        : route;
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      headers: new Map([['content-type', 'application/json']]),
      json: async () => JSON.parse(text),
      text: async () => text,
    };
  });
  (window as unknown as { fetch: unknown }).fetch = fetchMock;
  (globalThis as unknown as { fetch: unknown }).fetch = fetchMock;
  return { calls, fetchMock };
}

export function apiError(status: number, code: string, message: string, details?: Record<string, unknown>): Reply {
  return { status, body: { error: { code, message, ...(details ? { details } : {}) } } };
}

export const ids = {
  user: 'a'.repeat(24),
  building: 'b'.repeat(24),
  unit: 'c'.repeat(24),
  room: 'd'.repeat(24),
  binding: 'e'.repeat(24),
};

export function tokens(suffix = '1') {
  return {
    accessToken: `access-${suffix}`,
    accessTokenExpiresAt: '2026-11-26T12:00:00+08:00',
    refreshToken: `refresh-token-${suffix}-0123456789abcdef`,
    refreshTokenExpiresAt: '2026-12-26T12:00:00+08:00',
  };
}

export function user(over: Record<string, unknown> = {}) {
  return {
    id: ids.user,
    nickname: '王阿姨',
    displayName: '王秀兰',
    phoneMasked: '138****1234',
    roles: ['resident'],
    communityId: null,
    gridIds: [],
    propertyCompanyId: null,
    kind: 'wechat',
    createdAt: '2026-11-01T09:00:00+08:00',
    ...over,
  };
}
