import '../zod-setup.js';
import { z } from 'zod';

export const objectId = z
  .string({ error: '编号必须是文字' })
  .regex(/^[0-9a-f]{24}$/, '编号格式不正确');

/**
 * An uploaded photo's id: 32 random hex characters, so nobody finds another
 * person's photo by counting. 24 hex characters are the ObjectIds of photos
 * uploaded before that: still accepted, so a form filled in across the change
 * can be sent (each upload is checked against its uploader anyway).
 */
export const uploadId = z
  .string({ error: '照片编号必须是文字' })
  .regex(/^(?:[0-9a-f]{32}|[0-9a-f]{24})$/, '照片编号格式不正确');

export const isoDateTime = z.string().meta({ format: 'date-time', description: 'ISO 8601 带时区' });

/** Lists are paged by an opaque cursor; a limit above 100 is refused rather than clamped. */
export const listQuery = z.strictObject({
  limit: z.coerce.number({ error: '每页条数必须是数字' }).int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const okResponse = z.object({ ok: z.literal(true) });

/** Mainland mobile number, 11 digits starting with 1. */
export const mobilePhone = z.string().regex(/^1[3-9]\d{9}$/, '请填写11位手机号');

export const reason = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `${label}至少2个字`)
    .max(200, `${label}最多200个字`);
