import { startTestApi, type TestApi } from './support/harness';

/** F9: Open311 GeoReport v2 beside our API, in the standard's field names, never naming a resident. */
let api: TestApi;
let wang: string;
let roomId: string;

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
].sort();

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  roomId = (await api.request('GET', '/api/v1/me', { token: wang })).body.rooms[0].roomId;
}, 60_000);
afterAll(() => api.close());

const form = (fields: Record<string, string>) =>
  fetch(`${api.baseUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

it('lists services and their definitions; an unknown one is a 404 in the standard error shape', async () => {
  const services = await (await fetch(`${api.baseUrl}/open311/v2/services.json`)).json();
  expect(services.map((s: { service_code: string }) => s.service_code)).toContain('elevator');
  for (const s of services) expect(Object.keys(s).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
  expect(await (await fetch(`${api.baseUrl}/open311/v2/services/elevator.json`)).json()).toEqual({ service_code: 'elevator', attributes: [] });
  const missing = await fetch(`${api.baseUrl}/open311/v2/services/rockets.json`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual([{ code: 404, description: 'service_code not found' }]);
});

it('takes a request from the hotline with its api_key (form-encoded), and refuses one without', async () => {
  const noKey = await form({ service_code: 'elevator', description: '3号楼电梯困人，已解救，请检修', address_string: '3号楼' });
  expect(noKey.status).toBe(400);
  const badKey = await form({ api_key: 'guess', service_code: 'elevator', description: '3号楼电梯困人，已解救，请检修', address_string: '3号楼' });
  expect(badKey.status).toBe(403);
  expect((await badKey.json())[0].code).toBe(403);
  const nowhere = await form({ api_key: 'dev-open311-key', service_code: 'elevator', description: '电梯困人，已解救，请检修', address_string: '火星' });
  expect(nowhere.status).toBe(400);

  const ok = await form({ api_key: 'dev-open311-key', service_code: 'elevator', description: '3号楼电梯困人，已解救，请检修', address_string: '滨河社区3号楼2单元', first_name: '建华', last_name: '孙', phone: '13912345678' });
  expect(ok.status).toBe(201);
  const [created] = await ok.json();
  expect(created.service_request_id).toMatch(/^FK\d{12}$/);
  const [one] = await (await fetch(`${api.baseUrl}/open311/v2/requests/${created.service_request_id}.json`)).json();
  expect(Object.keys(one).sort()).toEqual(REQUEST_FIELDS);
  expect(one).toMatchObject({ status: 'open', service_code: 'elevator', address: '3号楼（公共区域）', agency_responsible: '金城物业服务有限公司' });
  expect(JSON.stringify(one)).not.toMatch(/孙|建华|13912345678/);
  // The centre still sees the caller, to call back.
  const centre = (await api.loginStaff('centre')).accessToken;
  const caseId = (await api.request('GET', '/api/v1/staff/cases?status=open', { token: centre })).body.items.length;
  expect(caseId).toBe(0); // the centre does not hold it (the property company does) …
  const admin = (await api.loginStaff('admin')).accessToken;
  const mongoose = (await import('mongoose')).default;
  const doc = await mongoose.connection.db!.collection('cases').findOne({ number: created.service_request_id });
  const seen = (await api.request('GET', `/api/v1/cases/${doc!._id.toHexString()}`, { token: admin })).body;
  expect(seen).toMatchObject({ reporterName: '孙建华', reporterPhone: '13912345678' }); // … but may always look and call back.
});

it('lists requests with the standard filters, at most 90 days at a time, never naming an anonymous resident', async () => {
  await api.request('POST', '/api/v1/cases', {
    token: wang,
    body: { kind: 'complaint', category: 'fees', place: { kind: 'room', roomId }, text: '物业费多收了两个月', visibility: 'staff_only' },
  });
  const all = await (await fetch(`${api.baseUrl}/open311/v2/requests.json`)).json();
  expect(all.length).toBeGreaterThanOrEqual(2);
  for (const r of all) expect(Object.keys(r).sort()).toEqual(REQUEST_FIELDS);
  expect(JSON.stringify(all)).not.toMatch(/王秀英|1380/);
  const fees = await (await fetch(`${api.baseUrl}/open311/v2/requests.json?service_code=fees&status=open`)).json();
  expect(fees.every((r: { service_code: string; status: string }) => r.service_code === 'fees' && r.status === 'open')).toBe(true);
  expect((await (await fetch(`${api.baseUrl}/open311/v2/requests.json?status=closed`)).json())).toEqual([]);
  const tooLong = await fetch(`${api.baseUrl}/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00`);
  expect(tooLong.status).toBe(400);
  expect((await tooLong.json())[0].description).toContain('90 days');
  expect((await fetch(`${api.baseUrl}/open311/v2/requests/FK000.json`)).status).toBe(404);
});
