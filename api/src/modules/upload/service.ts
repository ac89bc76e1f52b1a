import { createHash, randomBytes } from 'node:crypto';
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

/**
 * What a module calls the object a photo is attached to: `case:<id>`,
 * `topic:<id>`, `nomination:<id>`, `poll:<pollId>|<unitKey>` (a paper
 * ballot's evidence). The module that serves the photo asks for it by the
 * same name.
 */
export type PhotoHolder = `${'case' | 'topic' | 'nomination' | 'poll'}:${string}`;

const LEGACY = /^[0-9a-f]{24}$/;
const CURRENT = /^[0-9a-f]{32}$/;

/** How an id is stored: photos from before random ids kept their ObjectId. Anything else matches nothing. */
function keyOf(id: string): string | Types.ObjectId | null {
  if (CURRENT.test(id)) return id;
  if (LEGACY.test(id)) return new Types.ObjectId(id);
  return null;
}

/** A photo's id as views put it in URLs, whichever way it is stored. */
export const photoIdOf = (id: unknown): string => (id instanceof Types.ObjectId ? id.toHexString() : String(id));

/** One answer for "no such photo" and "not yours to see", so a refusal says nothing about what exists. */
const noPhoto = () => new AppError('NOT_FOUND', '没有找到这张照片');

export function createUploadService(store: FileStore) {
  async function load(id: string): Promise<UploadDoc | null> {
    const key = keyOf(id);
    return key === null ? null : Upload.findById(key).lean<UploadDoc>();
  }

  async function bytesOf(doc: UploadDoc): Promise<{ data: Buffer; contentType: string }> {
    const data = await store.get(photoIdOf(doc._id));
    if (!data) throw noPhoto();
    return { data, contentType: doc.contentType };
  }

  async function release(ids: string[], holder: PhotoHolder): Promise<void> {
    const keys = ids.map(keyOf).filter((k) => k !== null);
    if (keys.length) await Upload.updateMany({ _id: { $in: keys }, heldBy: holder }, { $set: { heldBy: null, heldAt: null } });
  }

  return {
    /**
     * Stores a photo checked by its bytes, not its name, under a random id; the
     * metadata is written only after the file is safe on disk.
     */
    async savePhoto(actor: Actor, contentType: string, data: Buffer) {
      const type = contentType as PhotoType;
      if (!PHOTO_TYPES.includes(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 JPG、PNG 或 WebP 格式的照片');
      if (data.length === 0) throw new AppError('VALIDATION_FAILED', '照片是空的，请重新选择');
      if (!looksLike(type, data)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '这个文件不是照片，请重新选择');
      const id = randomBytes(16).toString('hex');
      await store.put(id, data);
      await Upload.create({
        _id: id,
        ownerId: new Types.ObjectId(actor.id),
        communityId: actor.communityId ? new Types.ObjectId(actor.communityId) : null,
        contentType: type,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
      });
      return { id, url: `/api/v1/uploads/${id}`, contentType: type, size: data.length };
    },

    /**
     * Only the uploader reads a photo by its bare id (the preview before the
     * form is sent). Everybody else sees it through the case, topic or
     * nomination that holds it, under that object's rules.
     */
    async read(actor: Actor, uploadId: string): Promise<{ data: Buffer; contentType: string }> {
      const doc = await load(uploadId);
      if (!doc || doc.ownerId.toHexString() !== actor.id) throw noPhoto();
      return bytesOf(doc);
    },

    /**
     * A photo read on behalf of the object holding it, which has already
     * decided the viewer may see it and that the photo is in its list. The
     * photo must also say it is held by that object, so an id copied into
     * another object's list serves nothing. Photos from before attaching was
     * recorded (ObjectId ids, never marked) are trusted to the list alone.
     */
    async readHeld(uploadId: string, holder: PhotoHolder): Promise<{ data: Buffer; contentType: string }> {
      const doc = await load(uploadId);
      const legacy = !!doc && doc._id instanceof Types.ObjectId && !doc.heldBy;
      if (!doc || (doc.heldBy !== holder && !legacy)) throw noPhoto();
      return bytesOf(doc);
    },

    /**
     * Attaches the uploader's own photos to one object, all or none: each
     * photo is claimed by one guarded update, so it can be attached once and
     * never to a second object (two forms sent at once cannot both take it).
     * A retry for the same object finds its photos already its own and goes
     * on. Returns the ids without repeats, in order, to store on the object.
     * Call before the object is written; if writing it fails, `detach`.
     */
    async attach(actor: Actor, uploadIds: string[], holder: PhotoHolder, now = new Date()): Promise<string[]> {
      const ids = [...new Set(uploadIds)];
      const claimed: string[] = [];
      const owner = new Types.ObjectId(actor.id);
      for (const id of ids) {
        const key = keyOf(id);
        const taken = key !== null && (await Upload.updateOne({ _id: key, ownerId: owner, heldBy: null }, { $set: { heldBy: holder, heldAt: now } })).modifiedCount === 1;
        if (taken) {
          claimed.push(id);
          continue;
        }
        const doc = await load(id);
        if (doc && doc.ownerId.equals(owner) && doc.heldBy === holder) continue;
        await release(claimed, holder);
        // Someone else's photo answers like one that does not exist: an id says nothing about other people's photos.
        if (!doc || !doc.ownerId.equals(owner)) throw new AppError('VALIDATION_FAILED', '有照片没有上传成功，请重新选择照片', { fields: { photoIds: ['请删除这张照片，重新选择'] } });
        throw new AppError('VALIDATION_FAILED', '有照片已经用在别的地方了，请重新拍一张或重新选择', { fields: { photoIds: ['请删除这张照片，重新选择'] } });
      }
      return ids;
    },

    /** Undoes `attach` when the object could not be written, so the photos can be used again. */
    detach: release,

    /** For a form that refers to an upload: it must exist and belong to the person submitting it. */
    async isOwnUpload(actor: Actor, uploadId: string): Promise<boolean> {
      const doc = await load(uploadId);
      return !!doc && doc.ownerId.toHexString() === actor.id;
    },
  };
}
