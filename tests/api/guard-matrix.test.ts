import { roles, type Role } from '@community/shared';
import { startTestApi, type TestApi } from './support/harness';

/**
 * Every route × every role, generated from the route table: a route added
 * tomorrow is in this matrix without anyone writing a test for it. A caller
 * who may not use a route gets 401 (anonymous) or 403 (wrong role); a caller
 * who may gets anything but those (400 for the empty body, 404 for the made-up
 * ids, 200 …).
 */
let api: TestApi;
const tokens = new Map<string, string>();
const callers = ['anonymous', 'guest', ...roles] as const;
type Caller = (typeof callers)[number];

beforeAll(async () => {
  api = await startTestApi(__filename);
  const { communityId } = await api.seed();
  // One account per role, holding exactly that role (guest: signed in, no role).
  tokens.set('guest', (await api.loginWechat('matrix-guest')).accessToken);
  for (const role of roles) {
    const login = await api.loginWechat(`matrix-${role}`);
    const mongoose = (await import('mongoose')).default;
    await mongoose.connection.db!.collection('users').updateOne(
      { _id: new mongoose.Types.ObjectId(login.user.id) },
      { $set: { roles: [role], communityId: new mongoose.Types.ObjectId(communityId) } },
    );
    tokens.set(role, login.accessToken);
  }
});
afterAll(() => api.close());

function allowed(access: 'public' | 'signedIn' | readonly Role[], caller: Caller): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  if (access === 'signedIn') return true;
  return caller !== 'guest' && access.includes(caller);
}

const fakeId = 'f'.repeat(24);

it('covers every route in the table', () => {
  expect(api.app.routeTable.length).toBeGreaterThan(15);
});

describe.each(callers)('as %s', (caller) => {
  it('every route answers as its access rule says', async () => {
    const mismatches: string[] = [];
    for (const route of api.app.routeTable) {
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, fakeId);
      const token = caller === 'anonymous' ? undefined : tokens.get(caller);
      const res = await api.request(route.method.toUpperCase(), `/api/v1${path}`, {
        token,
        ...(route.method === 'get' || route.method === 'delete' ? {} : route.rawBody ? { rawBody: '', headers: { 'Content-Type': 'text/csv' } } : { body: {} }),
      });
      const expectAllowed = allowed(route.access, caller);
      const refused = res.status === 401 || res.status === 403;
      // An allowed caller may still meet a 403 from an object-level rule, but never for a made-up id.
      if (expectAllowed === refused) {
        mismatches.push(`${route.method.toUpperCase()} ${route.path}: ${res.status} ${JSON.stringify(res.body?.error?.code)}`);
      }
      if (!expectAllowed) expect(res.status).toBe(caller === 'anonymous' ? 401 : 403);
    }
    expect(mismatches).toEqual([]);
  });
});
