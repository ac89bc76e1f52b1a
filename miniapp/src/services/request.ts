import Taro from '@tarojs/taro';
import { isErrorBody, type FieldErrors, type TokenPair } from '@community/shared';
import { API_BASE, IS_H5 } from '../env';
import { clearTokens, getTokens, setTokens } from './tokens';

/**
 * The one door to the API. wx.request (and Taro.request on H5) resolves on 4xx
 * and 5xx, so the status code is checked here; every failure becomes an
 * ApiError carrying the API's own Chinese message, safe to show as it is.
 */

export const NETWORK_ERROR_CODE = 'NETWORK_ERROR';
export const NETWORK_ERROR_MESSAGE = '网络不太好，请检查网络后再试';
const UNKNOWN_ERROR_MESSAGE = '系统开小差了，请稍后再试';

export class ApiError extends Error {
  readonly code: string;
  /** HTTP status; 0 when the request never reached the server. */
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** Per-field messages of a VALIDATION_FAILED answer, keyed by field name ("realName"). */
  get fieldErrors(): FieldErrors {
    const fields = this.details?.fields;
    if (typeof fields !== 'object' || fields === null) return {};
    const out: FieldErrors = {};
    for (const [key, messages] of Object.entries(fields as Record<string, unknown>)) {
      if (!Array.isArray(messages)) continue;
      const name = key.replace(/^(body|query|params)\./, '');
      out[name] = messages.map(String);
    }
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** The message to show a person for any thrown value. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return UNKNOWN_ERROR_MESSAGE;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  data?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Send the access token (default true). Login calls pass false. */
  auth?: boolean;
  header?: Record<string, string>;
  /**
   * Media type of `data` when it is not JSON: a file sent as it is (an ArrayBuffer),
   * e.g. 'text/csv'. Without it `data` is sent as JSON.
   */
  contentType?: string;
  /** Milliseconds before giving up (default 15 s; a file upload gets longer). */
  timeout?: number;
}

interface RawResponse {
  statusCode: number;
  data: unknown;
}

/** Called when the session is gone for good (refresh refused): the app decides where to go. */
let onSessionLost: ((reason: ApiError) => void) | null = null;
export function setSessionLostHandler(handler: ((reason: ApiError) => void) | null): void {
  onSessionLost = handler;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = `${API_BASE}${path}`;
  if (query) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    }
    if (parts.length) url += (url.includes('?') ? '&' : '?') + parts.join('&');
  }
  return url;
}

async function send(path: string, opts: RequestOptions, accessToken: string | null): Promise<RawResponse> {
  const method = opts.method ?? 'GET';
  const header: Record<string, string> = { Accept: 'application/json', ...opts.header };
  if (opts.data !== undefined) header['Content-Type'] = opts.contentType ?? 'application/json';
  if (accessToken) header.Authorization = `Bearer ${accessToken}`;
  try {
    const res = await Taro.request({
      url: buildUrl(path, opts.query),
      method,
      data: opts.data as never,
      header,
      dataType: 'json',
      timeout: opts.timeout ?? 15000,
    });
    return { statusCode: res.statusCode, data: res.data };
  } catch {
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_ERROR_MESSAGE, 0);
  }
}

function toError(res: RawResponse): ApiError {
  if (isErrorBody(res.data)) {
    const { code, message, details } = res.data.error;
    return new ApiError(code, message || UNKNOWN_ERROR_MESSAGE, res.statusCode, details);
  }
  // A proxy's HTML page or an empty body: say something true and kind.
  if (res.statusCode >= 500 || res.statusCode === 0) {
    return new ApiError('INTERNAL', UNKNOWN_ERROR_MESSAGE, res.statusCode);
  }
  return new ApiError('HTTP_' + res.statusCode, UNKNOWN_ERROR_MESSAGE, res.statusCode);
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

// Single flight: every request that meets TOKEN_EXPIRED while a refresh is under
// way waits for that same refresh instead of starting its own (a refresh token is
// single use, so a second refresh would fail and log the person out).
let refreshing: Promise<TokenPair | null> | null = null;

export function refreshTokens(): Promise<TokenPair | null> {
  if (refreshing) return refreshing;
  const tokens = getTokens();
  if (!tokens?.refreshToken) return Promise.resolve(null);
  refreshing = (async () => {
    try {
      const res = await send('/api/v1/auth/refresh', { method: 'POST', data: { refreshToken: tokens.refreshToken } }, null);
      if (!isOk(res.statusCode)) return null;
      const pair = res.data as TokenPair;
      setTokens(pair);
      return pair;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * Sends with the access token; on TOKEN_EXPIRED refreshes once (single flight) and
 * sends again. A 401 that remains ends the session. `attempt` does the sending
 * (JSON, a file's bytes or a download) and returns the status and the error body.
 */
async function withSession(attempt: (accessToken: string | null) => Promise<RawResponse>): Promise<RawResponse> {
  let res = await attempt(getTokens()?.accessToken ?? null);
  if (res.statusCode !== 401) return res;

  const first = toError(res);
  if (first.code === 'TOKEN_EXPIRED') {
    const pair = await refreshTokens();
    if (pair) {
      res = await attempt(pair.accessToken);
    } else {
      clearTokens();
      const lost = new ApiError('REFRESH_TOKEN_INVALID', '登录状态已失效，请重新登录', 401);
      onSessionLost?.(lost);
      throw lost;
    }
  }
  if (res.statusCode === 401) {
    const err = toError(res);
    clearTokens();
    onSessionLost?.(err);
    throw err;
  }
  return res;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = opts.auth === false ? await send(path, opts, null) : await withSession((token) => send(path, opts, token));
  if (!isOk(res.statusCode)) throw toError(res);
  return res.data as T;
}

// --- Files from the API (an .xlsx export): fetched with the token, then saved or opened. ---

export interface DownloadOptions {
  query?: RequestOptions['query'];
  /** The name the file is saved under (browser) or shown and forwarded with (WeChat). */
  filename: string;
  fileType: keyof Taro.openDocument.FileType;
  /** Milliseconds before giving up (default 60 s). */
  timeout?: number;
}

export interface Downloaded {
  filename: string;
  /** Where WeChat keeps the file; null in the browser, which saved it to its downloads. */
  filePath: string | null;
}

const authHeader = (accessToken: string | null): Record<string, string> => (accessToken ? { Authorization: `Bearer ${accessToken}` } : {});

/** A download's failure body is the API's JSON error; anything else reads as nothing. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Browser: fetch with the token; a success body comes back as a Blob. */
async function fetchBlob(url: string, accessToken: string | null, timeout: number): Promise<RawResponse> {
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), timeout) : null;
  try {
    const res = await fetch(url, { method: 'GET', headers: { Accept: '*/*', ...authHeader(accessToken) }, signal: abort?.signal });
    if (isOk(res.status)) return { statusCode: res.status, data: await res.blob() };
    return { statusCode: res.status, data: parseJson(await res.text().catch(() => '')) };
  } catch {
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_ERROR_MESSAGE, 0);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The browser saves a Blob through a temporary <a download>. */
function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  // Revoked a little later: some browsers start reading the file after click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * WeChat: Taro.downloadFile with the token. Saved under the user data folder with
 * its own name (so 转发 shows 预约明细_….xlsx, not a temporary name) when that
 * folder is known. A failure's JSON body is written to the file too, so it is read back.
 */
async function downloadInWeapp(url: string, accessToken: string | null, filename: string, timeout: number): Promise<RawResponse> {
  const folder = Taro.env?.USER_DATA_PATH;
  let res: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    res = await Taro.downloadFile({
      url,
      header: authHeader(accessToken),
      timeout,
      ...(folder ? { filePath: `${folder}/${filename}` } : {}),
    });
  } catch {
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_ERROR_MESSAGE, 0);
  }
  const filePath = res.filePath || res.tempFilePath;
  if (isOk(res.statusCode)) return { statusCode: res.statusCode, data: filePath };
  let text = '';
  try {
    text = String(Taro.getFileSystemManager().readFileSync(filePath, 'utf8'));
  } catch {
    // No body to read: the status code alone decides.
  }
  return { statusCode: res.statusCode, data: parseJson(text) };
}

/**
 * Downloads a file the API serves to signed-in staff (refreshing the session once,
 * as every request does) and hands it to the person: the browser saves it, WeChat
 * opens it with its menu (转发, 用其他应用打开). Failures are ApiErrors in Chinese.
 */
export async function downloadFile(path: string, opts: DownloadOptions): Promise<Downloaded> {
  const url = buildUrl(path, opts.query);
  const timeout = opts.timeout ?? 60000;
  const res = await withSession((token) =>
    IS_H5 ? fetchBlob(url, token, timeout) : downloadInWeapp(url, token, opts.filename, timeout),
  );
  if (!isOk(res.statusCode)) throw toError(res);

  if (IS_H5) {
    saveBlob(res.data as Blob, opts.filename);
    return { filename: opts.filename, filePath: null };
  }
  const filePath = res.data as string;
  try {
    await Taro.openDocument({ filePath, fileType: opts.fileType, showMenu: true });
  } catch {
    throw new ApiError('OPEN_DOCUMENT_FAILED', '表格已下载，但没能打开，请稍后再试', 200);
  }
  return { filename: opts.filename, filePath };
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => request<T>(path, { method: 'GET', query }),
  post: <T>(path: string, data?: unknown, opts: Omit<RequestOptions, 'method' | 'data'> = {}) =>
    request<T>(path, { ...opts, method: 'POST', data: data ?? {} }),
  put: <T>(path: string, data?: unknown) => request<T>(path, { method: 'PUT', data: data ?? {} }),
  patch: <T>(path: string, data?: unknown) => request<T>(path, { method: 'PATCH', data: data ?? {} }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
  /** Sends a file's bytes as the body (a refresh-and-retry sends the same bytes again). */
  upload: <T>(path: string, body: ArrayBuffer, contentType: string, query?: RequestOptions['query']) =>
    request<T>(path, { method: 'POST', data: body, contentType, query, timeout: 60000 }),
};
