import type { TestApi } from './harness';

const HOUR = 3600_000;

/** An activity two days ahead with sign-up open now; tests override what they are about. */
export function activityBody(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    type: 'volunteer',
    title: '河道清洁志愿服务',
    description: '沿滨河步道捡拾垃圾，提供手套和夹子。',
    place: '滨河公园东门',
    organiser: '滨河社区新时代文明实践站',
    startAt: new Date(now + 48 * HOUR).toISOString(),
    endAt: new Date(now + 50 * HOUR).toISOString(),
    signupOpensAt: new Date(now - HOUR).toISOString(),
    signupClosesAt: new Date(now + 47 * HOUR).toISOString(),
    capacity: 20,
    ...overrides,
  };
}

export async function createActivity(api: TestApi, token: string, overrides: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/api/v1/staff/activities', { token, body: activityBody(overrides) });
  if (res.status !== 201) throw new Error(`create activity: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; startAt: string };
}

export const signUpFor = (api: TestApi, token: string, activityId: string, body: Record<string, unknown> = {}) =>
  api.request('POST', `/api/v1/activities/${activityId}/signups`, { token, body });
