import { z } from 'zod';
import { certificateIssueBody, certificateIssued, certificateMineView, certificateParams, certificateVerification, reason } from '@community/shared';
import { actorOf, defineRoute, FileResponse, Reply } from '../../http/route.js';
import type { Services } from '../services.js';

const organisers = ['community_staff', 'admin'] as const;
/** The address the caller reached the API at (X-Forwarded-* only with TRUST_PROXY): the verification link printed on the certificate. Koa 3's `ctx.origin` is the Origin header, not this. */
const originOf = (req: { koa: { protocol: string; host: string } }) => `${req.koa.protocol}://${req.koa.host}`;

/** 志愿服务记录证明 (民政部令第67号): issue, list, print, verify publicly by serial, revoke. */
export function certificateRoutes({ certificates }: Services) {
  return [
    defineRoute({
      method: 'post',
      path: '/certificates',
      tag: 'certificate',
      summary: '出具志愿服务记录证明（已确认的服务；记录没变时再次申请返回同一份证明）',
      access: 'signedIn',
      body: certificateIssueBody,
      response: certificateIssued,
      idempotent: true,
      handler: async (req) => {
        const issued = await certificates.issue(actorOf(req), req.body, originOf(req));
        return new Reply(issued.created ? 201 : 200, issued);
      },
    }),
    // Before '/certificates/:serial', so "mine" is not taken for a serial number.
    defineRoute({
      method: 'get',
      path: '/certificates/mine',
      tag: 'certificate',
      summary: '我的志愿服务记录证明（身份证号只显示首尾）',
      access: 'signedIn',
      response: z.object({ items: z.array(certificateMineView) }),
      handler: async (req) => ({ items: await certificates.mine(actorOf(req), originOf(req)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/certificates/:serial/pdf',
      tag: 'certificate',
      summary: '下载证明 PDF（本人或本社区工作人员）',
      access: 'signedIn',
      params: certificateParams,
      handler: async (req) =>
        new FileResponse(await certificates.pdf(actorOf(req), req.params.serial, originOf(req)), 'application/pdf', `志愿服务记录证明_${req.params.serial}.pdf`),
    }),
    defineRoute({
      method: 'get',
      path: '/certificates/:serial',
      tag: 'certificate',
      summary: '凭编号在线核验证明（无需登录）：是否有效、姓名（隐去中间字）、出具日期、时长和次数、出具单位',
      access: 'public',
      params: certificateParams,
      response: certificateVerification,
      rateLimit: { bucket: 'certificate-verify', limit: 60, windowSeconds: 60 },
      handler: (req) => certificates.verify(req.params.serial),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/certificates/:serial/revoke',
      tag: 'certificate-staff',
      summary: '撤销证明（写明原因；核验时显示撤销日期和原因）',
      access: organisers,
      params: certificateParams,
      body: z.strictObject({ reason: reason('撤销原因') }),
      response: certificateVerification,
      handler: (req) => certificates.revoke(actorOf(req), req.params.serial, req.body.reason),
    }),
  ];
}
