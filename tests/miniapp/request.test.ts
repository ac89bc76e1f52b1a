import Taro from '@tarojs/taro';
import { api, ApiError, NETWORK_ERROR_MESSAGE, request } from '../../miniapp/src/services/request';
import { getTokens } from '../../miniapp/src/services/tokens';
import { apiError, mockApi, tokens } from './support/http';
import { resetAppState, signIn } from './support/reset';

describe('request wrapper', () => {
  beforeEach(() => {
    resetAppState();
    signIn('old');
  });

  it('turns an error body into an ApiError with code, message and details', async () => {
    mockApi({
      'POST /api/v1/bindings': apiError(400, 'VALIDATION_FAILED', '填写的内容有误：请填写真实姓名', {
        fields: { 'body.realName': ['请填写真实姓名'] },
      }),
    });
    const err = (await api.post('/api/v1/bindings', {}).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(400);
    expect(err.message).toBe('填写的内容有误：请填写真实姓名');
    expect(err.fieldErrors).toEqual({ realName: ['请填写真实姓名'] });
  });

  it('says the network is poor when the request never arrives', async () => {
    mockApi({ 'GET /api/v1/me': 'network-error' });
    await expect(request('/api/v1/me')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
    expect(NETWORK_ERROR_MESSAGE).toBe('网络不太好，请检查网络后再试');
  });

  it('refreshes once for concurrent TOKEN_EXPIRED answers and retries each request', async () => {
    let refreshes = 0;
    const api2 = mockApi({
      'GET /api/v1/a': (c) =>
        c.headers.Authorization === 'Bearer access-new' ? { status: 200, body: { a: 1 } } : apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      'GET /api/v1/b': (c) =>
        c.headers.Authorization === 'Bearer access-new' ? { status: 200, body: { b: 2 } } : apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      'POST /api/v1/auth/refresh': async (c) => {
        refreshes += 1;
        expect(c.body).toEqual({ refreshToken: tokens('old').refreshToken });
        await new Promise((r) => setTimeout(r, 20));
        return { status: 200, body: tokens('new') };
      },
    });
    const [a, b] = await Promise.all([request('/api/v1/a'), request('/api/v1/b')]);
    expect(a).toEqual({ a: 1 });
    expect(b).toEqual({ b: 2 });
    expect(refreshes).toBe(1);
    expect(api2.calls.filter((c) => c.path === '/api/v1/a')).toHaveLength(2);
    expect(getTokens()?.accessToken).toBe('access-new');
    expect(JSON.parse(Taro.getStorageSync('cs.tokens.v1')).refreshToken).toBe(tokens('new').refreshToken);
  });

  it('clears the session and goes to the login page when the refresh is refused (H5)', async () => {
    mockApi({
      'GET /api/v1/me': apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      'POST /api/v1/auth/refresh': apiError(401, 'REFRESH_TOKEN_INVALID', '登录状态已失效，请重新登录'),
    });
    // The session module installs the handler that decides where to go.
    require('../../miniapp/src/store/session');
    await expect(request('/api/v1/me')).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(getTokens()).toBeNull();
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index?back=1' });
  });

  it('does not refresh on other 401 codes', async () => {
    const m = mockApi({ 'GET /api/v1/me': apiError(401, 'UNAUTHENTICATED', '请先登录') });
    await expect(request('/api/v1/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect(m.calls.map((c) => c.path)).toEqual(['/api/v1/me']);
  });
});
