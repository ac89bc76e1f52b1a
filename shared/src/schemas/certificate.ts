import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime } from './common.js';
import { isValidIdNumber } from './activity.js';

/** ZYFW-2026-000123 (six digits; more once a year passes 999,999). */
export const certificateSerialPattern = /^ZYFW-\d{4}-\d{6,9}$/;
export const certificateParams = z.strictObject({ serial: z.string().regex(certificateSerialPattern, '证明编号格式不正确，应为 ZYFW-年份-六位数字') });

export const certificateIssueBody = z
  .strictObject({
    /** 居民身份证号, printed in full on the certificate only; omitted: the one in the volunteer profile, if any. */
    idNumber: z
      .string({ error: '身份证号必须是文字' })
      .trim()
      .toUpperCase()
      .refine(isValidIdNumber, '身份证号不正确，请核对（18位，最后一位可能是X）')
      .optional(),
  })
  .meta({ id: 'CertificateIssueBody' });
export type CertificateIssueBody = z.infer<typeof certificateIssueBody>;

export const certificateIssued = z
  .object({
    serial: z.string(),
    /** Anyone can open it to check the certificate (no sign-in). */
    verifyUrl: z.string(),
    /** Below the API's address; needs the owner's (or community staff's) token. */
    downloadUrl: z.string(),
    issuedAt: isoDateTime,
    totalMinutes: z.number(),
    serviceCount: z.number(),
    /** false: the same record was certified before and that certificate is returned. */
    created: z.boolean(),
  })
  .meta({ id: 'CertificateIssued' });
export type CertificateIssued = z.infer<typeof certificateIssued>;

export const certificateMineView = z
  .object({
    serial: z.string(),
    status: z.enum(['valid', 'revoked']),
    issuedAt: isoDateTime,
    issuer: z.string(),
    totalMinutes: z.number(),
    serviceCount: z.number(),
    idNumberMasked: z.string().nullable(),
    revokedAt: isoDateTime.nullable(),
    revokedReason: z.string().nullable(),
    verifyUrl: z.string(),
    downloadUrl: z.string(),
  })
  .meta({ id: 'CertificateMine' });
export type CertificateMine = z.infer<typeof certificateMineView>;

/** What anyone holding the serial number sees: no ID number, no phone, the name masked. */
export const certificateVerification = z
  .object({
    serial: z.string(),
    status: z.enum(['valid', 'revoked']),
    statusText: z.string(),
    name: z.string().meta({ description: '姓名（隐去中间字，如 王*英）' }),
    issuedOn: z.string().meta({ description: '出具日期 YYYY-MM-DD' }),
    issuer: z.string(),
    totalMinutes: z.number(),
    totalHours: z.number(),
    serviceCount: z.number(),
    /** Each service as printed (date, activity, organiser, minutes): the reader can compare it with the paper. */
    services: z.array(z.object({ date: z.string(), activityTitle: z.string(), organiser: z.string(), minutes: z.number() })),
    revokedOn: z.string().nullable(),
    revokedReason: z.string().nullable(),
  })
  .meta({ id: 'CertificateVerification' });
export type CertificateVerification = z.infer<typeof certificateVerification>;
