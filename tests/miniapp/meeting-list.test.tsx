import { fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { futureMeeting, meeting, mtgIds, residentMe } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import Meetings from '../../miniapp/src/vote/meetings/index';
import Deliberation from '../../miniapp/src/pages/deliberation/index';

describe('议事会 list (residents)', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('shows 正在加载 first, then upcoming before past; a started meeting shows 实到/应到, a future one its agenda size', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/meetings': (c) =>
        c.url.includes('when=past')
          ? { status: 200, body: { items: [meeting({ id: mtgIds.meeting2, title: '11月居民议事会', startsAt: '2026-11-01T06:30:00.000Z', endsAt: '2026-11-01T08:30:00.000Z', present: 7, quorumMet: true, signInOpen: false, resolutionCount: 2 })] } }
          : { status: 200, body: { items: [meeting(), futureMeeting({ id: 'b'.repeat(24) })] } },
    });
    render(<Meetings />);
    expect(screen.getByText('正在加载议事会…')).toBeTruthy();
    const upcoming = await screen.findByTestId('meetings-upcoming');
    const items = within(upcoming).getAllByTestId('meeting-item');
    expect(items.map((i) => i.querySelector('.mtg-item__title')!.textContent)).toEqual(['12月居民议事会', '1月居民议事会']);
    expect(within(items[0]!).getByTestId('meeting-item-attendance').textContent).toBe('实到 4 / 应到 9 人');
    expect(items[0]!.textContent).toContain('正在开会');
    expect(items[1]!.textContent).toContain('2项议题');
    expect(items[1]!.textContent).toContain('未开始');
    const past = screen.getByTestId('meetings-past');
    expect(within(past).getByTestId('meeting-item-attendance').textContent).toBe('实到 7 / 应到 9 人，已过半数');
    expect(past.textContent).toContain('形成决议2项');
    expect(past.textContent).toContain('已结束');

    fireEvent.click(items[0]!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/vote/meeting/index?id=${mtgIds.meeting}` });
  });

  it('a cancelled meeting says so with its reason', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/meetings': (c) =>
        c.url.includes('when=past') ? { status: 200, body: { items: [] } } : { status: 200, body: { items: [futureMeeting({ status: 'cancelled', cancelReason: '会议室检修，改期另行通知' })] } },
    });
    render(<Meetings />);
    const item = await screen.findByTestId('meeting-item');
    expect(item.textContent).toContain('已取消');
    expect(item.textContent).toContain('取消原因：会议室检修，改期另行通知');
    expect(screen.getByTestId('meetings-past').textContent).toContain('还没有开过议事会。');
  });

  it('a failure is shown in the API’s own words, with 重新加载 that asks again', async () => {
    let fail = true;
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/meetings': () => (fail ? apiError(503, 'DATABASE_UNAVAILABLE', '系统正在维护，请稍后再试') : { status: 200, body: { items: [] } }),
    });
    render(<Meetings />);
    expect((await screen.findByTestId('meetings-error')).textContent).toBe('系统正在维护，请稍后再试');
    fail = false;
    fireEvent.click(screen.getByTestId('meetings-reload'));
    expect((await screen.findByTestId('meetings-upcoming')).textContent).toContain('近期没有安排议事会');
    expect(api.calls.filter((c) => c.path === '/api/v1/meetings').length).toBe(4);
  });

  it('长辈版: the shell is large and each meeting is one big tap target', async () => {
    elderlyStore.set(true);
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/meetings': (c) => ({ status: 200, body: { items: c.url.includes('when=past') ? [] : [meeting()] } }),
    });
    const { container } = render(<Meetings />);
    const item = await screen.findByTestId('meeting-item');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    expect(item.classList.contains('tap')).toBe(true);
    expect(item.getAttribute('role')).toBe('button');
  });

  it('the 议事 tab has a 议事会 row leading here', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/polls': { status: 200, body: { items: [] } },
      'GET /api/v1/topics': { status: 200, body: { items: [] } },
    });
    render(<Deliberation />);
    fireEvent.click(await screen.findByTestId('go-meetings'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/vote/meetings/index' });
  });
});
