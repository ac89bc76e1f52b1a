import { roleLabels, staffRoles, type Role } from '@community/shared';

/** Roles an admin grants here; 居民 and 业主 follow from approved room bindings. */
export const grantableRoles: readonly Role[] = [...staffRoles, 'volunteer'];
export const derivedRoles: readonly Role[] = ['resident', 'owner'];

export const roleOptions = (list: readonly Role[]) => list.map((r) => ({ value: r, label: roleLabels[r] }));

export function roleText(roles: readonly Role[]): string {
  return roles.length ? roles.map((r) => roleLabels[r]).join('、') : '还没有身份';
}
