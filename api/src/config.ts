import { z } from 'zod';

/**
 * Every setting comes from the environment and is checked once at start-up; a
 * bad value stops the process with a message naming the variable. Nothing else
 * in the API reads process.env.
 */
const DEV_JWT_SECRET = 'development-only-secret-not-for-production-use';
const DEV_WX_SECRET = 'development-only-appsecret';
const DEV_BALLOT_KEY = 'development-only-ballot-key-not-for-production';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

const envSchema = z
  .object({
    // Unset or anything but development/test counts as production: the development defaults below are
    // public (they are in this file), so a server started without NODE_ENV must not fall back on them.
    NODE_ENV: z
      .string()
      .optional()
      .transform((v): 'development' | 'test' | 'production' => (v === 'development' || v === 'test' ? v : 'production')),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('community'),
    JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    WX_API_BASE: z.url().default('https://api.weixin.qq.com'),
    WX_APPID: z.string().min(1).default('touristappid'),
    WX_APPSECRET: z.string().min(1).default(DEV_WX_SECRET),
    // Subscribe-message template ids, as registered for the mini-program in WeChat's console.
    WX_TEMPLATE_BOOKING_RESULT: z.string().min(1).max(64).default('dev-booking-result'),
    WX_TEMPLATE_BOOKING_REMINDER: z.string().min(1).max(64).default('dev-booking-reminder'),
    CORS_ORIGINS: z
      .string()
      .default('http://127.0.0.1:10086,http://localhost:10086')
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
    TRUST_PROXY: bool.default(false),
    // Password logins per client address (sliding minute). WeChat logins are counted apart and far more
    // generously: a whole estate may reach us from one carrier NAT address.
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(30),
    WECHAT_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(600),
    // Wrong passwords for one account from one address before that address is locked out of it; each
    // further lock doubles (STAFF_LOCK_MINUTES, 2×, 4×… at most a day). Other addresses are not locked.
    STAFF_LOCK_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    STAFF_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    // Wrong passwords for one account from all addresses in a sliding hour before only addresses it has
    // logged in from before may try (a spread-out guesser is stopped, the owner is not locked out).
    STAFF_ACCOUNT_FAILURES_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(50),
    // How long a write's first answer is kept for a retry with the same Idempotency-Key.
    IDEMPOTENCY_KEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEV_PERSONAS: bool.optional(),
    // Keys the ids of cast ballots: without it nothing in the database links a secret ballot to its voter.
    BALLOT_KEY: z.string().min(32).default(DEV_BALLOT_KEY),
    // After a poll closes, requests already under way get this long to finish before the result is sealed and published.
    POLL_PUBLISH_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    // How many residents' support puts a topic on the council's agenda.
    TOPIC_SUPPORT_THRESHOLD: z.coerce.number().int().min(2).max(10000).default(20),
    // Keys the city hotline (12345) uses to create requests through Open311; comma-separated. Empty: writes refused.
    OPEN311_API_KEYS: z
      .string()
      .optional()
      .transform((s) => (s ?? '').split(',').map((k) => k.trim()).filter(Boolean)),
    UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
    WX_TEMPLATE_POLL_REMINDER: z.string().min(1).max(64).default('dev-poll-reminder'),
    // Where the H5 app is served (its index page); the certificate's verification link opens its 核验 page there. Unset: the address the API was reached at (H5 and API on one origin).
    PUBLIC_H5_URL: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const outsideDev = 'NODE_ENV is not development or test, so this';
    if (env.JWT_SECRET === DEV_JWT_SECRET || env.JWT_SECRET.startsWith('development-only')) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: `${outsideDev} must be set to a secret of 32+ characters` });
    }
    if (env.WX_APPSECRET === DEV_WX_SECRET || env.WX_APPSECRET.startsWith('development-only')) {
      ctx.addIssue({ code: 'custom', path: ['WX_APPSECRET'], message: `${outsideDev} must be set to the mini-program's AppSecret` });
    }
    if (env.BALLOT_KEY === DEV_BALLOT_KEY || env.BALLOT_KEY.startsWith('development-only')) {
      ctx.addIssue({ code: 'custom', path: ['BALLOT_KEY'], message: `${outsideDev} must be set to a secret of 32+ characters` });
    }
    if (env.BALLOT_KEY === env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['BALLOT_KEY'], message: 'must differ from JWT_SECRET (each key protects something else)' });
    }
    if (env.DEV_PERSONAS) {
      ctx.addIssue({ code: 'custom', path: ['DEV_PERSONAS'], message: `${outsideDev} cannot enable demo logins` });
    }
    if (env.OPEN311_API_KEYS.some((k) => k.length < 24 || k.startsWith('dev-'))) {
      ctx.addIssue({ code: 'custom', path: ['OPEN311_API_KEYS'], message: `${outsideDev} needs keys of 24+ characters (none set: Open311 writes are refused)` });
    }
  });

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  mongodbUri: string;
  mongodbDb: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  wechat: { apiBase: string; appid: string; secret: string; templates: { bookingResult: string; bookingReminder: string; pollReminder: string } };
  ballotKey: string;
  uploadDir: string;
  open311ApiKeys: string[];
  topicSupportThreshold: number;
  pollPublishGraceMs: number;
  corsOrigins: string[];
  trustProxy: boolean;
  loginRateLimitPerMinute: number;
  wechatLoginRateLimitPerMinute: number;
  staffLockAfterFailures: number;
  staffLockMinutes: number;
  staffAccountFailuresPerHour: number;
  idempotencyKeepMinutes: number;
  logLevel: string;
  devPersonas: boolean;
  publicH5Url: string | null;
}

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    wechat: {
      apiBase: e.WX_API_BASE.replace(/\/+$/, ''),
      appid: e.WX_APPID,
      secret: e.WX_APPSECRET,
      templates: {
        bookingResult: e.WX_TEMPLATE_BOOKING_RESULT,
        bookingReminder: e.WX_TEMPLATE_BOOKING_REMINDER,
        pollReminder: e.WX_TEMPLATE_POLL_REMINDER,
      },
    },
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    staffLockAfterFailures: e.STAFF_LOCK_AFTER_FAILURES,
    staffLockMinutes: e.STAFF_LOCK_MINUTES,
    wechatLoginRateLimitPerMinute: e.WECHAT_LOGIN_RATE_LIMIT_PER_MINUTE,
    staffAccountFailuresPerHour: e.STAFF_ACCOUNT_FAILURES_PER_HOUR,
    idempotencyKeepMinutes: e.IDEMPOTENCY_KEEP_MINUTES,
    logLevel: e.LOG_LEVEL,
    devPersonas: e.DEV_PERSONAS ?? e.NODE_ENV !== 'production',
    ballotKey: e.BALLOT_KEY,
    uploadDir: e.UPLOAD_DIR,
    // Development and tests get a known key; production has none until one is configured.
    open311ApiKeys: e.OPEN311_API_KEYS.length || e.NODE_ENV === 'production' ? e.OPEN311_API_KEYS : ['dev-open311-key'],
    topicSupportThreshold: e.TOPIC_SUPPORT_THRESHOLD,
    pollPublishGraceMs: e.POLL_PUBLISH_GRACE_SECONDS * 1000,
    publicH5Url: e.PUBLIC_H5_URL ? e.PUBLIC_H5_URL.replace(/\/+$/, '') : null,
  };
}
