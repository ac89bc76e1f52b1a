import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { FileStore } from './storage.js';
import { Upload, type UploadDoc } from './models.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** The first bytes each accepted type must start with: a renamed .exe is not a photo. */
function looksLike(type: PhotoType, data: Buffer): boolean {
  if (type === 'image/jpeg') return data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  if (type === 'image/png') return data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return data.length > 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP';
}

export type UploadService = ReturnType<typeof createUploadService>;

const isStaff = (actor: Actor) => actor.roles.some((r) => r === 'grid_worker' || r === 'community_staff' || r === 'property_staff' || r === 'admin');

export function createUploadService(store: FileStore) {
  return {
    /** Stores a photo checked by its bytes, not its name; the metadata is written only after the file is safe on disk. */
    async savePhoto(actor: Actor, contentType: string, data: Buffer) {
      const type = contentType as PhotoType;
      if (!PHOTO_TYPES.includes(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 JPG、PNG 或 WebP 格式的照片');
      if (data.length === 0) throw new AppError('VALIDATION_FAILED', '照片是空的，请重新选择');
      if (!looksLike(type, data)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '这个文件不是照片，请重新选择');
      const id = new Types.ObjectId();
      await store.put(id.toHexString(), data);
      await Upload.create({
        _id: id,
        ownerId: new Types.ObjectId(actor.id),
        communityId: actor.communityId ? new Types.ObjectId(actor.communityId) : null,
        contentType: type,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
      });
      return { id: id.toHexString(), url: `/api/v1/uploads/${id.toHexString()}`, contentType: type, size: data.length };
    },

    /** The uploader and staff of the same community may see a file; nobody else learns it exists. */
    async read(actor: Actor, uploadId: string): Promise<{ data: Buffer; contentType: string }> {
      const doc = await Upload.findById(uploadId).lean<UploadDoc>();
      const sameCommunity = !!doc?.communityId && doc.communityId.toHexString() === actor.communityId;
      const mayRead = doc && (doc.ownerId.toHexString() === actor.id || (sameCommunity && (isStaff(actor) || doc.visibility === 'community')));
      if (!doc || !mayRead) throw new AppError('NOT_FOUND', '没有找到这张照片');
      const data = await store.get(uploadId);
      if (!data) throw new AppError('NOT_FOUND', '这张照片已经不在了');
      return { data, contentType: doc.contentType };
    },

    /**
     * A photo read on behalf of the module it is attached to, which has already
     * decided the viewer may see it (a case's photos are for the case's
     * followers too, not only the uploader and staff).
     */
    async readAttached(uploadId: string): Promise<{ data: Buffer; contentType: string }> {
      const doc = await Upload.findById(uploadId).lean<UploadDoc>();
      const data = doc ? await store.get(uploadId) : null;
      if (!doc || !data) throw new AppError('NOT_FOUND', '这张照片已经不在了');
      return { data, contentType: doc.contentType };
    },

    /**
     * Attaches the uploader's own photos to something the community sees (a
     * topic): all must be theirs, or none is shared.
     */
    async shareWithCommunity(actor: Actor, uploadIds: string[]): Promise<void> {
      if (uploadIds.length === 0) return;
      const ids = [...new Set(uploadIds)];
      for (const id of ids) {
        if (!(await this.isOwnUpload(actor, id))) throw new AppError('VALIDATION_FAILED', '有照片没有上传成功，请重新选择照片');
      }
      for (const id of ids) await Upload.updateOne({ _id: id, ownerId: new Types.ObjectId(actor.id) }, { $set: { visibility: 'community' } });
    },

    /** For a form that refers to an upload: it must exist and belong to the person submitting it. */
    async isOwnUpload(actor: Actor, uploadId: string): Promise<boolean> {
      const doc = await Upload.findById(uploadId).select({ ownerId: 1 }).lean<UploadDoc>();
      return !!doc && doc.ownerId.toHexString() === actor.id;
    },
  };
}
