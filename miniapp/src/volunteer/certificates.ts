import { api, downloadFile } from '../services/request';

/**
 * 志愿服务记录证明 (民政部令第67号): the API's /certificates routes, as the
 * volunteer's page uses them. Kept beside the page while the certificate
 * module is new; the shapes follow api/src/modules/certificate/schemas.ts.
 */

export interface CertificateIssued {
  serial: string;
  verifyUrl: string;
  downloadUrl: string;
  issuedAt: string;
  totalMinutes: number;
  serviceCount: number;
  /** false: the record has not changed since the last one, which comes back. */
  created: boolean;
}

export interface CertificateMine {
  serial: string;
  status: 'valid' | 'revoked';
  issuedAt: string;
  issuer: string;
  totalMinutes: number;
  serviceCount: number;
  idNumberMasked: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  verifyUrl: string;
  downloadUrl: string;
}

const id = encodeURIComponent;

export const CertificateApi = {
  /** The ID number in the volunteer profile is printed when none is given. */
  issue: (key: string) => api.post<CertificateIssued>('/api/v1/certificates', {}, { header: { 'Idempotency-Key': key } }),
  mine: () => api.get<{ items: CertificateMine[] }>('/api/v1/certificates/mine'),
  /** The PDF: saved by the browser, opened in WeChat (转发, 打印). */
  download: (serial: string) => downloadFile(`/api/v1/certificates/${id(serial)}/pdf`, { filename: `志愿服务记录证明_${serial}.pdf`, fileType: 'pdf' }),
};
