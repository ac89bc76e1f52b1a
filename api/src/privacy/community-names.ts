import type { Types } from 'mongoose';
import { User } from '../modules/account/models.js';
import { Case } from '../modules/case/models.js';
import { Binding, Invitation } from '../modules/space/models.js';
import { KnownNames } from './scrub.js';

/**
 * Every name the community has stored for a person — residents' real names on
 * their room bindings and invitations, the nicknames and display names of
 * residents and staff, the reporters of its cases (hotline callers included) — so public text can mask them wherever a resident or a
 * desk wrote them. Read at most every few minutes per community: a public page
 * must not cost a scan of the users per request.
 */
const FRESH_MS = 5 * 60_000;
const CHUNK = 500;
const cache = new Map<string, { at: number; names: Promise<string[]> }>();

async function load(communityId: Types.ObjectId): Promise<string[]> {
  const names = new Set<string>();
  const add = (n: unknown) => {
    if (typeof n === 'string' && n.trim()) names.add(n.trim());
  };
  const [bindings, invitations, members, reporters] = await Promise.all([
    Binding.find({ communityId }).select({ realName: 1, userId: 1 }).limit(100_000).lean<{ realName: string; userId: Types.ObjectId }[]>(),
    Invitation.find({ communityId }).select({ realName: 1 }).limit(100_000).lean<{ realName: string }[]>(),
    User.find({ communityId }).select({ nickname: 1, displayName: 1 }).limit(100_000).lean<{ nickname: string; displayName: string | null }[]>(),
    // Hotline callers exist nowhere else: their name is stored only on their case.
    Case.find({ communityId }).select({ reporterName: 1 }).limit(200_000).lean<{ reporterName: string }[]>(),
  ]);
  for (const r of reporters) add(r.reporterName);
  for (const b of bindings) add(b.realName);
  for (const i of invitations) add(i.realName);
  for (const u of members) {
    add(u.nickname);
    add(u.displayName);
  }
  // Residents are tied to the community by their bindings, not always by users.communityId.
  const ids = [...new Set(bindings.map((b) => b.userId.toHexString()))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const users = await User.find({ _id: { $in: ids.slice(i, i + CHUNK) } })
      .select({ nickname: 1, displayName: 1 })
      .lean<{ nickname: string; displayName: string | null }[]>();
    for (const u of users) {
      add(u.nickname);
      add(u.displayName);
    }
  }
  return [...names];
}

export async function communityNames(communityId: Types.ObjectId, now = Date.now()): Promise<string[]> {
  const key = communityId.toHexString();
  const hit = cache.get(key);
  if (hit && now - hit.at < FRESH_MS) return hit.names;
  const names = load(communityId);
  cache.set(key, { at: now, names });
  // A failed read is not kept: the next request tries again.
  names.catch(() => cache.delete(key));
  return names;
}

/** The community's names plus those only this answer knows of (the reporters and handlers of the cases shown). */
export async function knownNamesFor(communityId: Types.ObjectId, extra: Iterable<string | null | undefined> = []): Promise<KnownNames> {
  const names = new KnownNames(await communityNames(communityId));
  for (const n of extra) names.add(n);
  return names;
}

/** For tests that seed a name and read the public feed at once. */
export function forgetCommunityNames(): void {
  cache.clear();
}
