import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { ComponentType } from 'react';
import { apiError, mockApi, tokens, user } from './support/http';
import { resetAppState } from './support/reset';

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
