/**
 * The WeChat stand-in, in process, spoken to over HTTP exactly as the API's WeChat client does.
 * Each describe block starts its own stand-in on port 0 with its own script, so blocks do not
 * share tokens, calls or scripted rules.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_SCRIPT, client, loadStandin, readPng, type Standin } from './standin-support';

const started: Standin[] = [];
async function start(options: { scriptPath?: string | null } = {}) {
  const { startStandin } = await loadStandin();
  const standin = await startStandin({ port: 0, ...options });
  started.push(standin);
  return { standin, wx: client(standin.baseUrl) };
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

const unionidOf = (openid: string) => `u-${createHash('sha256').update(openid).digest('hex').slice(0, 24)}`;

describe('startStandin', () => {
  it('listens on 127.0.0.1 on a free port and closes', async () => {
    const { startStandin } = await loadStandin();
    const standin = await startStandin();
    expect(standin.port).toBeGreaterThan(0);
    expect(standin.baseUrl).toBe(`http://127.0.0.1:${standin.port}`);
    await client(standin.baseUrl).login('test-x'); // leaves a keep-alive socket open
    await standin.close();
    await expect(fetch(`${standin.baseUrl}/sns/jscode2session`)).rejects.toThrow();
  });

  it('refuses a missing, broken or misspelt script file, naming the problem', async () => {
    const { startStandin } = await loadStandin();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-'));
    try {
      await expect(startStandin({ scriptPath: path.join(dir, 'none.json') })).rejects.toThrow(/cannot read script/);
      writeFileSync(path.join(dir, 'broken.json'), '{ "jscode2session": ');
      await expect(startStandin({ scriptPath: path.join(dir, 'broken.json') })).rejects.toThrow(/not valid JSON/);
      writeFileSync(path.join(dir, 'typo.json'), JSON.stringify({ jscode2sesion: {} }));
      await expect(startStandin({ scriptPath: path.join(dir, 'typo.json') })).rejects.toThrow(
        /typo\.json\.jscode2sesion: unknown section/,
      );
      writeFileSync(path.join(dir, 'zero.json'), JSON.stringify({ subscribeSend: { o: 0 } }));
      await expect(startStandin({ scriptPath: path.join(dir, 'zero.json') })).rejects.toThrow(/non-zero integer errcode/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a port in use', async () => {
    const { standin } = await start();
    const { startStandin } = await loadStandin();
    await expect(startStandin({ port: standin.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('GET /sns/jscode2session', () => {
  let wx: ReturnType<typeof client>;
  beforeAll(async () => {
    ({ wx } = await start({ scriptPath: EXAMPLE_SCRIPT }));
  });

  it('turns test-<openid> into that openid, a stable unionid and a fresh session_key', async () => {
    const first = await wx.login('test-o_Alice-01');
    const second = await wx.login('test-o_Alice-01');
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      openid: 'o_Alice-01',
      unionid: unionidOf('o_Alice-01'),
      session_key: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
    });
    expect(first.json.errcode).toBeUndefined(); // WeChat sends no errcode on success
    expect(second.json.unionid).toBe(first.json.unionid);
    expect(second.json.session_key).not.toBe(first.json.session_key);
    expect((await wx.login('test-bob')).json.unionid).not.toBe(first.json.unionid);
  });

  it('labels its JSON text/plain, like WeChat', async () => {
    expect((await wx.login('test-alice')).type).toBe('text/plain');
    expect((await wx.login('nonsense')).type).toBe('text/plain');
  });

  it('answers 40029 for any other code', async () => {
    for (const code of ['abc', 'test-', 'test-has space', `test-${'a'.repeat(65)}`, 'test-中文', 'TEST-alice']) {
      expect((await wx.login(code)).json).toEqual({ errcode: 40029, errmsg: 'invalid code' });
    }
    expect((await wx.login(`test-${'a'.repeat(64)}`)).json.openid).toHaveLength(64);
  });

  it('answers scripted codes with their errcode', async () => {
    expect((await wx.login('test-blocked-user')).json).toEqual({ errcode: 40226, errmsg: 'user is blocked' });
    expect((await wx.login('test-too-fast')).json).toEqual({ errcode: 45011, errmsg: 'minute-limit reached' });
    expect((await wx.login('test-code-used')).json).toEqual({ errcode: 40163, errmsg: 'code been used' });
  });

  it('requires appid, secret, js_code and grant_type=authorization_code', async () => {
    const code = 'js_code=test-alice';
    const ask = async (query: string) => (await wx.get(`/sns/jscode2session?${query}`)).json.errcode;
    expect(await ask(`secret=s&${code}&grant_type=authorization_code`)).toBe(41002);
    expect(await ask(`appid=&secret=s&${code}&grant_type=authorization_code`)).toBe(41002);
    expect(await ask(`appid=a&${code}&grant_type=authorization_code`)).toBe(41004);
    expect(await ask('appid=a&secret=s&grant_type=authorization_code')).toBe(41008);
    expect(await ask(`appid=a&secret=s&${code}`)).toBe(40002);
    expect(await ask(`appid=a&secret=s&${code}&grant_type=client_credential`)).toBe(40002);
    expect(await ask(`appid=a&secret=s&${code}&grant_type=authorization_code`)).toBeUndefined();
  });

  it('is GET only (43001 otherwise)', async () => {
    const res = await wx.post('/sns/jscode2session?appid=a&secret=s&js_code=test-a&grant_type=authorization_code', {});
    expect(res.json).toEqual({ errcode: 43001, errmsg: 'require GET method' });
  });
});

describe('credentials pinned by the script', () => {
  it('answers 40013 / 40125 for another appid / secret', async () => {
    const { standin, wx } = await start();
    standin.script({ credentials: { appid: 'wx-app', secret: 's3cret' } });
    expect((await wx.login('test-a')).json.openid).toBe('a');
    expect((await wx.login('test-a', 'appid=wx-other&secret=s3cret&grant_type=authorization_code')).json.errcode).toBe(40013);
    expect((await wx.login('test-a', 'appid=wx-app&secret=nope&grant_type=authorization_code')).json).toEqual({
      errcode: 40125,
      errmsg: 'invalid appsecret',
    });
    expect((await wx.token({ secret: 'nope' })).errcode).toBe(40125);
    expect((await wx.token()).access_token).toEqual(expect.any(String));
  });
});

describe('POST /cgi-bin/stable_token and access tokens', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  beforeEach(async () => {
    ({ standin, wx } = await start());
  });
  const check = (token: string) =>
    wx.post(`/wxa/msg_sec_check?access_token=${encodeURIComponent(token)}`, {
      content: 'hello',
      version: 2,
      scene: 2,
      openid: 'alice',
    });

  it('returns the same token with expires_in ≤ 7200 until a forced refresh', async () => {
    const first = await wx.token();
    expect(first).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/), expires_in: 7200 });
    const again = await wx.token({ force_refresh: false });
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBeLessThanOrEqual(7200);
    expect(again.expires_in).toBeGreaterThan(7190);

    const refreshed = await wx.token({ force_refresh: true });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.expires_in).toBe(7200);
    expect((await check(first.access_token)).json).toEqual({
      errcode: 40001,
      errmsg: 'invalid credential, access_token is invalid or not latest',
    });
    expect((await check(refreshed.access_token)).json.errcode).toBe(0);
  });

  it('validates the request like WeChat', async () => {
    const ask = async (body: unknown) => (await wx.post('/cgi-bin/stable_token', body)).json;
    expect(await ask({ appid: 'a', secret: 's' })).toEqual({ errcode: 40002, errmsg: 'invalid grant_type' });
    expect((await ask({ grant_type: 'client_credential', secret: 's' })).errcode).toBe(41002);
    expect((await ask({ grant_type: 'client_credential', appid: 'a', secret: '' })).errcode).toBe(41004);
    expect((await ask({ grant_type: 'client_credential', appid: 'a', secret: 's', force_refresh: 'yes' })).errcode).toBe(47001);
    expect(await ask('{"grant_type": "client_credential",')).toEqual({ errcode: 47001, errmsg: 'data format error' });
    expect(await ask('[1]')).toEqual({ errcode: 47001, errmsg: 'data format error' });
    expect(await ask('')).toEqual({ errcode: 44002, errmsg: 'empty post data' });
    expect((await wx.get('/cgi-bin/stable_token')).json).toEqual({ errcode: 43002, errmsg: 'require POST method' });
  });

  it('keeps one token per appid', async () => {
    const a = await wx.token({ appid: 'wx-a' });
    const b = await wx.token({ appid: 'wx-b' });
    expect(a.access_token).not.toBe(b.access_token);
    expect((await wx.token({ appid: 'wx-a' })).access_token).toBe(a.access_token);
  });

  it('fails as scripted, for ever or a number of times', async () => {
    standin.script({ stableToken: 40125 });
    expect(await wx.token()).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect((await wx.token()).errcode).toBe(40125);
    standin.script({ stableToken: { errcode: -1, times: 2 } });
    expect(await wx.token()).toEqual({ errcode: -1, errmsg: 'system error' });
    expect((await wx.token()).errcode).toBe(-1);
    expect((await wx.token()).access_token).toEqual(expect.any(String));
    standin.script({ stableToken: 45009 });
    standin.script({ stableToken: null });
    expect((await wx.token()).access_token).toEqual(expect.any(String));
  });

  it('refuses calls without a token (41001) or with an unknown one (40001)', async () => {
    const body = { content: 'x', version: 2, scene: 2, openid: 'alice' };
    expect((await wx.post('/wxa/msg_sec_check', body)).json).toEqual({ errcode: 41001, errmsg: 'access_token missing' });
    expect((await wx.post('/wxa/msg_sec_check?access_token=', body)).json.errcode).toBe(41001);
    expect((await check('made-up')).json.errcode).toBe(40001);
  });

  it('invalidates the current token on request (40001), then issues a new one', async () => {
    const old = (await wx.token()).access_token;
    const res = await wx.post('/__standin/invalidate-token', {});
    expect(res.json).toEqual({ ok: true, invalidated: 1 });
    expect((await check(old)).json.errcode).toBe(40001);
    const fresh = (await wx.token()).access_token;
    expect(fresh).not.toBe(old);
    expect((await check(fresh)).json.errcode).toBe(0);
  });

  it('can make the invalidated token answer 42001 (expired) instead', async () => {
    const old = (await wx.token()).access_token;
    expect((await wx.post('/__standin/invalidate-token', { errcode: 42001 })).json.invalidated).toBe(1);
    expect((await check(old)).json).toEqual({ errcode: 42001, errmsg: 'access_token expired' });
    expect((await wx.post('/__standin/invalidate-token', { errcode: 40013 })).status).toBe(400);
    // in process, too
    const next = (await wx.token()).access_token;
    expect(standin.invalidateToken()).toBe(1);
    expect((await check(next)).json.errcode).toBe(40001);
  });
});

describe('POST /wxa/msg_sec_check', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  let token: string;
  beforeAll(async () => {
    ({ standin, wx } = await start({ scriptPath: EXAMPLE_SCRIPT }));
    token = (await wx.token()).access_token;
  });
  const check = async (body: Record<string, unknown>) =>
    (await wx.post(`/wxa/msg_sec_check?access_token=${token}`, { version: 2, scene: 3, openid: 'alice', ...body })).json;

  it('passes ordinary text with label 100', async () => {
    const res = await check({ content: '周六下午楼下一起打羽毛球' });
    expect(res).toEqual({
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: 'pass', label: 100 },
      detail: [expect.objectContaining({ strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100 })],
      trace_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/),
    });
  });

  it('answers risky / review when the script matches a substring', async () => {
    const risky = await check({ content: '出售违规广告位，加微信' });
    expect(risky.errcode).toBe(0);
    expect(risky.result).toEqual({ suggest: 'risky', label: 20006 });
    expect(risky.detail).toContainEqual(expect.objectContaining({ strategy: 'keyword', keyword: '违规广告', suggest: 'risky' }));
    expect((await check({ content: '这条待人工审核吧' })).result).toEqual({ suggest: 'review', label: 21000 });
    // title, nickname and signature are checked too
    expect((await check({ content: 'ok', title: '违规广告' })).result.suggest).toBe('risky');
  });

  it('puts rules merged at run time first, and can fail the call itself', async () => {
    standin.script({ msgSecCheck: [{ contains: '广告', suggest: 'review', label: 10001 }] });
    expect((await check({ content: '违规广告' })).result).toEqual({ suggest: 'review', label: 10001 });
    standin.script({ msgSecCheck: [{ contains: '系统繁忙', errcode: -1, times: 1 }] });
    expect(await check({ content: '系统繁忙' })).toEqual({ errcode: -1, errmsg: 'system error' });
    expect((await check({ content: '系统繁忙' })).result.suggest).toBe('pass');
  });

  it('requires version 2, an openid, scene 1–4 and text content', async () => {
    expect((await check({ content: 'x', version: undefined })).errcode).toBe(40097);
    expect((await check({ content: 'x', version: 1 })).errcode).toBe(40097);
    expect((await check({ content: 'x', openid: undefined })).errcode).toBe(40003);
    expect((await check({ content: 'x', openid: 'a b' })).errcode).toBe(40003);
    expect((await check({ content: 'x', scene: 5 })).errcode).toBe(40097);
    expect((await check({ content: 'x', scene: '2' })).errcode).toBe(40097);
    expect((await check({})).errcode).toBe(47001);
    expect((await check({ content: 42 })).errcode).toBe(47001);
    expect((await check({ content: '长'.repeat(2501) })).errcode).toBe(40097);
    expect((await check({ content: '长'.repeat(2500) })).errcode).toBe(0);
    const broken = await wx.post(`/wxa/msg_sec_check?access_token=${token}`, '{"content": "x"');
    expect(broken.json).toEqual({ errcode: 47001, errmsg: 'data format error' });
  });
});

describe('POST /cgi-bin/message/subscribe/send', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  let token: string;
  beforeAll(async () => {
    ({ standin, wx } = await start({ scriptPath: EXAMPLE_SCRIPT }));
    token = (await wx.token()).access_token;
  });
  const data = {
    thing1: { value: '便民理发服务' },
    time2: { value: '2026-12-05 09:30' },
    phrase3: { value: '已预约' },
  };
  const send = async (body: Record<string, unknown>) =>
    (await wx.post(`/cgi-bin/message/subscribe/send?access_token=${token}`, {
      touser: 'alice',
      template_id: 'tpl-booking',
      page: 'pages/booking/detail?id=1',
      data,
      ...body,
    })).json;

  it('accepts a valid message, answers a msgid and records it', async () => {
    const before = standin.messages().length;
    const res = await send({ miniprogram_state: 'developer', lang: 'zh_CN' });
    expect(res).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
    expect(Number.isSafeInteger(res.msgid)).toBe(true);
    const second = await send({ touser: 'bob' });
    expect(second.msgid).not.toBe(res.msgid);

    const recorded = (await wx.get('/__standin/messages?touser=alice')).json.messages;
    expect(recorded.at(-1)).toEqual({
      msgid: res.msgid,
      at: expect.any(String),
      touser: 'alice',
      template_id: 'tpl-booking',
      page: 'pages/booking/detail?id=1',
      miniprogram_state: 'developer',
      lang: 'zh_CN',
      data,
    });
    expect(standin.messages()).toHaveLength(before + 2);
  });

  it('checks data values by keyword type', async () => {
    const invalid = (key: string) => ({ errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` });
    expect(await send({ data: { ...data, thing1: { value: '二'.repeat(21) } } })).toEqual(invalid('thing1'));
    expect((await send({ data: { ...data, thing1: { value: '二'.repeat(20) } } })).errcode).toBe(0);
    expect((await send({ data: { ...data, thing1: { value: '' } } })).errcode).toBe(47003);
    expect(await send({ data: { ...data, phrase3: { value: '已经预约成功' } } })).toEqual(invalid('phrase3'));
    expect(await send({ data: { ...data, phrase3: { value: 'OK' } } })).toEqual(invalid('phrase3'));
    expect((await send({ data: { ...data, phrase3: { value: '已取消' } } })).errcode).toBe(0);
    expect(await send({ data: { ...data, time2: { value: '' } } })).toEqual(invalid('time2'));
    expect(await send({ data: { ...data, date4: { value: '明天' } } })).toEqual(invalid('date4'));
    expect((await send({ data: { ...data, date4: { value: '2026年12月5日' } } })).errcode).toBe(0);
    expect(await send({ data: { ...data, number5: { value: '12a' } } })).toEqual(invalid('number5'));
    expect(await send({ data: { ...data, character_string6: { value: 'AB-123 4' } } })).toEqual(invalid('character_string6'));
    expect((await send({ data: { ...data, character_string6: { value: 'AB-1234' } } })).errcode).toBe(0);
    expect((await send({ data: { ...data, amount7: { value: '¥12.50' } } })).errcode).toBe(0);
    expect((await send({ data: { ...data, name8: { value: '张三' } } })).errcode).toBe(0);
    expect(await send({ data: { ...data, thing1: { value: 42 } } })).toEqual(invalid('thing1'));
    expect(await send({ data: { ...data, thing1: '便民理发' } })).toEqual(invalid('thing1'));
    expect(await send({ data: { ...data, color1: { value: 'red' } } })).toEqual(invalid('color1'));
    expect(await send({ data: {} })).toEqual({ errcode: 47003, errmsg: 'argument invalid! data is empty' });
    expect((await send({ data: undefined })).errcode).toBe(47003);
  });

  it('checks touser, template_id, miniprogram_state and lang', async () => {
    expect(await send({ touser: undefined })).toEqual({ errcode: 40003, errmsg: 'invalid openid' });
    expect(await send({ template_id: '' })).toEqual({ errcode: 40037, errmsg: 'invalid template_id' });
    expect((await send({ miniprogram_state: 'production' })).errcode).toBe(47003);
    expect((await send({ lang: 'fr_FR' })).errcode).toBe(47003);
  });

  it('answers scripted errcodes per user, per user and template, or for everyone', async () => {
    const before = standin.messages().length;
    expect(await send({ touser: 'o-no-consent' })).toEqual({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
    standin.script({ subscribeSend: { 'carol:tpl-vote': 43101 } });
    expect((await send({ touser: 'carol', template_id: 'tpl-vote' })).errcode).toBe(43101);
    expect((await send({ touser: 'carol', template_id: 'tpl-booking' })).errcode).toBe(0);
    standin.script({ subscribeSend: { '*': { errcode: 45009, times: 1 } } });
    expect(await send({ touser: 'dave' })).toEqual({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
    expect((await send({ touser: 'dave' })).errcode).toBe(0);
    standin.script({ subscribeSend: { 'carol:tpl-vote': null } });
    expect((await send({ touser: 'carol', template_id: 'tpl-vote' })).errcode).toBe(0);
    // only accepted sends are kept as messages
    expect(standin.messages().map((m) => m.touser).slice(before)).toEqual(['carol', 'dave', 'carol']);
  });
});

describe('POST /wxa/business/getuserphonenumber', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  let token: string;
  beforeAll(async () => {
    ({ standin, wx } = await start());
    token = (await wx.token({ appid: 'wx-community' })).access_token;
  });
  const ask = async (body: unknown) => (await wx.post(`/wxa/business/getuserphonenumber?access_token=${token}`, body)).json;

  it('turns phone-<11 digits> into that number, watermarked with the appid', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await ask({ code: 'phone-13812345678' });
    expect(res).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13812345678',
        purePhoneNumber: '13812345678',
        countryCode: '86',
        watermark: { timestamp: expect.any(Number), appid: 'wx-community' },
      },
    });
    expect(res.phone_info.watermark.timestamp).toBeGreaterThanOrEqual(before);
    expect(res.phone_info.watermark.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('answers 40029 for other codes, 41008 without one, scripted codes with their errcode', async () => {
    for (const code of ['phone-1381234567', 'phone-138123456789', 'phone-1381234567x', 'abc']) {
      expect(await ask({ code })).toEqual({ errcode: 40029, errmsg: 'invalid code' });
    }
    expect(await ask({})).toEqual({ errcode: 41008, errmsg: 'missing code' });
    standin.script({ getuserphonenumber: { 'phone-13900000000': { errcode: 40029, errmsg: 'code expired' } } });
    expect(await ask({ code: 'phone-13900000000' })).toEqual({ errcode: 40029, errmsg: 'code expired' });
    expect(await ask('code=phone-13812345678')).toEqual({ errcode: 47001, errmsg: 'data format error' });
  });
});

describe('POST /wxa/getwxacodeunlimit', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  let token: string;
  beforeAll(async () => {
    ({ standin, wx } = await start());
    token = (await wx.token()).access_token;
  });
  const code = (body: unknown) => wx.post(`/wxa/getwxacodeunlimit?access_token=${token}`, body);

  it('answers a real PNG (430 px by default) that carries the request', async () => {
    const res = await code({ scene: 'a=12&s=Z9', page: 'pages/checkin/index', env_version: 'develop', check_path: false });
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    expect(res.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const png = readPng(res.bytes);
    expect(png).toMatchObject({ width: 430, height: 430, colorType: 0 });
    expect(png.text).toEqual({
      Software: 'wechat-standin',
      'wxacode:scene': 'a=12&s=Z9',
      'wxacode:page': 'pages/checkin/index',
      'wxacode:env_version': 'develop',
    });
    // a pattern, not a blank square: both shades, mostly
    const shades = new Set(png.pixels);
    expect(shades.size).toBe(2);
  });

  it('draws the same image for the same request and another for another scene', async () => {
    const a = (await code({ scene: 'seat=1' })).bytes;
    const again = (await code({ scene: 'seat=1' })).bytes;
    const b = (await code({ scene: 'seat=2' })).bytes;
    expect(again.equals(a)).toBe(true);
    expect(readPng(b).pixels.equals(readPng(a).pixels)).toBe(false);
  });

  it('clamps width to 280–1280 and makes a transparent background when is_hyaline', async () => {
    expect(readPng((await code({ scene: 'w', width: 100 })).bytes).width).toBe(280);
    expect(readPng((await code({ scene: 'w', width: 5000 })).bytes).width).toBe(1280);
    expect(readPng((await code({ scene: 'w', width: 600 })).bytes).width).toBe(600);
    const clear = readPng((await code({ scene: 'w', is_hyaline: true })).bytes);
    expect(clear.colorType).toBe(4);
    expect(clear.pixels[1]).toBe(0); // the corner is background: alpha 0
  });

  it('accepts every character WeChat allows in a scene, up to 32', async () => {
    for (const scene of ["!#$&'()*+,/:;=?@-._~", 'A'.repeat(32), 'x']) {
      expect((await code({ scene })).type).toBe('image/png');
    }
  });

  it('answers JSON 40169 for a bad scene, 41030 for a bad page', async () => {
    const bad = { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' };
    for (const scene of ['', 'A'.repeat(33), 'a b', '楼栋=1', 'a%20b', 'a"b', 42, undefined]) {
      const res = await code({ scene });
      expect(res.type).toBe('application/json; encoding=utf-8');
      expect(res.json).toEqual(bad);
    }
    for (const page of ['/pages/index/index', 'pages/index/index?x=1', '']) {
      expect((await code({ scene: 's', page })).json).toEqual({ errcode: 41030, errmsg: 'invalid page' });
    }
    expect((await code({ scene: 's', env_version: 'prod' })).json.errcode).toBe(40097);
    expect((await code({ scene: 's', width: '430' })).json.errcode).toBe(47001);
    expect((await code('{')).json.errcode).toBe(47001);
  });

  it('answers scripted errcodes by scene', async () => {
    standin.script({ getwxacodeunlimit: { 'quota=1': 45009 } });
    expect((await code({ scene: 'quota=1' })).json).toEqual({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
    expect((await code({ scene: 'quota=2' })).type).toBe('image/png');
  });
});

describe('test controls and the rest', () => {
  let standin: Standin;
  let wx: ReturnType<typeof client>;
  let dir: string;
  let scriptFile: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'standin-'));
    scriptFile = path.join(dir, 'script.json');
    writeFileSync(scriptFile, JSON.stringify({ jscode2session: { 'test-first': 45011 } }));
    ({ standin, wx } = await start({ scriptPath: scriptFile }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers unknown paths with HTTP 404 and errcode -1', async () => {
    const res = await wx.get('/cgi-bin/token?grant_type=client_credential');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ errcode: -1, errmsg: expect.stringContaining('/cgi-bin/token') });
    expect((await wx.get('/__standin/nothing')).status).toBe(404);
    expect((await wx.get('/__standin/reset')).status).toBe(405);
  });

  it('records calls with query and body, newest last, filtered by path', async () => {
    await wx.login('test-recorded');
    const token = (await wx.token()).access_token;
    await wx.post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'hi', version: 2, scene: 2, openid: 'x' });
    await wx.post(`/wxa/msg_sec_check?access_token=${token}`, 'not json');

    const all = (await wx.get('/__standin/calls')).json.calls;
    expect(all.map((c: { seq: number }) => c.seq)).toEqual([...all.map((c: { seq: number }) => c.seq)].sort((a, b) => a - b));
    const checks = (await wx.get('/__standin/calls?path=/wxa/msg_sec_check')).json.calls;
    expect(checks).toHaveLength(2);
    expect(checks[0]).toEqual({
      seq: expect.any(Number),
      at: expect.any(String),
      method: 'POST',
      path: '/wxa/msg_sec_check',
      query: { access_token: token },
      body: { content: 'hi', version: 2, scene: 2, openid: 'x' },
      status: 200,
      errcode: 0,
    });
    expect(checks[1]).toMatchObject({ body: 'not json', errcode: 47001 });
    const logins = standin.calls('/sns/jscode2session');
    expect(logins.at(-1)).toMatchObject({ method: 'GET', query: { js_code: 'test-recorded' }, body: null, errcode: 0 });
    // control calls are not recorded
    expect(standin.calls().some((c) => c.path.startsWith('/__standin/'))).toBe(false);
  });

  it('merges a script at run time and shows the result', async () => {
    const res = await wx.post('/__standin/script', { jscode2session: { 'test-second': 40226 } });
    expect(res.json.ok).toBe(true);
    const shown = (await wx.get('/__standin/script')).json;
    expect(shown.file).toBe(scriptFile);
    expect(shown.script.jscode2session).toEqual({ 'test-first': 45011, 'test-second': 40226 });
    expect((await wx.login('test-second')).json.errcode).toBe(40226);

    const bad = await wx.post('/__standin/script', { msgSecCheck: [{ contains: 'x', suggest: 'maybe' }] });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ ok: false, error: 'script.msgSecCheck[0].suggest: expected pass, review or risky' });
    expect((await wx.post('/__standin/script', '{')).status).toBe(400);
    expect(() => standin.script({ nope: 1 })).toThrow(/unknown section/);
  });

  it('resets: reloads the script file, forgets calls, messages and tokens', async () => {
    const token = (await wx.token()).access_token;
    writeFileSync(scriptFile, JSON.stringify({ jscode2session: { 'test-third': 40029 } }));
    expect((await wx.post('/__standin/reset', {})).json).toEqual({ ok: true, file: scriptFile });
    expect(standin.calls()).toEqual([]);
    expect(standin.messages()).toEqual([]);
    expect((await wx.login('test-first')).json.openid).toBe('first');
    expect((await wx.login('test-second')).json.openid).toBe('second');
    expect((await wx.login('test-third')).json.errcode).toBe(40029);
    const check = await wx.post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'x', version: 2, scene: 2, openid: 'x' });
    expect(check.json.errcode).toBe(40001);

    writeFileSync(scriptFile, '{ broken');
    const failed = await wx.post('/__standin/reset', {});
    expect(failed.status).toBe(400);
    expect(failed.json.error).toMatch(/not valid JSON/);
    expect((await wx.login('test-third')).json.errcode).toBe(40029); // the previous script stays
  });
});
