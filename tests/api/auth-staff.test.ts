import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename, { STAFF_LOCK_AFTER_FAILURES: '3', STAFF_LOCK_MINUTES: '15' });
  await api.services.accounts.createStaffUser({
    username: 'desk1',
    password: 'right-password-1',
    displayName: '窗口一',
    roles: ['community_staff'],
    communityId: null,
  });
  await api.services.accounts.createStaffUser({
    username: 'desk2',
    password: 'right-password-2',
    displayName: '窗口二',
    roles: ['community_staff'],
    communityId: null,
  });
});
afterAll(() => api.close());

const staffLogin = (body: unknown) => api.request('POST', '/api/v1/auth/staff', { body });

describe('POST /api/v1/auth/staff', () => {
  it('When the password is right, then tokens come back and the user is staff', async () => {
    const res = await staffLogin({ username: 'DESK1', password: 'right-password-1' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ kind: 'staff', roles: ['community_staff'], displayName: '窗口一' });
  });

  it('stores the password as a slow salted hash, never as given', async () => {
    const credential = await mongoose.connection.db!.collection('staff_credentials').findOne({ username: 'desk1' });
    expect(credential!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(credential)).not.toContain('right-password-1');
  });

  it('When the password or the username is wrong, then the same 401 LOGIN_FAILED', async () => {
    const wrongPassword = await staffLogin({ username: 'desk2', password: 'nope' });
    const unknownUser = await staffLogin({ username: 'nobody', password: 'nope' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
  });

  it('When the password is wrong too many times, then the account locks, even for the right password', async () => {
    await staffLogin({ username: 'desk2', password: 'nope' }); // the second failure (one above)
    const third = await staffLogin({ username: 'desk2', password: 'nope' });
    expect(third.status).toBe(423);
    expect(third.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(third.body.error.message).toContain('15分钟');
    const right = await staffLogin({ username: 'desk2', password: 'right-password-2' });
    expect(right.status).toBe(423);
    expect(right.body.error.details.retryAfterSeconds).toBeGreaterThan(800);
  });

  it('When the lock has passed, then the right password works again', async () => {
    // The lock is per account and address (login_throttles), not on the account itself.
    await mongoose.connection.db!.collection('login_throttles').updateMany({}, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await staffLogin({ username: 'desk2', password: 'right-password-2' })).status).toBe(200);
  });

  it('When a query operator is sent where a string belongs, then 400 and nothing is read or written', async () => {
    const before = await mongoose.connection.db!.collection('staff_credentials').find({}).toArray();
    const res = await staffLogin({ username: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields['body.username']).toBeDefined();
    const after = await mongoose.connection.db!.collection('staff_credentials').find({}).toArray();
    expect(after).toEqual(before);
    expect(await mongoose.connection.db!.collection('refresh_tokens').countDocuments({})).toBe(2);
  });

  it('When the password is 100 000 characters long, then 400 without hashing it', async () => {
    const started = Date.now();
    const res = await staffLogin({ username: 'desk1', password: 'x'.repeat(60_000) });
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
