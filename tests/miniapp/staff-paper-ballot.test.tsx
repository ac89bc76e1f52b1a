import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { answerProblems, paperBallotBody } from '@community/shared';
import { apiError, type Call, type Reply } from './support/http';
import { mockApiWithFiles } from './support/files';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { centreMe, grids, gridWorkerMe, nonVoters, ownerPoll, pollIds, roomPoll } from './support/polls';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffPaperBallot from '../../miniapp/src/staff/paper-ballot/index';
import StaffNonVoters from '../../miniapp/src/staff/non-voters/index';

type Handler = (call: Call) => Reply | Promise<Reply>;

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
const PHOTO_PATH = 'blob:http://localhost/ballot-photo';

const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const ballotPath = (id: string) => `/api/v1/staff/polls/${id}/paper-ballots`;
const query = (c: Call) => Object.fromEntries(new URL(c.url).searchParams);

/**
 * The API (with a file body recorded as its byte count), plus the photo the
 * camera "took": Taro.chooseImage answers with a blob: path, which the page
 * reads with fetch as the H5 build does.
 */
function stack(routes: Record<string, Handler | Reply>, photo: Uint8Array | null = JPEG) {
  const m = mockApiWithFiles(routes);
  const api = m.fetchMock as unknown as (url: string, init?: unknown) => Promise<unknown>;
  const withBlobs = jest.fn(async (url: string, init?: unknown) => {
    if (url === PHOTO_PATH && photo) return { ok: true, status: 200, arrayBuffer: async () => photo.slice().buffer };
    return api(url, init);
  });
  (window as unknown as { fetch: unknown }).fetch = withBlobs;
  (globalThis as unknown as { fetch: unknown }).fetch = withBlobs;
  (Taro as unknown as { chooseImage: unknown }).chooseImage = jest.fn(async () => ({
    errMsg: 'chooseImage:ok',
    tempFilePaths: [PHOTO_PATH],
    tempFiles: [{ path: PHOTO_PATH, size: photo?.length ?? 0 }],
  }));
  return m;
}

const uploaded = { status: 201, body: { id: pollIds.upload, url: `/api/v1/uploads/${pollIds.upload}`, contentType: 'image/jpeg', size: JPEG.length } };
const cast = (c: Call) => ({
  status: 201,
  body: { pollId: pollIds.owner, unitKey: (c.body as { unitKey: string }).unitKey, unitLabel: '1号楼 1单元 502', channel: (c.body as { channel: string }).channel, receipt: 'K7M2-Q9XA-3PLD', castAt: '2026-12-01T10:00:00+08:00' },
});

function ownerRoutes(over: Record<string, Handler | Reply> = {}): Record<string, Handler | Reply> {
  return {
    'GET /api/v1/me': centreMe,
    [`GET /api/v1/polls/${pollIds.owner}`]: { status: 200, body: ownerPoll() },
    [`GET /api/v1/staff/polls/${pollIds.owner}/non-voters`]: { status: 200, body: nonVoters() },
    'POST /api/v1/uploads': uploaded,
    [`POST ${ballotPath(pollIds.owner)}`]: cast,
    ...over,
  };
}

describe('staff: 登记纸质票', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('the unit comes preselected from the non-voters list; the photo is required before anything is sent', async () => {
    routerParams.current = { id: pollIds.owner, unit: 'owners:0002+0003' };
    const api = stack(ownerRoutes());
    render(<StaffPaperBallot />);
    const chosen = await screen.findByTestId('unit-chosen');
    expect(chosen.textContent).toContain('1号楼 1单元 502');
    expect(chosen.textContent).toContain('业主：张建华、李秀梅');
    expect(chosen.textContent).toContain('专有面积 120.75 ㎡');

    fireEvent.click(screen.getByTestId('answer-0-options-0'));
    fireEvent.click(screen.getByTestId('channel-paper'));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    const noPhoto = paperBallotBody.safeParse({ unitKey: 'owners:0002+0003', answers: [[0]], channel: 'paper' });
    expect(noPhoto.success).toBe(false);
    expect((await screen.findByTestId('photo-required')).textContent).toBe(noPhoto.success ? '' : noPhoto.error.issues[0]!.message);
    expect(screen.getByTestId('photo-required').textContent).toBe('请拍照上传签字的表决票或委托书');
    expect(posts(api.calls)).toHaveLength(0);
  });

  it('a secret poll asks for a photo of the signature page or 委托书, never of the marked choices', async () => {
    routerParams.current = { id: pollIds.room, unit: 'room:1' };
    stack({
      'GET /api/v1/me': centreMe,
      [`GET /api/v1/polls/${pollIds.room}`]: { status: 200, body: roomPoll() },
      [`GET /api/v1/staff/polls/${pollIds.room}/non-voters`]: {
        status: 200,
        body: { total: 1, voted: 0, items: [{ unitKey: 'room:1', label: '3号楼 1单元 301', holder: '', areaCenti: 0, gridNames: ['第一网格'] }] },
      },
    });
    render(<StaffPaperBallot />);
    const hint = await screen.findByTestId('photo-secret-hint');
    expect(hint.textContent).toContain('只拍签字的那一页或委托书');
    expect(hint.textContent).toContain('不要拍勾选了选项的那一面');
  });

  it('uploads the photo’s bytes, then sends the ballot with its id once, and shows the receipt code to hand over', async () => {
    routerParams.current = { id: pollIds.owner, unit: 'owners:0002+0003' };
    const api = stack(ownerRoutes());
    render(<StaffPaperBallot />);
    await screen.findByTestId('unit-chosen');
    fireEvent.click(screen.getByTestId('photo-take'));
    expect(await screen.findByTestId('photo-uploaded')).toBeTruthy();
    const upload = posts(api.calls).find((c) => c.path === '/api/v1/uploads')!;
    expect(upload.headers['Content-Type']).toBe('image/jpeg');
    expect((upload.body as { bytes: number }).bytes).toBe(JPEG.length);
    expect(screen.getByTestId('photo-preview')).toBeTruthy();

    fireEvent.click(screen.getByTestId('answer-0-options-1'));
    fireEvent.click(screen.getByTestId('channel-door'));
    fireEvent.input(screen.getByTestId('ballot-note'), { target: { value: '业主卧床，儿子代签，委托书已拍' } });
    fireEvent.click(screen.getByTestId('ballot-submit'));
    expect((await screen.findByTestId('ballot-receipt')).textContent).toBe('K7M2-Q9XA-3PLD');
    expect(screen.getByTestId('ballot-done').textContent).toContain('请把回执码抄给业主');
    const sent = posts(api.calls).filter((c) => c.path === ballotPath(pollIds.owner));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ unitKey: 'owners:0002+0003', answers: [[1]], channel: 'door', evidenceId: pollIds.upload, note: '业主卧床，儿子代签，委托书已拍' });
    expect(sent[0]!.headers['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(posts(api.calls).map((c) => c.path)).toEqual(['/api/v1/uploads', ballotPath(pollIds.owner)]);

    // 登记下一户: a fresh form and the list as it is now.
    fireEvent.click(screen.getByTestId('ballot-next'));
    expect(await screen.findByTestId('unit-picker')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.endsWith('/non-voters'))).toHaveLength(2);
  });

  it('a photo that is not JPG, PNG or WebP is refused before uploading', async () => {
    routerParams.current = { id: pollIds.owner, unit: 'owners:0001' };
    const api = stack(ownerRoutes(), GIF);
    render(<StaffPaperBallot />);
    await screen.findByTestId('unit-chosen');
    fireEvent.click(screen.getByTestId('photo-take'));
    expect((await screen.findByTestId('photo-error')).textContent).toBe('只能上传 JPG、PNG 或 WebP 格式的照片');
    expect(posts(api.calls)).toHaveLength(0);
  });

  it('ALREADY_VOTED shows the API’s words (which channel counted) and refreshes the list', async () => {
    routerParams.current = { id: pollIds.owner, unit: 'owners:0001' };
    const message = '1号楼 1单元 101已经在线上投过票了，每户只能投一次，投了不能改';
    const api = stack(ownerRoutes({ [`POST ${ballotPath(pollIds.owner)}`]: apiError(409, 'ALREADY_VOTED', message, { channel: 'online' }) }));
    render(<StaffPaperBallot />);
    await screen.findByTestId('unit-chosen');
    fireEvent.click(screen.getByTestId('photo-take'));
    await screen.findByTestId('photo-uploaded');
    fireEvent.click(screen.getByTestId('answer-0-options-0'));
    fireEvent.click(screen.getByTestId('channel-paper'));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    expect((await screen.findByTestId('ballot-error')).textContent).toBe(message);
    expect(screen.queryByTestId('ballot-receipt')).toBeNull();
    await waitFor(() => expect(api.calls.filter((c) => c.path.endsWith('/non-voters'))).toHaveLength(2));
  });

  it('finds the unit by room number, and checks the answers with the shared rules', async () => {
    routerParams.current = { id: pollIds.room };
    const api = stack({
      'GET /api/v1/me': centreMe,
      [`GET /api/v1/polls/${pollIds.room}`]: { status: 200, body: roomPoll() },
      [`GET /api/v1/staff/polls/${pollIds.room}/non-voters`]: {
        status: 200,
        body: {
          total: 3,
          voted: 0,
          items: [
            { unitKey: 'room:1', label: '3号楼 1单元 301', holder: '', areaCenti: 0, gridNames: ['第一网格'] },
            { unitKey: 'room:2', label: '3号楼 1单元 502', holder: '', areaCenti: 0, gridNames: ['第一网格'] },
            { unitKey: 'room:3', label: '5号楼 2单元 502', holder: '', areaCenti: 0, gridNames: ['第二网格'] },
          ],
        },
      },
      'POST /api/v1/uploads': uploaded,
      [`POST ${ballotPath(pollIds.room)}`]: cast,
    });
    render(<StaffPaperBallot />);
    await screen.findByTestId('unit-picker');
    fireEvent.input(screen.getByTestId('unit-search'), { target: { value: '502' } });
    const picker = screen.getByTestId('unit-choices');
    expect(within(picker).getAllByRole('radio').map((r) => r.textContent)).toEqual(['3号楼 1单元 502', '5号楼 2单元 502']);
    fireEvent.click(within(picker).getByText('5号楼 2单元 502'));
    expect(screen.getByTestId('unit-chosen').textContent).toContain('5号楼 2单元 502');

    fireEvent.click(screen.getByTestId('photo-take'));
    await screen.findByTestId('photo-uploaded');
    fireEvent.click(screen.getByTestId('channel-paper'));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    const questions = roomPoll().questions as Parameters<typeof answerProblems>[0];
    expect((await screen.findByTestId('answers-error')).textContent).toBe(answerProblems(questions, [[]]));
    // Three picks where two at most are allowed.
    for (const i of [0, 1, 2]) fireEvent.click(screen.getByTestId(`answer-0-options-${i}`));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    await waitFor(() => expect(screen.getByTestId('answers-error').textContent).toBe(answerProblems(questions, [[0, 1, 2]])));
    expect(screen.getByTestId('answers-error').textContent).toBe('第1题最多选2项');
    expect(posts(api.calls).filter((c) => c.path === ballotPath(pollIds.room))).toHaveLength(0);

    fireEvent.click(screen.getByTestId('answer-0-options-1'));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    await screen.findByTestId('ballot-receipt');
    expect(posts(api.calls).find((c) => c.path === ballotPath(pollIds.room))!.body).toEqual({
      unitKey: 'room:3',
      answers: [[0, 2]],
      channel: 'paper',
      evidenceId: pollIds.upload,
      note: '',
    });
    expect(screen.getByTestId('ballot-done').textContent).toContain('请把回执码抄给居民');
  });

  it('a grid worker entering a unit outside their grid gets the API’s FORBIDDEN words', async () => {
    routerParams.current = { id: pollIds.owner, unit: 'owners:0001' };
    stack(ownerRoutes({ 'GET /api/v1/me': gridWorkerMe, [`POST ${ballotPath(pollIds.owner)}`]: apiError(403, 'FORBIDDEN', '这一户不在您负责的网格里') }));
    render(<StaffPaperBallot />);
    await screen.findByTestId('unit-chosen');
    fireEvent.click(screen.getByTestId('photo-take'));
    await screen.findByTestId('photo-uploaded');
    fireEvent.click(screen.getByTestId('answer-0-options-0'));
    fireEvent.click(screen.getByTestId('channel-paper'));
    fireEvent.click(screen.getByTestId('ballot-submit'));
    expect((await screen.findByTestId('ballot-error')).textContent).toBe('这一户不在您负责的网格里');
  });

  it('renders in 长辈版 without pop-ups', async () => {
    elderlyStore.set(true);
    routerParams.current = { id: pollIds.owner, unit: 'owners:0001' };
    stack(ownerRoutes());
    const { container } = render(<StaffPaperBallot />);
    await screen.findByTestId('unit-chosen');
    fireEvent.click(screen.getByTestId('photo-take'));
    await screen.findByTestId('photo-uploaded');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
    expect(Taro.showToast).not.toHaveBeenCalled();
  });
});

describe('staff: 未投票名单', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('shows the counts and each unit (holder, grid, area for owner votes); 登记纸质票 opens the form for that unit', async () => {
    routerParams.current = { id: pollIds.owner };
    stack({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/grids': grids,
      [`GET /api/v1/polls/${pollIds.owner}`]: { status: 200, body: ownerPoll() },
      [`GET /api/v1/staff/polls/${pollIds.owner}/non-voters`]: { status: 200, body: nonVoters() },
    });
    render(<StaffNonVoters />);
    const rows = await screen.findAllByTestId('non-voter');
    expect(rows).toHaveLength(3);
    const counts = screen.getByTestId('non-voter-counts').textContent!;
    expect(counts).toContain('1人已投');
    expect(counts).toContain('3人还没投');
    expect(counts).toContain('4人名册共');
    expect(rows[1]!.textContent).toContain('1号楼 1单元 502');
    expect(rows[1]!.textContent).toContain('业主：张建华、李秀梅');
    expect(rows[1]!.textContent).toContain('第一网格');
    expect(rows[1]!.textContent).toContain('专有面积 120.75 ㎡');

    fireEvent.click(within(rows[1]!).getByText('登记纸质票'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/staff/paper-ballot/index?id=${pollIds.owner}&unit=owners%3A0002%2B0003` });

    fireEvent.input(screen.getByTestId('non-voter-search'), { target: { value: '建设单位' } });
    expect(screen.getAllByTestId('non-voter').map((r) => r.querySelector('.admin-item__name')!.textContent)).toEqual(['1号楼 2单元 601、1号楼 2单元 602']);
  });

  it('centre staff filter by any grid (in counting order): the grid goes to the API', async () => {
    routerParams.current = { id: pollIds.room };
    const [g1, g2, g3] = grids.body.items;
    const api = stack({
      'GET /api/v1/me': centreMe,
      // The API lists them by name's code points: 第一, 第三, 第二.
      'GET /api/v1/staff/grids': { status: 200, body: { items: [g1, g3, g2] } },
      [`GET /api/v1/polls/${pollIds.room}`]: { status: 200, body: roomPoll() },
      [`GET /api/v1/staff/polls/${pollIds.room}/non-voters`]: (c) =>
        query(c).gridId === pollIds.grid2
          ? { status: 200, body: { total: 200, voted: 150, items: [{ unitKey: 'room:9', label: '7号楼 1单元 101', holder: '', areaCenti: 0, gridNames: ['第二网格'] }] } }
          : { status: 200, body: { total: 600, voted: 120, items: [] } },
    });
    render(<StaffNonVoters />);
    await screen.findByTestId('non-voter-counts');
    const filter = await screen.findByTestId('grid-filter');
    await waitFor(() => expect(within(filter).getAllByRole('radio').map((r) => r.textContent)).toEqual(['全部网格', '第一网格', '第二网格', '第三网格']));
    expect(screen.getByTestId('non-voter-counts').textContent).toContain('480户还没投');

    fireEvent.click(screen.getByTestId(`grid-filter-${pollIds.grid2}`));
    expect((await screen.findByTestId('non-voter')).textContent).toContain('7号楼 1单元 101');
    const lists = api.calls.filter((c) => c.path.endsWith('/non-voters'));
    expect(lists.map(query)).toEqual([{}, { gridId: pollIds.grid2 }]);
    expect(screen.getByTestId('non-voter-counts').textContent).toContain('50户还没投');
  });

  it('a grid worker sees only their own grid; another grid is refused with FORBIDDEN', async () => {
    routerParams.current = { id: pollIds.room, grid: pollIds.grid2 };
    const api = stack({
      'GET /api/v1/me': gridWorkerMe,
      'GET /api/v1/staff/grids': grids,
      [`GET /api/v1/polls/${pollIds.room}`]: { status: 200, body: roomPoll() },
      [`GET /api/v1/staff/polls/${pollIds.room}/non-voters`]: (c) =>
        query(c).gridId && query(c).gridId !== pollIds.grid1
          ? apiError(403, 'FORBIDDEN', '这个网格不归您负责')
          : { status: 200, body: { total: 200, voted: 199, items: [{ unitKey: 'room:1', label: '3号楼 1单元 301', holder: '', areaCenti: 0, gridNames: ['第一网格'] }] } },
    });
    render(<StaffNonVoters />);
    expect((await screen.findByTestId('non-voters-error')).textContent).toBe('这个网格不归您负责');
    // One grid of their own: no picker of other grids, just its name.
    expect(await screen.findByText('您负责的网格：第一网格')).toBeTruthy();
    expect(screen.queryByTestId('grid-filter')).toBeNull();
    expect(screen.queryByText('第二网格')).toBeNull();

    // Back to their own grid: the API decides which grid that is.
    fireEvent.click(screen.getByTestId('non-voters-mine'));
    expect((await screen.findByTestId('non-voter')).textContent).toContain('3号楼 1单元 301');
    expect(screen.queryByTestId('non-voters-error')).toBeNull();
    expect(api.calls.filter((c) => c.path.endsWith('/non-voters')).map(query)).toEqual([{ gridId: pollIds.grid2 }, {}]);
  });

  it('renders in 长辈版', async () => {
    elderlyStore.set(true);
    routerParams.current = { id: pollIds.owner };
    stack({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/grids': grids,
      [`GET /api/v1/polls/${pollIds.owner}`]: { status: 200, body: ownerPoll() },
      [`GET /api/v1/staff/polls/${pollIds.owner}/non-voters`]: { status: 200, body: nonVoters() },
    });
    const { container } = render(<StaffNonVoters />);
    await screen.findAllByTestId('non-voter');
    await screen.findByTestId('grid-filter');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
  });
});
