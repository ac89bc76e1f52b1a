import { isApiError, messageOf } from '../services/request';

/** What went wrong with a write, and whether 重试 may send it again with the same Idempotency-Key. */
export interface Failure {
  message: string;
  code: string;
  retry: boolean;
}

export function failureOf(e: unknown): Failure {
  const code = isApiError(e) ? e.code : '';
  const status = isApiError(e) ? e.status : 0;
  return { message: messageOf(e), code, retry: status === 0 || status >= 500 || code === 'IDEMPOTENCY_IN_PROGRESS' };
}
