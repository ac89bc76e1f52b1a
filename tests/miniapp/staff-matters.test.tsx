import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { addDays, matterAcceptBody, matterNoteBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { shanghaiDay } from './support/booking';
import { acceptedMatter, centreIds, centreMe, gridWorkerMe, matter } from './support/centre';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffMatters from '../../miniapp/src/staff/matters/index';
import StaffHome from '../../miniapp/src/staff/index/index';

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const listCalls = (calls: Call[], status: string) =>
  calls.filter((c) => c.path === '/api/v1/staff/matters' && new URL(c.url).searchParams.get('status') === status);

function noteIssue(text: string): string {
  const r = matterNoteBody.safeParse({ text });
  if (r.success) throw new Error('expected the schema to refuse this text');
  return r.error.issues[0]!.message;
}

const acceptPath = `/api/v1/staff/matters/${centreIds.matter}/accept`;
const notesPath = `/api/v1/staff/matters/${centreIds.matter}/notes`;
const completePath = `/api/v1/staff/matters/${centreIds.matter}/complete`;

describe('staff: 全程代办', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists the matters waiting to be taken, then those in hand with owner, promise and notes', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': (c) =>
        new URL(c.url).searchParams.get('status') === 'accepted'
          ? { status: 200, body: { items: [acceptedMatter({ id: centreIds.matter2, residentName: '王秀兰', serviceName: '残疾人证办理' })] } }
          : { status: 200, body: { items: [matter()] } },
    });
    render(<StaffMatters />);
    const item = await screen.findByTestId('matter-item');
    expect(item.textContent).toContain('高龄津贴申请');
    expect(item.textContent).toContain('居民：刘桂兰');
    expect(item.textContent).toContain('窗口受理：');
    expect(item.textContent).toContain('09:10');
    expect(item.textContent).toMatch(/预约时间：.*09:00/);
    expect(within(item).getByText('待接办')).toBeTruthy();
    expect(listCalls(api.calls, 'open')).toHaveLength(1);

    fireEvent.click(screen.getByTestId('matter-tabs-accepted'));
    await waitFor(() => expect(screen.getByTestId('matter-item').textContent).toContain('残疾人证办理'));
    const inHand = screen.getByTestId('matter-item');
    expect(inHand.textContent).toContain('负责人：孙晓燕');
    expect(screen.getByTestId('matter-promised').textContent).toContain('承诺办结：');
    expect(within(inHand).getByTestId('matter-notes').textContent).toContain(`孙晓燕：已接办，承诺${shanghaiDay(7)}前办结`);
    expect(listCalls(api.calls, 'accepted')).toHaveLength(1);
    expect(within(inHand).getByText('记录进展')).toBeTruthy();
    expect(within(inHand).queryByText('接办')).toBeNull();
  });

  it('接办 sends the promised date picked, then the matter leaves 待接办', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': { status: 200, body: { items: [matter()] } },
      [`POST ${acceptPath}`]: (c) => ({
        status: 200,
        body: acceptedMatter({ promisedBy: (c.body as { promisedBy: string }).promisedBy }),
      }),
    });
    render(<StaffMatters />);
    fireEvent.click(await screen.findByTestId('accept-open'));
    // Nothing picked yet: asked for, not sent.
    fireEvent.click(screen.getByTestId('accept-submit'));
    expect((await screen.findByTestId('promise-error')).textContent).toBe('请选一个承诺办结的日期');
    expect(posts(api.calls)).toHaveLength(0);

    const weekAhead = addDays(shanghaiDay(0), 7);
    const choice = screen.getByTestId(`promise-${weekAhead}`);
    expect(choice.textContent).toContain('一周内');
    fireEvent.click(choice);
    fireEvent.click(screen.getByTestId('accept-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!.path).toBe(acceptPath);
    expect(posts(api.calls)[0]!.body).toEqual({ promisedBy: weekAhead });
    await waitFor(() => expect(screen.queryByTestId('matter-item')).toBeNull());
  });

  it('a typed promise date is checked first: the shared schema’s format, and not before today', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': { status: 200, body: { items: [matter()] } },
      [`POST ${acceptPath}`]: (c) => ({ status: 200, body: acceptedMatter({ promisedBy: (c.body as { promisedBy: string }).promisedBy }) }),
    });
    render(<StaffMatters />);
    fireEvent.click(await screen.findByTestId('accept-open'));
    const input = screen.getByTestId('promise-input');

    type(input, '12月20日');
    fireEvent.click(screen.getByTestId('accept-submit'));
    const format = matterAcceptBody.safeParse({ promisedBy: '12月20日' });
    expect(format.success).toBe(false);
    expect((await screen.findByTestId('promise-error')).textContent).toBe(format.success ? '' : format.error.issues[0]!.message);

    type(input, addDays(shanghaiDay(0), -1));
    fireEvent.click(screen.getByTestId('accept-submit'));
    await waitFor(() => expect(screen.getByTestId('promise-error').textContent).toBe('承诺办结日期不能早于今天'));
    expect(posts(api.calls)).toHaveLength(0);

    const chosen = addDays(shanghaiDay(0), 40);
    type(input, chosen);
    fireEvent.click(screen.getByTestId('accept-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!.body).toEqual({ promisedBy: chosen });
  });

  it('首问负责: when a colleague accepted it first, the API’s words are shown and the list is fetched again', async () => {
    let lists = 0;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': () => {
        lists += 1;
        return { status: 200, body: { items: lists === 1 ? [matter()] : [] } };
      },
      [`POST ${acceptPath}`]: apiError(409, 'CONFLICT', '这件事已由马主任接办'),
    });
    render(<StaffMatters />);
    fireEvent.click(await screen.findByTestId('accept-open'));
    fireEvent.click(screen.getByTestId(`promise-${addDays(shanghaiDay(0), 3)}`));
    fireEvent.click(screen.getByTestId('accept-submit'));
    expect((await screen.findByTestId('matter-conflict')).textContent).toContain('这件事已由马主任接办');
    await waitFor(() => expect(listCalls(api.calls, 'open')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('matter-item')).toBeNull());
    expect(screen.getByTestId('matter-conflict').textContent).toContain('名单已经刷新');
  });

  it('记录进展 says the resident sees it, checks the text with the shared schema, sends it and shows the new note', async () => {
    const text = '材料已交街道审核，预计下周出结果';
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': { status: 200, body: { items: [acceptedMatter()] } },
      [`POST ${notesPath}`]: (c) => {
        const m = acceptedMatter();
        return {
          status: 200,
          body: { ...m, notes: [...m.notes, { at: `${shanghaiDay(0)}T10:05:00+08:00`, byName: '孙晓燕', text: (c.body as { text: string }).text }] },
        };
      },
    });
    render(<StaffMatters />);
    fireEvent.click(await screen.findByTestId('matter-tabs-accepted'));
    fireEvent.click(await screen.findByTestId('note-open'));
    expect(screen.getByTestId('note-panel').textContent).toContain('居民能看到');

    type(screen.getByTestId('note-input'), '好');
    fireEvent.click(screen.getByTestId('note-submit'));
    expect((await screen.findByTestId('note-error')).textContent).toBe(noteIssue('好'));
    expect(posts(api.calls)).toHaveLength(0);

    type(screen.getByTestId('note-input'), text);
    fireEvent.click(screen.getByTestId('note-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!.path).toBe(notesPath);
    expect(posts(api.calls)[0]!.body).toEqual({ text });
    await waitFor(() => expect(screen.getByTestId('matter-notes').textContent).toContain(`孙晓燕：${text}`));
    // Still in hand: it stays on 办理中.
    expect(screen.getByTestId('matter-item')).toBeTruthy();
  });

  it('办结 sends its text and the matter leaves 办理中; a refusal from the API is shown on the matter', async () => {
    const text = '已审批通过，次月起按月发放';
    let refuse = true;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': { status: 200, body: { items: [acceptedMatter()] } },
      [`POST ${completePath}`]: (c) =>
        refuse
          ? apiError(403, 'FORBIDDEN', '只有负责人可以办结')
          : { status: 200, body: acceptedMatter({ status: 'done', notes: [{ at: '2026-11-27T10:00:00+08:00', byName: '孙晓燕', text: `已办结：${(c.body as { text: string }).text}` }] }) },
    });
    render(<StaffMatters />);
    fireEvent.click(await screen.findByTestId('matter-tabs-accepted'));
    fireEvent.click(await screen.findByTestId('complete-open'));
    expect(screen.getByTestId('complete-panel').textContent).toContain('居民能看到');

    fireEvent.click(screen.getByTestId('complete-submit'));
    // The shared rule, in this form's words.
    expect((await screen.findByTestId('complete-error')).textContent).toBe(noteIssue('').replace('进展', '办结说明'));
    expect(posts(api.calls)).toHaveLength(0);

    type(screen.getByTestId('complete-input'), text);
    fireEvent.click(screen.getByTestId('complete-submit'));
    expect(await screen.findByText('只有负责人可以办结')).toBeTruthy();
    expect(screen.getByTestId('matter-item')).toBeTruthy();

    refuse = false;
    fireEvent.click(screen.getByTestId('complete-submit'));
    await waitFor(() => expect(screen.queryByTestId('matter-item')).toBeNull());
    const sent = posts(api.calls).map((c) => c.body);
    expect(sent).toEqual([{ text }, { text }]);
    expect(posts(api.calls).every((c) => c.path === completePath)).toBe(true);
  });

  it('a grid worker is told plainly the page is for the centre, and nothing is fetched', async () => {
    const api = mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffMatters />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });

  it('renders in 长辈版', async () => {
    elderlyStore.set(true);
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/matters': { status: 200, body: { items: [matter()] } },
    });
    const { container } = render(<StaffMatters />);
    await screen.findByTestId('matter-item');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    // Every tappable thing carries the `tap` class the browser test measures.
    for (const el of Array.from(container.querySelectorAll('[role="radio"], button'))) expect(el.className).toContain('tap');
  });
});

describe('staff workbench: the centre’s new entries', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('centre staff find 全程代办, 差评跟进 and 服务统计 in the 便民服务中心 card', async () => {
    mockApi({ 'GET /api/v1/me': centreMe });
    render(<StaffHome />);
    expect(await screen.findByText('便民服务中心')).toBeTruthy();
    for (const [testId, url] of [
      ['staff-matters', '/staff/matters/index'],
      ['staff-follow-ups', '/staff/follow-ups/index'],
      ['staff-stats', '/staff/stats/index'],
    ] as const) {
      fireEvent.click(screen.getByTestId(testId));
      expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url });
    }
  });

  it('a grid worker does not see them', async () => {
    mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffHome />);
    expect(await screen.findByText('房屋绑定审核')).toBeTruthy();
    expect(screen.queryByTestId('staff-matters')).toBeNull();
    expect(screen.queryByTestId('staff-stats')).toBeNull();
  });
});
