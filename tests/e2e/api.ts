import { baseUrl } from './browser';

/**
 * The seeded API the H5 build talks to, called straight from the test: to read
 * what a page is about to show (slots, seats) and to check what a page did.
 */
export const apiUrl = process.env.E2E_API_URL ?? baseUrl;

export interface Slot {
  id: string;
  serviceId: string;
  date: string;
  startAt: string;
  endAt: string;
  seatsLeft: number;
  bookable: boolean;
}
export interface Service {
  id: string;
  name: string;
  category: string;
}
export interface Booking {
  id: string;
  code: string;
  status: string;
  residentId: string;
  residentName: string | null;
  actedByName: string | null;
  serviceName: string;
  startAt: string;
  history: { status: string; byName: string | null }[];
}

/**
 * The service 授权家人代办 (family-booking.test.ts) books for 王秀英. Another
 * test file booking for her in the same service at the same time would meet her
 * one-active-booking limit, so the others leave it alone.
 */
export const FAMILY_SERVICE = '老年人优待证办理';

export interface Answer<T> {
  status: number;
  body: T;
}

/** Any answer, refusals included. */
export async function request<T = any>(p: string, opts: { method?: string; token?: string; body?: unknown; key?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  const res = await fetch(`${apiUrl}${p}`, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** A successful answer's body; a refusal throws with what the API said. */
export async function call<T>(p: string, opts: { method?: string; token?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const { status, body } = await request<T>(p, opts);
  if (status >= 300) throw new Error(`${opts.method ?? 'GET'} ${p} → ${status} ${JSON.stringify(body)}`);
  return body;
}

export const loginAs = (p: string, body: unknown) => call<{ accessToken: string; user: { id: string } }>(p, { method: 'POST', body });
export const tokenOf = async (p: string, body: unknown) => (await loginAs(p, body)).accessToken;
export const personaToken = (code: string) => tokenOf('/api/v1/auth/wechat', { code });

export const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
/** 'YYYY-MM-DD' plus n days. */
export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function serviceNamed(token: string, name: string): Promise<Service> {
  const service = (await call<{ items: Service[] }>('/api/v1/services', { token })).items.find((s) => s.name === name);
  if (!service) throw new Error(`no service named ${name} in the seeded catalogue`);
  return service;
}

export async function slotsOf(token: string, serviceId: string): Promise<Slot[]> {
  return (await call<{ items: Slot[] }>(`/api/v1/services/${serviceId}/slots`, { token })).items;
}
