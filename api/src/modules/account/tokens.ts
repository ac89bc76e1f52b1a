import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../app-error.js';

const ISSUER = 'community-api';
const AUDIENCE = 'community-app';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** The user's tokenVersion when the token was issued. */
  version: number;
}

export function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): { token: string; expiresAt: Date } {
  const token = jwt.sign({ sid: claims.sessionId, ver: claims.version, typ: 'access' }, secret, {
    algorithm: 'HS256',
    subject: claims.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

/** Verifies signature, algorithm, issuer, audience and expiry; anything off is a 401. */
export function verifyAccessToken(token: string, secret: string): AccessClaims {
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    if (typeof decoded === 'string') throw new AppError('UNAUTHENTICATED');
    payload = decoded;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED');
    throw new AppError('UNAUTHENTICATED', '登录信息无效，请重新登录');
  }
  if (payload.typ !== 'access' || typeof payload.sub !== 'string' || !/^[0-9a-f]{24}$/.test(payload.sub) || typeof payload.sid !== 'string') {
    throw new AppError('UNAUTHENTICATED', '登录信息无效，请重新登录');
  }
  const version = typeof payload.ver === 'number' && Number.isInteger(payload.ver) ? payload.ver : 0;
  return { userId: payload.sub, sessionId: payload.sid, version };
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSessionId(): string {
  return randomUUID();
}
