import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'community-api' },
    // Tokens, passwords and codes must never reach the logs.
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken', '*.code'],
      censor: '[redacted]',
    },
  });
}
