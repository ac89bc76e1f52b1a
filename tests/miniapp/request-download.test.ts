import { downloadFile, setSessionLostHandler, type ApiError } from '../../miniapp/src/services/request';
import { getTokens } from '../../miniapp/src/services/tokens';
import { apiError, tokens } from './support/http';
import { captureSaves, mockApiWithDownloads } from './support/download';
import { resetAppState, signIn } from './support/reset';

const XLSX_PATH = '/api/v1/staff/bookings/export';
const opts = { query: { from: '2026-11-01', to: '2026-11-30' }, filename: '预约明细_2026-11-01_2026-11-30.xlsx', fileType: 'xlsx' as const };

describe('request: downloading a file in the browser (H5)', () => {
  let saves: ReturnType<typeof captureSaves>;
  beforeEach(() => {
    resetAppState();
    signIn('old');
    saves = captureSaves();
  });
  afterEach(() => {
    saves.restore();
    setSessionLostHandler(null);
    jest.useRealTimers();
  });

  it('fetches with the bearer token and saves the Blob through a temporary <a download>', async () => {
    jest.useFakeTimers();
    const m = mockApiWithDownloads({}, { [`GET ${XLSX_PATH}`]: () => ({ bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }) });
    await expect(downloadFile(XLSX_PATH, opts)).resolves.toEqual({ filename: opts.filename, filePath: null });
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]!.url).toBe('http://api.test/api/v1/staff/bookings/export?from=2026-11-01&to=2026-11-30');
    expect(m.calls[0]!.headers.Authorization).toBe('Bearer access-old');
    expect(saves.saved).toEqual([{ filename: opts.filename, href: 'blob:http://localhost/1', size: 4 }]);
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    // The object URL is let go, a little later.
    expect(saves.revoked).toEqual([]);
    jest.runAllTimers();
    expect(saves.revoked).toEqual(['blob:http://localhost/1']);
  });

  it('on TOKEN_EXPIRED refreshes once and downloads again with the new token', async () => {
    const m = mockApiWithDownloads(
      { 'POST /api/v1/auth/refresh': { status: 200, body: tokens('new') } },
      {
        [`GET ${XLSX_PATH}`]: (c) =>
          c.headers.Authorization === 'Bearer access-new' ? { bytes: new Uint8Array([1, 2]) } : apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      },
    );
    await downloadFile(XLSX_PATH, opts);
    expect(m.calls.map((c) => `${c.method} ${c.path} ${c.headers.Authorization ?? ''}`)).toEqual([
      `GET ${XLSX_PATH} Bearer access-old`,
      'POST /api/v1/auth/refresh ',
      `GET ${XLSX_PATH} Bearer access-new`,
    ]);
    expect(saves.saved).toHaveLength(1);
    expect(getTokens()?.accessToken).toBe('access-new');
  });

  it('when the refresh is refused the session ends, as for any request, and nothing is saved', async () => {
    const lost = jest.fn();
    setSessionLostHandler(lost);
    mockApiWithDownloads(
      { 'POST /api/v1/auth/refresh': apiError(401, 'REFRESH_TOKEN_INVALID', '登录状态已失效') },
      { [`GET ${XLSX_PATH}`]: () => apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录') },
    );
    await expect(downloadFile(XLSX_PATH, opts)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID', message: '登录状态已失效，请重新登录' });
    expect(lost).toHaveBeenCalledTimes(1);
    expect(getTokens()).toBeNull();
    expect(saves.saved).toEqual([]);
  });

  it('the API’s refusal and a lost network come back as ApiErrors in Chinese', async () => {
    mockApiWithDownloads({}, { [`GET ${XLSX_PATH}`]: () => apiError(400, 'VALIDATION_FAILED', '结束日期不能早于开始日期') });
    const refused = (await downloadFile(XLSX_PATH, opts).catch((e: unknown) => e)) as ApiError;
    expect(refused).toMatchObject({ name: 'ApiError', code: 'VALIDATION_FAILED', status: 400, message: '结束日期不能早于开始日期' });

    mockApiWithDownloads({}, { [`GET ${XLSX_PATH}`]: () => 'network-error' });
    await expect(downloadFile(XLSX_PATH, opts)).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: '网络不太好，请检查网络后再试' });
    expect(saves.saved).toEqual([]);
  });
});

describe('request: downloading a file in WeChat (weapp)', () => {
  const before = process.env.TARO_ENV;
  afterEach(() => {
    process.env.TARO_ENV = before;
  });

  /** request.ts and Taro as the weapp build has them (IS_H5 is read when the module loads). */
  function weapp() {
    resetAppState();
    signIn('old');
    process.env.TARO_ENV = 'weapp';
    let loaded!: { request: typeof import('../../miniapp/src/services/request'); Taro: any };
    jest.isolateModules(() => {
      loaded = { request: require('../../miniapp/src/services/request'), Taro: require('@tarojs/taro').default };
    });
    const files = new Map<string, string>();
    const Taro = loaded.Taro;
    Taro.env = { ...(Taro.env ?? {}), USER_DATA_PATH: 'wxfile://usr' };
    Taro.openDocument = jest.fn(() => Promise.resolve({ errMsg: 'openDocument:ok' }));
    Taro.getFileSystemManager = jest.fn(() => ({
      readFileSync: (path: string) => {
        if (!files.has(path)) throw new Error('no such file');
        return files.get(path);
      },
    }));
    return { ...loaded, files };
  }

  it('downloads with Taro.downloadFile and the token, then opens the .xlsx with its menu', async () => {
    const { request, Taro } = weapp();
    Taro.downloadFile = jest.fn((o: { filePath: string }) => Promise.resolve({ statusCode: 200, filePath: o.filePath, tempFilePath: '', errMsg: 'downloadFile:ok' }));
    await expect(request.downloadFile(XLSX_PATH, opts)).resolves.toEqual({
      filename: opts.filename,
      filePath: `wxfile://usr/${opts.filename}`,
    });
    expect(Taro.downloadFile).toHaveBeenCalledTimes(1);
    expect(Taro.downloadFile.mock.calls[0][0]).toMatchObject({
      url: 'http://api.test/api/v1/staff/bookings/export?from=2026-11-01&to=2026-11-30',
      header: { Authorization: 'Bearer access-old' },
      filePath: `wxfile://usr/${opts.filename}`,
    });
    expect(Taro.openDocument).toHaveBeenCalledWith({ filePath: `wxfile://usr/${opts.filename}`, fileType: 'xlsx', showMenu: true });
  });

  it('reads TOKEN_EXPIRED from the downloaded body, refreshes once and downloads again', async () => {
    const { request, Taro, files } = weapp();
    mockApiWithDownloads({ 'POST /api/v1/auth/refresh': { status: 200, body: tokens('new') } }, {});
    Taro.downloadFile = jest.fn((o: { filePath: string; header: Record<string, string> }) => {
      if (o.header.Authorization === 'Bearer access-new') return Promise.resolve({ statusCode: 200, filePath: o.filePath, tempFilePath: '' });
      files.set(o.filePath, JSON.stringify({ error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } }));
      return Promise.resolve({ statusCode: 401, filePath: o.filePath, tempFilePath: '' });
    });
    await request.downloadFile(XLSX_PATH, opts);
    expect(Taro.downloadFile.mock.calls.map((c: [{ header: Record<string, string> }]) => c[0].header.Authorization)).toEqual([
      'Bearer access-old',
      'Bearer access-new',
    ]);
    expect(Taro.openDocument).toHaveBeenCalledTimes(1);
  });

  it('a refusal is read from the file; a failed download is the network message; a file that will not open says so', async () => {
    const { request, Taro, files } = weapp();
    Taro.downloadFile = jest.fn((o: { filePath: string }) => {
      files.set(o.filePath, JSON.stringify({ error: { code: 'FORBIDDEN', message: '您没有权限做这件事' } }));
      return Promise.resolve({ statusCode: 403, filePath: o.filePath, tempFilePath: '' });
    });
    await expect(request.downloadFile(XLSX_PATH, opts)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403, message: '您没有权限做这件事' });

    Taro.downloadFile = jest.fn(() => Promise.reject({ errMsg: 'downloadFile:fail timeout' }));
    await expect(request.downloadFile(XLSX_PATH, opts)).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: '网络不太好，请检查网络后再试' });

    Taro.downloadFile = jest.fn((o: { filePath: string }) => Promise.resolve({ statusCode: 200, filePath: o.filePath, tempFilePath: '' }));
    Taro.openDocument = jest.fn(() => Promise.reject({ errMsg: 'openDocument:fail filetype not supported' }));
    await expect(request.downloadFile(XLSX_PATH, opts)).rejects.toMatchObject({ message: '表格已下载，但没能打开，请稍后再试' });
    expect(Taro.openDocument).toHaveBeenCalledTimes(1);
  });
});
