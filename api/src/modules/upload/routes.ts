import { z } from 'zod';
import { uploadId } from '@community/shared';
import { actorOf, defineRoute, FileResponse } from '../../http/route.js';
import type { Services } from '../services.js';
import { PHOTO_TYPES } from './service.js';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export function uploadRoutes({ uploads }: Services) {
  return [
    defineRoute({
      method: 'post',
      path: '/uploads',
      tag: 'upload',
      summary: '上传一张照片（JPG/PNG/WebP，最大5MB；请求体就是照片本身）',
      access: 'signedIn',
      rawBody: { maxBytes: PHOTO_MAX_BYTES, contentTypes: PHOTO_TYPES },
      // Per address: generous, since a whole estate may share one carrier NAT address.
      rateLimit: { bucket: 'upload', limit: 300, windowSeconds: 60 },
      response: z.object({ id: uploadId, url: z.string(), contentType: z.string(), size: z.number() }),
      successStatus: 201,
      handler: (req) => uploads.savePhoto(actorOf(req), req.header('Content-Type').split(';')[0]!.trim().toLowerCase(), req.rawBody!),
    }),
    defineRoute({
      method: 'get',
      path: '/uploads/:uploadId',
      tag: 'upload',
      summary: '查看自己上传的照片（发送表单前预览）；别人的照片通过它所在的问题、议题或推荐查看',
      access: 'signedIn',
      params: z.strictObject({ uploadId }),
      handler: async (req) => {
        const file = await uploads.read(actorOf(req), req.params.uploadId);
        return new FileResponse(file.data, file.contentType);
      },
    }),
  ];
}
