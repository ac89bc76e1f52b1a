import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { caseCreateBody } from '@community/shared';
import { apiError, type Call, type Reply } from './support/http';
import { mockApiWithFiles } from './support/files';
import { resetAppState, signIn } from './support/reset';
import { buildings, caseIds, caseView, residentMe, room } from './support/cases';
import FeedbackReport from '../../miniapp/src/feedback/report/index';

type Handler = (call: Call) => Reply | Promise<Reply>;

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0]);

/** The API plus the phone's chosen photos, which the page reads back through fetch(blob: URL). */
function mockWithPhotos(routes: Record<string, Handler | Reply>, photos: Record<string, Uint8Array> = {}) {
  const m = mockApiWithFiles(routes);
  const inner = m.fetchMock as unknown as (url: string, init?: unknown) => Promise<unknown>;
  const outer = jest.fn(async (url: string, init?: unknown) => {
    const bytes = photos[url];
    if (bytes) return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
    return inner(url, init);
  });
  (window as unknown as { fetch: unknown }).fetch = outer;
  (globalThis as unknown as { fetch: unknown }).fetch = outer;
  return m;
}

function chooseImages(paths: string[]) {
  return jest
    .spyOn(Taro, 'chooseImage')
    .mockImplementation((() => Promise.resolve({ tempFilePaths: paths, tempFiles: paths.map((path) => ({ path, size: 1000 })), errMsg: 'chooseImage:ok' })) as never);
}

function issue(body: Record<string, unknown>, path: string): string {
  const r = caseCreateBody.safeParse(body);
  if (r.success) throw new Error('expected the schema to refuse this');
  const found = r.error.issues.find((i) => i.path.join('.') === path);
  if (!found) throw new Error(`no issue at ${path}`);
  return found.message;
}

const baseRoutes = (extra: Record<string, Handler | Reply> = {}): Record<string, Handler | Reply> => ({
  'GET /api/v1/me': residentMe(),
  'GET /api/v1/spaces/buildings': buildings,
  'GET /api/v1/cases/similar': { status: 200, body: { items: [] } },
  ...extra,
});

describe('feedback: 反映问题', () => {
  beforeEach(() => {
    resetAppState();
    signIn('resident');
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks the form with the shared schema first: each message beside its field, nothing sent', async () => {
    const api = mockWithPhotos(baseRoutes({ 'POST /api/v1/cases': { status: 201, body: caseView() } }));
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('report-submit'));

    expect((await screen.findByTestId('kind-error')).textContent).toBe(issue({}, 'kind'));
    expect(screen.getByTestId('kind-error').textContent).toBe('请选择反映什么');
    expect(screen.getByTestId('category-error').textContent).toBe(issue({}, 'category'));
    expect(screen.getByTestId('place-error').textContent).toBe('请选择问题在哪里');
    expect(screen.getByTestId('text-error').textContent).toBe(issue({ text: '' }, 'text'));
    expect(screen.getByTestId('report-error').textContent).toContain('还有内容没有填好');

    // A common area: the building not chosen and the spot too short.
    fireEvent.click(screen.getByTestId('pick-place-common'));
    type(screen.getByTestId('spot-input'), '楼');
    type(screen.getByTestId('text-input'), '漏水');
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(screen.getByTestId('building-error').textContent).toBe('请选择是哪一栋楼'));
    expect(screen.getByTestId('spot-error').textContent).toBe(issue({ place: { kind: 'common', buildingId: caseIds.building, spot: '楼' } }, 'place.spot'));
    expect(screen.getByTestId('spot-error').textContent).toBe('请写明具体位置，例如“2单元电梯”');
    expect(screen.getByTestId('text-error').textContent).toBe('请至少写5个字，说清楚情况');
    expect(screen.queryByTestId('place-error')).toBeNull();
    expect(posts(api.calls, '/api/v1/cases')).toHaveLength(0);
  });

  it('同一问题？: once the building and category are known, open cases are offered; 加入关注 follows and opens that case', async () => {
    const similar = caseView({ id: caseIds.case2, mine: false, followers: 2, text: '3号楼整栋停水了', placeLabel: '3号楼 2单元 1101', status: 'submitted' });
    const api = mockWithPhotos(
      baseRoutes({
        'GET /api/v1/cases/similar': (c) => {
          const q = new URL(c.url).searchParams;
          return q.get('buildingId') === caseIds.building && q.get('category') === 'utilities'
            ? { status: 200, body: { items: [similar] } }
            : { status: 200, body: { items: [] } };
        },
        [`POST /api/v1/cases/${caseIds.case2}/follow`]: { status: 200, body: { ...similar, following: true, followers: 3 } },
      }),
    );
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('pick-category-utilities'));
    // Only the category: no building yet, nothing asked.
    expect(api.calls.filter((c) => c.path === '/api/v1/cases/similar')).toHaveLength(0);

    // 我家 with one bound room picks it; its building (3号楼) comes with the room (/me).
    fireEvent.click(screen.getByTestId('pick-place-room'));
    const card = await screen.findByTestId('similar-case');
    expect(screen.getByTestId('similar').textContent).toContain('同一问题？加入关注');
    expect(card.textContent).toContain('3号楼整栋停水了');
    expect(card.textContent).toContain('已有2位邻居关注');
    const asked = api.calls.filter((c) => c.path === '/api/v1/cases/similar');
    expect(new URL(asked.at(-1)!.url).searchParams.get('buildingId')).toBe(caseIds.building);

    fireEvent.click(within(card).getByTestId('similar-follow'));
    await waitFor(() => expect(posts(api.calls, `/api/v1/cases/${caseIds.case2}/follow`)).toHaveLength(1));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/feedback/case/index?id=${caseIds.case2}` }));
    expect(posts(api.calls, '/api/v1/cases')).toHaveLength(0);
  });

  it('a common area asks with the building picked; a case already followed is offered to open, not to follow again', async () => {
    const followed = caseView({ id: caseIds.case3, mine: false, following: true, category: 'elevator', placeLabel: '13号楼 1单元电梯（公共区域）' });
    const api = mockWithPhotos(baseRoutes({ 'GET /api/v1/cases/similar': { status: 200, body: { items: [followed] } } }));
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('pick-place-common'));
    fireEvent.click(await screen.findByTestId(`pick-building-${'9'.repeat(24)}`));
    fireEvent.click(screen.getByTestId('pick-category-elevator'));
    const card = await screen.findByTestId('similar-case');
    const q = new URL(api.calls.filter((c) => c.path === '/api/v1/cases/similar').at(-1)!.url).searchParams;
    expect([q.get('buildingId'), q.get('category')]).toEqual(['9'.repeat(24), 'elevator']);
    expect(within(card).queryByTestId('similar-follow')).toBeNull();
    expect(within(card).getByTestId('similar-open').textContent).toContain('您已关注');
  });

  it('uploads each chosen photo as it is picked, leaves out a removed one, and sends the choices with an Idempotency-Key', async () => {
    const uploads: string[] = [];
    const api = mockWithPhotos(
      baseRoutes({
        'POST /api/v1/uploads': (c) => {
          uploads.push(c.headers['Content-Type']!);
          const id = uploads.length === 1 ? caseIds.photo1 : caseIds.photo2;
          return { status: 201, body: { id, url: `/api/v1/uploads/${id}`, contentType: c.headers['Content-Type'], size: 12 } };
        },
        'POST /api/v1/cases': { status: 201, body: caseView() },
      }),
      { 'blob:http://localhost/a': JPEG, 'blob:http://localhost/b': PNG },
    );
    chooseImages(['blob:http://localhost/a', 'blob:http://localhost/b']);
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('pick-kind-repair'));
    fireEvent.click(screen.getByTestId('pick-category-utilities'));
    fireEvent.click(screen.getByTestId('urgent'));
    fireEvent.click(screen.getByTestId('pick-place-room'));
    type(screen.getByTestId('text-input'), '厨房水管漏水，已经关了总阀');

    fireEvent.click(screen.getByTestId('photos-add'));
    await waitFor(() => expect(screen.getAllByTestId('photos-item').map((el) => el.textContent)).toEqual(['已上传删除', '已上传删除']));
    expect(uploads).toEqual(['image/jpeg', 'image/png']);
    const sent = posts(api.calls, '/api/v1/uploads');
    expect(sent.map((c) => (c.body as { bytes: number }).bytes)).toEqual([12, 12]);
    expect(screen.getByTestId('photos-add').textContent).toContain('还能加7张');

    fireEvent.click(screen.getAllByTestId('photos-remove')[0]!);
    expect(screen.getAllByTestId('photos-item')).toHaveLength(1);

    fireEvent.click(screen.getByTestId('pick-visibility-staff_only'));
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(posts(api.calls, '/api/v1/cases')).toHaveLength(1));
    const call = posts(api.calls, '/api/v1/cases')[0]!;
    expect(call.body).toEqual({
      kind: 'repair',
      category: 'utilities',
      urgent: true,
      place: { kind: 'room', roomId: room.roomId },
      text: '厨房水管漏水，已经关了总阀',
      photoIds: [caseIds.photo2],
      visibility: 'staff_only',
    });
    expect(call.headers['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{24}$/);
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/feedback/case/index?id=${caseIds.case}&new=1` }));
  });

  it('says who sees the name: everyone by default, and plainly that anonymity hides the room number from the property company', async () => {
    const api = mockWithPhotos(baseRoutes({ 'POST /api/v1/cases': { status: 201, body: caseView() } }));
    render(<FeedbackReport />);
    const choices = await screen.findByTestId('pick-visibility');
    expect(screen.getByTestId('pick-visibility-everyone').getAttribute('aria-checked')).toBe('true');
    expect(choices.textContent).toContain('物业和其他居民只会看到“匿名居民”和楼栋，看不到房号');

    fireEvent.click(screen.getByTestId('pick-kind-suggestion'));
    fireEvent.click(screen.getByTestId('pick-category-greening'));
    fireEvent.click(screen.getByTestId('pick-place-common'));
    fireEvent.click(await screen.findByTestId(`pick-building-${caseIds.building}`));
    type(screen.getByTestId('spot-input'), '楼下花坛');
    type(screen.getByTestId('text-input'), '花坛的树枝挡住了路灯');
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(posts(api.calls, '/api/v1/cases')).toHaveLength(1));
    expect(posts(api.calls, '/api/v1/cases')[0]!.body).toMatchObject({
      visibility: 'everyone',
      urgent: false,
      photoIds: [],
      place: { kind: 'common', buildingId: caseIds.building, spot: '楼下花坛' },
    });
  });

  it('refuses a photo that is not JPG, PNG or WebP before sending it, and waits for it to be removed', async () => {
    const api = mockWithPhotos(baseRoutes(), { 'blob:http://localhost/g': GIF });
    chooseImages(['blob:http://localhost/g']);
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('photos-add'));
    await waitFor(() => expect(screen.getByTestId('photos-item').textContent).toContain('只能用 JPG、PNG 或 WebP 照片'));
    expect(posts(api.calls, '/api/v1/uploads')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('report-submit'));
    expect((await screen.findByTestId('photo-error')).textContent).toBe('有照片没有传上，请删除它再提交');
  });

  it('after a network failure 重试 sends the same Idempotency-Key; the API’s field message shows beside its field', async () => {
    let n = 0;
    const api = mockWithPhotos(
      baseRoutes({
        'POST /api/v1/cases': () =>
          ++n === 1
            ? 'network-error'
            : apiError(422, 'VALIDATION_FAILED', '只能选择您绑定的房屋', { fields: { 'body.place.roomId': ['请选择您绑定的房屋'] } }),
      }),
    );
    render(<FeedbackReport />);
    fireEvent.click(await screen.findByTestId('pick-kind-complaint'));
    fireEvent.click(screen.getByTestId('pick-category-noise'));
    fireEvent.click(screen.getByTestId('pick-place-room'));
    type(screen.getByTestId('text-input'), '楼上每天半夜装修');
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(screen.getByTestId('report-submit').textContent).toBe('重试'));
    expect(screen.getByTestId('report-error').textContent).toContain('网络不太好');
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(posts(api.calls, '/api/v1/cases')).toHaveLength(2));
    const [first, second] = posts(api.calls, '/api/v1/cases');
    expect(second!.headers['Idempotency-Key']).toBe(first!.headers['Idempotency-Key']);
    expect((await screen.findByTestId('room-error')).textContent).toBe('请选择您绑定的房屋');
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('a resident without a bound room is sent to bind one first', async () => {
    mockWithPhotos(baseRoutes({ 'GET /api/v1/me': residentMe([]) }));
    render(<FeedbackReport />);
    expect((await screen.findByTestId('report-needs-room')).textContent).toContain('绑定房屋后才能反映问题');
    fireEvent.click(screen.getByTestId('go-bind'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/binding/apply/index' });
  });
});
