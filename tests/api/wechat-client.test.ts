import { WechatClient, WechatError } from '../../api/src/wechat/client';
import { wxBase } from './support/harness';

/** The API's WeChat client against the stand-in: the production code path, scripted answers. */
const client = () => new WechatClient({ apiBase: wxBase(), appid: 'touristappid', secret: 'test-secret' });
const control = (path: string, body?: unknown) =>
  fetch(`${wxBase()}/__standin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json());

describe('WechatClient', () => {
  it('turns a test login code into its openid and never exposes session_key', async () => {
    const session = await client().code2Session('test-o-client');
    expect(session.openid).toBe('o-client');
    expect(session.unionid).toMatch(/^u-/);
    expect(JSON.stringify(session)).not.toContain('session_key');
  });

  it('reads WeChat errors from HTTP 200 answers', async () => {
    await expect(client().code2Session('test-blocked-user')).rejects.toMatchObject({ errcode: 40226 });
    await expect(client().code2Session('bad-code')).rejects.toBeInstanceOf(WechatError);
  });

  it('gives the content-security verdict', async () => {
    const wx = client();
    expect((await wx.checkText('o-a', '今天天气很好', 2)).verdict).toBe('pass');
    expect((await wx.checkText('o-a', '这是违规广告', 2)).verdict).toBe('risky');
    expect((await wx.checkText('o-a', '此条待人工审核', 2)).verdict).toBe('review');
  });

  it('When the access token is refused (40001), then it fetches a new one once, without forcing a refresh', async () => {
    const wx = client();
    await wx.checkText('o-a', '第一条', 2);
    const tokenCalls = async () =>
      ((await control('calls?path=/cgi-bin/stable_token')) as { calls: { body?: { force_refresh?: boolean } }[] }).calls;
    const countBefore = (await tokenCalls()).length;
    await control('invalidate-token', {});
    expect((await wx.checkText('o-a', '第二条', 2)).verdict).toBe('pass');
    const calls = await tokenCalls();
    expect(calls.length).toBe(countBefore + 1);
    expect(calls[calls.length - 1]!.body?.force_refresh).toBe(false);
  });

  it('When a subscribe message has no consent left, then 43101 comes back and is not retried', async () => {
    const wx = client();
    await expect(
      wx.sendSubscribeMessage({ openid: 'o-no-consent', templateId: 'tpl-1', data: { thing1: '预约提醒' } }),
    ).rejects.toMatchObject({ errcode: 43101 });
    await expect(wx.sendSubscribeMessage({ openid: 'o-ok', templateId: 'tpl-1', data: { thing1: '预约提醒' } })).resolves.toBeUndefined();
  });

  it('When WeChat cannot be reached, then a WechatError says so', async () => {
    const offline = new WechatClient({ apiBase: 'http://127.0.0.1:9', appid: 'a', secret: 's', timeoutMs: 500 });
    await expect(offline.code2Session('test-x')).rejects.toMatchObject({ errcode: -1 });
  });
});
