import { isApiError, messageOf } from '../services/request';

/** What went wrong with a booking write, and whether 重试 may send it again. */
export interface Failure {
  message: string;
  code: string;
  /** The request may not have arrived (or the server failed): a retry sends the same Idempotency-Key. */
  retry: boolean;
  /** Whom to call (CHANGE_TOO_LATE carries the centre's number). */
  phone: string | null;
}

export function failureOf(e: unknown, fallbackPhone: string | null = null): Failure {
  const code = isApiError(e) ? e.code : '';
  const status = isApiError(e) ? e.status : 0;
  const phone = isApiError(e) && typeof e.details?.contactPhone === 'string' ? e.details.contactPhone : null;
  return {
    message: messageOf(e),
    code,
    retry: status === 0 || status >= 500 || code === 'IDEMPOTENCY_IN_PROGRESS',
    phone: phone ?? (code === 'CHANGE_TOO_LATE' ? fallbackPhone : null),
  };
}
