/**
 * Roles a person can hold. `resident` and `owner` follow from approved room
 * bindings; the staff roles are granted by an admin.
 */
export const roles = [
  'resident',
  'owner',
  'volunteer',
  'grid_worker',
  'community_staff',
  'property_staff',
  'admin',
] as const;

export type Role = (typeof roles)[number];

export const staffRoles = ['grid_worker', 'community_staff', 'property_staff', 'admin'] as const satisfies readonly Role[];

export const roleLabels: Record<Role, string> = {
  resident: '居民',
  owner: '业主',
  volunteer: '志愿者',
  grid_worker: '网格员',
  community_staff: '社区工作人员',
  property_staff: '物业人员',
  admin: '管理员',
};

export function isStaff(userRoles: readonly Role[]): boolean {
  return userRoles.some((r) => (staffRoles as readonly Role[]).includes(r));
}

export const bindingRelations = ['owner', 'family', 'tenant'] as const;
export type BindingRelation = (typeof bindingRelations)[number];
export const bindingRelationLabels: Record<BindingRelation, string> = {
  owner: '业主',
  family: '家庭成员',
  tenant: '租户',
};

export const bindingStatuses = ['pending', 'approved', 'rejected', 'revoked', 'withdrawn'] as const;
export type BindingStatus = (typeof bindingStatuses)[number];
export const bindingStatusLabels: Record<BindingStatus, string> = {
  pending: '待审核',
  approved: '已绑定',
  rejected: '未通过',
  revoked: '已解除',
  withdrawn: '已撤回',
};

export const bindingOwnerMatches = ['phone', 'invitation', 'name', 'none'] as const;
export type BindingOwnerMatch = (typeof bindingOwnerMatches)[number];
export const bindingReviewPaths = ['auto', 'staff', 'two_staff'] as const;
export type BindingReviewPath = (typeof bindingReviewPaths)[number];
