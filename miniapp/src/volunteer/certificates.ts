import type { CertificateIssued, CertificateMine, CertificateVerification } from '@community/shared';
import { api, downloadFile, request } from '../services/request';

/**
 * 志愿服务记录证明 (民政部令第67号): the API's /certificates routes, as the
 * volunteer's pages use them; the shapes are the shared schemas the API answers with.
 */
export type { CertificateIssued, CertificateMine, CertificateVerification };

const id = encodeURIComponent;

export const CertificateApi = {
  /** The ID number in the volunteer profile is printed when none is given. */
  issue: (key: string) => api.post<CertificateIssued>('/api/v1/certificates', {}, { header: { 'Idempotency-Key': key } }),
  mine: () => api.get<{ items: CertificateMine[] }>('/api/v1/certificates/mine'),
  /** The PDF: saved by the browser, opened in WeChat (转发, 打印). */
  download: (serial: string) => downloadFile(`/api/v1/certificates/${id(serial)}/pdf`, { filename: `志愿服务记录证明_${serial}.pdf`, fileType: 'pdf' }),
  /** Anyone holding the serial number checks it: no sign-in, no token sent. */
  verify: (serial: string) => request<CertificateVerification>(`/api/v1/certificates/${id(serial)}`, { method: 'GET', auth: false }),
};
