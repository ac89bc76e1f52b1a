import Taro from '@tarojs/taro';
import { isErrorBody, type FieldErrors, type TokenPair } from '@community/shared';
import { API_BASE } from '../env';
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

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const useAuth = opts.auth !== false;
  const token = useAuth ? (getTokens()?.accessToken ?? null) : null;
  let res = await send(path, opts, token);

  if (useAuth && res.statusCode === 401) {
    const first = toError(res);
    if (first.code === 'TOKEN_EXPIRED') {
      const pair = await refreshTokens();
      if (pair) {
        res = await send(path, opts, pair.accessToken);
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
  }

  if (!isOk(res.statusCode)) throw toError(res);
  return res.data as T;
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
