import type { TokenPair } from '@community/shared';
import { readJson, remove, StorageKeys, writeJson } from './storage';

/**
 * The access/refresh token pair, kept in memory and mirrored to storage so a
 * restart of the mini-program does not ask for a new login.
 */
let current: TokenPair | null | undefined;
const listeners = new Set<() => void>();

export function getTokens(): TokenPair | null {
  if (current === undefined) current = readJson<TokenPair>(StorageKeys.tokens);
  return current;
}

export function setTokens(pair: TokenPair): void {
  current = {
    accessToken: pair.accessToken,
    accessTokenExpiresAt: pair.accessTokenExpiresAt,
    refreshToken: pair.refreshToken,
    refreshTokenExpiresAt: pair.refreshTokenExpiresAt,
  };
  writeJson(StorageKeys.tokens, current);
  listeners.forEach((l) => l());
}

export function clearTokens(): void {
  current = null;
  remove(StorageKeys.tokens);
  listeners.forEach((l) => l());
}

export function onTokensChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tests start each case from storage again. */
export function resetTokenCache(): void {
  current = undefined;
}
