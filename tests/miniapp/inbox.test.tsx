import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { mockApi } from './support/http';
import { resetAppState, signIn } from './support/reset';
import Inbox from '../../miniapp/src/pages/inbox/index';
import { unreadStore } from '../../miniapp/src/store/inbox';

const msg = (id: string, over: Record<string, unknown> = {}) => ({
  id: id.repeat(24),
  kind: 'booking',
  title: '候补成功',
  body: '社保卡申领与补换 11-28 09:30 有名额了，已为您预约。',
  link: `/booking/detail/index?id=${'6'.repeat(24)}`,
  read: false,
  createdAt: '2026-11-27T07:40:00+08:00',
  ...over,
});

describe('消息 (inbox)', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('tapping a message marks it read, opens its link, and the 我的 tab badge follows the count', async () => {
    let unread = 1;
    const api = mockApi({
      'GET /api/v1/inbox': { status: 200, body: { items: [msg('1'), msg('2', { title: '关于您的评价', link: null, read: true })], nextCursor: null } },
      'GET /api/v1/inbox/unread-count': () => ({ status: 200, body: { unread } }),
      [`POST /api/v1/inbox/${'1'.repeat(24)}/read`]: () => {
        unread = 0;
        return { status: 200, body: { ok: true } };
      },
    });
    render(<Inbox />);
    expect(await screen.findByText('候补成功')).toBeTruthy();
    expect(screen.getByText('未读')).toBeTruthy();
    await waitFor(() => expect(Taro.setTabBarBadge).toHaveBeenCalledWith({ index: 4, text: '1' }));

    fireEvent.click(screen.getByText('候补成功'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/booking/detail/index?id=${'6'.repeat(24)}` });
    expect(screen.queryByText('未读')).toBeNull();
    await waitFor(() => expect(api.calls.some((c) => c.method === 'POST' && c.path.endsWith('/read'))).toBe(true));
    await waitFor(() => expect(Taro.removeTabBarBadge).toHaveBeenCalledWith({ index: 4 }));
    expect(unreadStore.get()).toBe(0);
  });

  it('全部标为已读 clears every message and the badge', async () => {
    const api = mockApi({
      'GET /api/v1/inbox': { status: 200, body: { items: [msg('1'), msg('3', { title: '办事提醒' })], nextCursor: null } },
      'GET /api/v1/inbox/unread-count': { status: 200, body: { unread: 2 } },
      'POST /api/v1/inbox/read-all': { status: 200, body: { ok: true } },
    });
    render(<Inbox />);
    fireEvent.click(await screen.findByText('全部标为已读'));
    await waitFor(() => expect(screen.queryAllByText('未读')).toHaveLength(0));
    expect(api.calls.filter((c) => c.path === '/api/v1/inbox/read-all')).toHaveLength(1);
    expect(Taro.removeTabBarBadge).toHaveBeenCalledWith({ index: 4 });
  });
});
