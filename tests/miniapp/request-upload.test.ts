import { api } from '../../miniapp/src/services/request';
import { apiError, tokens } from './support/http';
import { mockApiWithFiles } from './support/files';
import { resetAppState, signIn } from './support/reset';

describe('request wrapper: a file as the body', () => {
  beforeEach(() => {
    resetAppState();
    signIn('old');
  });

  it('sends the bytes with the given content type and the token, and retries them after a refresh', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x2c, 0x42, 0x0a]);
    const m = mockApiWithFiles({
      'POST /api/v1/upload': (c) =>
        c.headers.Authorization === 'Bearer access-new' ? { status: 200, body: { ok: true } } : apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      'POST /api/v1/auth/refresh': { status: 200, body: tokens('new') },
    });
    await expect(api.upload('/api/v1/upload', bytes.buffer, 'text/csv', { dryRun: true })).resolves.toEqual({ ok: true });
    const sent = m.calls.filter((c) => c.path === '/api/v1/upload');
    expect(sent).toHaveLength(2);
    for (const c of sent) {
      expect(c.url).toBe('http://api.test/api/v1/upload?dryRun=true');
      expect(c.headers['Content-Type']).toBe('text/csv');
      expect(c.body).toEqual({ bytes: 7, text: '\ufeffA,B\n' });
    }
    expect(sent[0]!.headers.Authorization).toBe('Bearer access-old');
  });

  it('keeps JSON bodies as they were', async () => {
    const m = mockApiWithFiles({ 'PUT /api/v1/x': { status: 200, body: {} }, 'DELETE /api/v1/x': { status: 200, body: {} } });
    await api.put('/api/v1/x', { roles: ['admin'] });
    await api.delete('/api/v1/x');
    expect(m.calls[0]).toMatchObject({ method: 'PUT', body: { roles: ['admin'] } });
    expect(m.calls[0]!.headers['Content-Type']).toBe('application/json');
    expect(m.calls[1]).toMatchObject({ method: 'DELETE', body: undefined });
  });
});
