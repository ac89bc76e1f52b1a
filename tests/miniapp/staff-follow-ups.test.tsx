import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { closeBookingBody, ratingLabels } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { centreIds, centreMe, followUp, gridWorkerMe } from './support/centre';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffFollowUps from '../../miniapp/src/staff/follow-ups/index';

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const statusOf = (c: Call) => new URL(c.url).searchParams.get('status');
const resolvePath = `/api/v1/staff/follow-ups/${centreIds.followUp}/resolve`;

describe('staff: 差评跟进', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists the poor ratings to call back: service, time, resident, the rating in words and the comment', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/follow-ups': {
        status: 200,
        body: { items: [followUp(), followUp({ id: centreIds.followUp2, level: 1, comment: null, residentName: null, serviceName: '高龄津贴申请' })] },
      },
    });
    render(<StaffFollowUps />);
    const [first, second] = await screen.findAllByTestId('follow-up-item');
    expect(statusOf(api.calls.find((c) => c.path === '/api/v1/staff/follow-ups')!)).toBe('open');
    expect(first!.textContent).toContain('社保卡申领与补换');
    expect(first!.textContent).toContain('居民：王秀兰');
    expect(first!.textContent).toContain('预约时间：');
    expect(first!.textContent).toContain('09:00');
    expect(within(first!).getByText(ratingLabels[2]!)).toBeTruthy();
    expect(first!.textContent).toContain('居民留言：等了四十分钟才轮到我');
    expect(within(second!).getByText(ratingLabels[1]!)).toBeTruthy();
    expect(second!.textContent).toContain('居民没有留言');
    expect(second!.textContent).toContain('居民：居民');
  });

  it('写回访结果 checks the note, sends it, and the item moves to 已回访', async () => {
    const note = '已电话致歉，下次到窗口可优先办理';
    let resolved = false;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/follow-ups': (c) => {
        const done = statusOf(c) === 'done';
        const items = resolved === done ? [done ? followUp({ status: 'done', resolution: note }) : followUp()] : [];
        return { status: 200, body: { items } };
      },
      [`POST ${resolvePath}`]: () => {
        resolved = true;
        return { status: 200, body: { id: centreIds.followUp, status: 'done' } };
      },
    });
    render(<StaffFollowUps />);
    fireEvent.click(await screen.findByTestId('resolve-open'));
    expect(screen.getByTestId('resolve-panel').textContent).toContain('居民会收到');

    fireEvent.click(screen.getByTestId('resolve-submit'));
    const empty = closeBookingBody.safeParse({ note: '' });
    expect(empty.success).toBe(false);
    const message = empty.success ? '' : empty.error.issues[0]!.message;
    // The shared rule, said in this form's words.
    expect((await screen.findByTestId('resolve-error')).textContent).toBe(message.replace('办结说明', '回访结果'));
    expect(screen.getByTestId('resolve-error').textContent).toContain('回访结果');
    expect(posts(api.calls)).toHaveLength(0);

    type(screen.getByTestId('resolve-input'), note);
    fireEvent.click(screen.getByTestId('resolve-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!.path).toBe(resolvePath);
    expect(posts(api.calls)[0]!.body).toEqual({ note });
    await waitFor(() => expect(screen.queryByTestId('follow-up-item')).toBeNull());

    fireEvent.click(screen.getByTestId('follow-up-tabs-done'));
    const done = await screen.findByTestId('follow-up-item');
    expect(done.textContent).toContain(`回访结果：${note}`);
    expect(within(done).queryByText('写回访结果')).toBeNull();
    expect(api.calls.filter((c) => c.path === '/api/v1/staff/follow-ups').map(statusOf)).toEqual(['open', 'done']);
  });

  it('a failed reply keeps the item and shows the API’s words', async () => {
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/follow-ups': { status: 200, body: { items: [followUp()] } },
      [`POST ${resolvePath}`]: apiError(404, 'NOT_FOUND', '没有找到待跟进的评价'),
    });
    render(<StaffFollowUps />);
    fireEvent.click(await screen.findByTestId('resolve-open'));
    type(screen.getByTestId('resolve-input'), '已电话沟通');
    fireEvent.click(screen.getByTestId('resolve-submit'));
    expect(await screen.findByText('没有找到待跟进的评价')).toBeTruthy();
    expect(screen.getByTestId('follow-up-item')).toBeTruthy();
  });

  it('a grid worker is told plainly the page is for the centre', async () => {
    const api = mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffFollowUps />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });

  it('renders in 长辈版', async () => {
    elderlyStore.set(true);
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/follow-ups': { status: 200, body: { items: [followUp()] } },
    });
    const { container } = render(<StaffFollowUps />);
    await screen.findByTestId('follow-up-item');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], button'))) expect(el.className).toContain('tap');
  });
});
