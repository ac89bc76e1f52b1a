/**
 * The one door to WeChat's servers. Its base URL comes from config: the
 * stand-in (tools/wechat-standin) in development and tests, WeChat in
 * production, so the code path tested is the one that ships.
 *
 * WeChat answers HTTP 200 with `errcode` on failure; every call checks it.
 */
export class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'WechatError';
  }
}

export interface WechatClientOptions {
  apiBase: string;
  appid: string;
  secret: string;
  timeoutMs?: number;
}

export interface Code2Session {
  openid: string;
  unionid?: string;
}

export type ContentVerdict = 'pass' | 'review' | 'risky';

const TOKEN_INVALID = new Set([40001, 42001, 40014]);

export class WechatClient {
  private token: { value: string; expiresAt: number } | undefined;
  private tokenInFlight: Promise<string> | undefined;

  constructor(private readonly options: WechatClientOptions) {}

  async code2Session(code: string): Promise<Code2Session> {
    const query = new URLSearchParams({
      appid: this.options.appid,
      secret: this.options.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    // session_key stays here: it is never stored nor sent to the client.
    const body = await this.call<{ openid: string; unionid?: string }>('sns/jscode2session', `/sns/jscode2session?${query}`, { method: 'GET' });
    return body.unionid ? { openid: body.openid, unionid: body.unionid } : { openid: body.openid };
  }

  async checkText(openid: string, content: string, scene: 1 | 2 | 3 | 4): Promise<{ verdict: ContentVerdict; label: number }> {
    const body = await this.withToken<{ result?: { suggest?: string; label?: number } }>('wxa/msg_sec_check', '/wxa/msg_sec_check', {
      content,
      version: 2,
      scene,
      openid,
    });
    const suggest = body.result?.suggest;
    const verdict: ContentVerdict = suggest === 'pass' || suggest === 'review' || suggest === 'risky' ? suggest : 'review';
    return { verdict, label: body.result?.label ?? 0 };
  }

  async sendSubscribeMessage(input: { openid: string; templateId: string; page?: string; data: Record<string, string> }): Promise<void> {
    await this.withToken('cgi-bin/message/subscribe/send', '/cgi-bin/message/subscribe/send', {
      touser: input.openid,
      template_id: input.templateId,
      page: input.page,
      data: Object.fromEntries(Object.entries(input.data).map(([k, v]) => [k, { value: v }])),
    });
  }

  async phoneNumber(code: string): Promise<string> {
    const body = await this.withToken<{ phone_info?: { purePhoneNumber?: string } }>(
      'wxa/business/getuserphonenumber',
      '/wxa/business/getuserphonenumber',
      { code },
    );
    const phone = body.phone_info?.purePhoneNumber;
    if (!phone) throw new WechatError(-1, 'no phone in answer', 'wxa/business/getuserphonenumber');
    return phone;
  }

  /** A mini-program code image (PNG) for posters; `scene` ≤ 32 URL-safe characters. */
  async miniProgramCode(scene: string, page?: string): Promise<Buffer> {
    const token = await this.accessToken();
    const response = await this.fetch(`/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: JSON.stringify({ scene, page, check_path: false }),
    });
    if ((response.headers.get('content-type') ?? '').startsWith('image/')) return Buffer.from(await response.arrayBuffer());
    const body = (await response.json()) as { errcode?: number; errmsg?: string };
    throw new WechatError(body.errcode ?? -1, body.errmsg ?? 'not an image', 'wxa/getwxacodeunlimit');
  }

  /**
   * One cached access token from the stable-token API, refetched once on
   * 40001/42001. The refetch is a normal one first: a forced refresh would
   * invalidate the token every other API instance holds, so it is used only
   * when WeChat hands back the very token it just refused.
   */
  private async withToken<T>(api: string, path: string, payload: unknown): Promise<T> {
    let refused: string | undefined;
    for (let attempt = 0; ; attempt++) {
      let token = await this.accessToken(false);
      if (refused && token === refused) token = await this.accessToken(true);
      try {
        return await this.call<T>(api, `${path}?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          body: JSON.stringify(payload),
        });
      } catch (error) {
        if (attempt === 0 && error instanceof WechatError && TOKEN_INVALID.has(error.errcode)) {
          refused = token;
          this.token = undefined;
          continue;
        }
        throw error;
      }
    }
  }

  private async accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    // Concurrent callers share one fetch.
    this.tokenInFlight ??= (async () => {
      try {
        const body = await this.call<{ access_token: string; expires_in: number }>('cgi-bin/stable_token', '/cgi-bin/stable_token', {
          method: 'POST',
          body: JSON.stringify({
            grant_type: 'client_credential',
            appid: this.options.appid,
            secret: this.options.secret,
            force_refresh: forceRefresh,
          }),
        });
        // Renew five minutes early so a token never expires mid-call.
        this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(60, body.expires_in - 300) * 1000 };
        return body.access_token;
      } finally {
        this.tokenInFlight = undefined;
      }
    })();
    return this.tokenInFlight;
  }

  private async call<T>(api: string, path: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<T> {
    const response = await this.fetch(path, init);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new WechatError(-1, `HTTP ${response.status}, not JSON`, api);
    }
    const errcode = (body as { errcode?: number }).errcode;
    if (typeof errcode === 'number' && errcode !== 0) {
      throw new WechatError(errcode, String((body as { errmsg?: unknown }).errmsg ?? ''), api);
    }
    if (!response.ok) throw new WechatError(-1, `HTTP ${response.status}`, api);
    return body as T;
  }

  private async fetch(path: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<Response> {
    try {
      return await fetch(`${this.options.apiBase}${path}`, {
        ...init,
        headers: init.body ? { 'Content-Type': 'application/json' } : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new WechatError(-1, `unreachable: ${(error as Error).message}`, path.split('?')[0] ?? path);
    }
  }
}
