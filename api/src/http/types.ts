import type { Role, UserView } from '@community/shared';
import type { Logger } from '../logger.js';

/** The person behind a request, as the guards and services see them. */
export interface Actor {
  id: string;
  roles: Role[];
  communityId: string | null;
  gridIds: string[];
  propertyCompanyId: string | null;
  kind: 'wechat' | 'staff';
  /** The login session the access token belongs to (absent for actors built outside a request: seed, jobs). */
  sessionId?: string;
  /** The profile as loaded for this request, so /me need not read the user twice. */
  profile: UserView;
}

export interface AppState {
  requestId: string;
  log: Logger;
  actor?: Actor;
  /** Set by the router for `unlinkable` routes: the request log leaves out who and which object. */
  unlinkable?: { pattern: string };
}
