import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi, tokens, user } from './support/http';
import { resetAppState } from './support/reset';
import Login from '../../miniapp/src/pages/login/index';

function type(testId: string, value: string) {
  const input = screen.getByTestId(testId).querySelector('input') ?? screen.getByTestId(testId);
  fireEvent.input(input, { target: { value } });
}

describe('login page (H5)', () => {
  beforeEach(resetAppState);

  it('shows the API’s Chinese message when the staff password is wrong', async () => {
    const api = mockApi({
      'POST /api/v1/auth/staff': apiError(401, 'LOGIN_FAILED', '用户名或密码不正确'),
    });
    render(<Login />);
    type('username-input', 'zhang.wei');
    type('password-input', 'wrong-password');
    fireEvent.click(screen.getByText('登录'));

    expect(await screen.findByText('用户名或密码不正确')).toBeTruthy();
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({
      method: 'POST',
      url: 'http://api.test/api/v1/auth/staff',
      body: { username: 'zhang.wei', password: 'wrong-password' },
    });
    expect(api.calls[0]!.headers.Authorization).toBeUndefined();
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it('shows the lock-out message as the API words it', async () => {
    mockApi({
      'POST /api/v1/auth/staff': apiError(423, 'ACCOUNT_LOCKED', '密码错误次数太多，账号已暂时锁定，请稍后再试'),
    });
    render(<Login />);
    type('username-input', 'zhang.wei');
    type('password-input', 'x');
    fireEvent.click(screen.getByText('登录'));
    expect(await screen.findByText('密码错误次数太多，账号已暂时锁定，请稍后再试')).toBeTruthy();
  });

  it('checks the form with the shared schema before sending anything', async () => {
    const api = mockApi({});
    render(<Login />);
    fireEvent.click(screen.getByText('登录'));
    expect(await screen.findByText('请填写用户名')).toBeTruthy();
    expect(screen.getByText('请填写密码')).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });

  it('keeps the tokens and opens the workbench after a staff login', async () => {
    const api = mockApi({
      'POST /api/v1/auth/staff': { status: 200, body: { ...tokens('s'), user: user({ kind: 'staff', roles: ['community_staff'] }) } },
      'GET /api/v1/me': { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'] }), rooms: [] } },
    });
    render(<Login />);
    type('username-input', 'zhang.wei');
    type('password-input', 'right-password');
    fireEvent.click(screen.getByText('登录'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/staff/index/index' }));
    expect(JSON.parse(Taro.getStorageSync('cs.tokens.v1')).accessToken).toBe('access-s');
    await waitFor(() => expect(api.calls.map((c) => c.path)).toContain('/api/v1/me'));
    expect(api.calls.find((c) => c.path === '/api/v1/me')!.headers.Authorization).toBe('Bearer access-s');
  });

  it('has no persona picker unless the build enables dev login', () => {
    const api = mockApi({});
    render(<Login />);
    expect(screen.queryByText(/体验身份/)).toBeNull();
    expect(api.calls).toHaveLength(0);
  });
});
