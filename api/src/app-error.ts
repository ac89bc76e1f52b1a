import { errorCatalogue, type ErrorCode } from '@community/shared';

/**
 * The one error type of the API. Services throw it with a code from the shared
 * catalogue; the error handler turns it into `{ error: { code, message, details } }`
 * with the catalogue's status. Services never pick HTTP statuses themselves.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }
}
