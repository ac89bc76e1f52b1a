import {
  loginResponse,
  meView,
  okResponse,
  profileUpdateBody,
  refreshBody,
  staffLoginBody,
  wechatLoginBody,
  type MeView,
  type UserView,
} from '@community/shared';
import type { Config } from '../../config.js';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

export function accountRoutes({ accounts, spaces }: Services, config: Config) {
  // Counted apart: a WeChat login needs a one-time code from WeChat itself, and a whole estate may share
  // one carrier NAT address, so its per-address ceiling is far higher than password logins'.
  const wechatLoginLimit = { bucket: 'login-wechat', limit: config.wechatLoginRateLimitPerMinute, windowSeconds: 60 };
  const staffLoginLimit = { bucket: 'login-staff', limit: config.loginRateLimitPerMinute, windowSeconds: 60 };

  async function me(user: UserView): Promise<MeView> {
    const bindings = await spaces.bindingsOf(user.id);
    return {
      ...user,
      rooms: bindings
        .filter((b) => b.status === 'pending' || b.status === 'approved')
        .map((b) => ({ bindingId: b.id, roomId: b.roomId, label: b.roomLabel, buildingId: b.buildingId, relation: b.relation, status: b.status })),
    };
  }

  return [
    defineRoute({
      method: 'post',
      path: '/auth/wechat',
      tag: 'account',
      summary: '微信登录：用 wx.login 的 code 换取登录凭证',
      access: 'public',
      body: wechatLoginBody,
      response: loginResponse,
      rateLimit: wechatLoginLimit,
      handler: ({ body }) => accounts.loginWithWechat(body.code),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/staff',
      tag: 'account',
      summary: '工作人员用户名密码登录（电脑端）',
      access: 'public',
      body: staffLoginBody,
      response: loginResponse,
      rateLimit: staffLoginLimit,
      handler: ({ body, ip }) => accounts.loginStaff(body.username, body.password, ip),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      tag: 'account',
      summary: '用刷新凭证换一对新凭证（旧的随即作废）',
      access: 'public',
      body: refreshBody,
      response: loginResponse,
      // Like WeChat logins: every signed-in phone behind one NAT address refreshes every quarter hour.
      rateLimit: { bucket: 'refresh', limit: config.wechatLoginRateLimitPerMinute, windowSeconds: 60 },
      handler: ({ body }) => accounts.refresh(body.refreshToken),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      tag: 'account',
      summary: '退出登录，作废这次登录的全部凭证',
      access: 'signedIn',
      body: refreshBody,
      response: okResponse,
      handler: async (req) => {
        await accounts.logout(actorOf(req), req.body.refreshToken);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me',
      tag: 'account',
      summary: '我的资料、身份和房屋',
      access: 'signedIn',
      response: meView,
      handler: (req) => me(actorOf(req).profile),
    }),
    defineRoute({
      method: 'patch',
      path: '/me',
      tag: 'account',
      summary: '修改昵称或姓名',
      access: 'signedIn',
      body: profileUpdateBody,
      response: meView,
      handler: async (req) => me(await accounts.updateProfile(actorOf(req), req.body)),
    }),
  ];
}

