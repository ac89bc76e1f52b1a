import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { ComponentType } from 'react';
import { apiError, mockApi, tokens, user } from './support/http';
import { resetAppState } from './support/reset';
import { routerParams } from './support/taro';

// What a development or test build defines; the page reads it when loaded.
process.env.TARO_APP_DEV_LOGIN = '1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DevLogin: ComponentType = require('../../miniapp/src/pages/login/index').default;

describe('login page with TARO_APP_DEV_LOGIN=1', () => {
  const personas = {
    items: [
      { code: 'dev:resident-wang', label: '王秀兰（居民）', description: '3号楼 2单元 1201 业主' },
      { code: 'dev:staff-li', label: '李明（社区工作人员）', description: '可审核房屋绑定' },
    ],
  };

  beforeEach(resetAppState);

  it('lists the personas and logs in with the chosen one’s code', async () => {
        const api = mockApi({
      'GET /api/v1/dev/personas': { status: 200, body: personas },
      'POST /api/v1/auth/wechat': { status: 200, body: { ...tokens('w'), user: user() } },
      'GET /api/v1/me': { status: 200, body: { ...user(), rooms: [] } },
    });
    render(<DevLogin />);
    fireEvent.click(await screen.findByText('王秀兰（居民）'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' }));
    expect(api.calls.find((c) => c.path === '/api/v1/auth/wechat')!.body).toEqual({ code: 'dev:resident-wang' });
  });

  it('goes back to the page that sent the person to log in, and only then', async () => {
    const routes = {
      'GET /api/v1/dev/personas': { status: 200, body: personas },
      'POST /api/v1/auth/wechat': { status: 200, body: { ...tokens('w'), user: user() } },
      'GET /api/v1/me': { status: 200, body: { ...user(), rooms: [] } },
    };
    const deepLink = '/vote/meeting-sign/index?c=Kx7mPq2wRt';
    // Sent here by goToLogin (?back=1): back to the deep link.
    Taro.setStorageSync('loginReturnTo', JSON.stringify({ url: deepLink, at: Date.now() }));
    routerParams.current = { back: '1' };
    mockApi(routes);
    const first = render(<DevLogin />);
    fireEvent.click(await screen.findByText('王秀兰（居民）'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: deepLink }));
    expect(Taro.getStorageSync('loginReturnTo')).toBeFalsy();
    first.unmount();

    // Opened directly (no back flag), an old link is forgotten; so is one older than a quarter of an hour.
    for (const [params, at] of [[{}, Date.now()], [{ back: '1' }, Date.now() - 16 * 60_000]] as const) {
      resetAppState();
      Taro.setStorageSync('loginReturnTo', JSON.stringify({ url: deepLink, at }));
      routerParams.current = { ...params };
      mockApi(routes);
      const view = render(<DevLogin />);
      fireEvent.click(await screen.findByText('王秀兰（居民）'));
      await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' }));
      expect(Taro.reLaunch).not.toHaveBeenCalledWith({ url: deepLink });
      view.unmount();
    }
    routerParams.current = {};
  });

  it('shows the API’s message when the persona login fails', async () => {
        mockApi({
      'GET /api/v1/dev/personas': { status: 200, body: personas },
      'POST /api/v1/auth/wechat': apiError(403, 'WECHAT_USER_BLOCKED', '该微信账号暂时无法使用本服务'),
    });
    render(<DevLogin />);
    fireEvent.click(await screen.findByText('李明（社区工作人员）'));
    expect(await screen.findByText('该微信账号暂时无法使用本服务')).toBeTruthy();
  });
});
