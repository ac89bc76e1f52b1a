/**
 * The demo community's people. The WeChat stand-in turns a login code
 * `test-<openid>` into that openid, so each persona logs in with its code; the
 * development-only persona picker of the H5 app lists them.
 */
export interface Persona {
  openid: string;
  label: string;
  description: string;
}

export const residentPersonas: Persona[] = [
  { openid: 'demo-owner-wang', label: '王秀英', description: '业主，名下3套房（1号楼）' },
  { openid: 'demo-elder-liu', label: '刘桂兰', description: '业主，72岁，独居（5号楼）' },
  { openid: 'demo-family-li', label: '李建国', description: '家庭成员（1号楼，王秀英家）' },
  { openid: 'demo-tenant-zhao', label: '赵磊', description: '租户（9号楼）' },
  { openid: 'demo-newcomer-chen', label: '陈静', description: '刚搬来，还没绑定房屋' },
];

export interface StaffPersona {
  username: string;
  displayName: string;
  roles: ('grid_worker' | 'community_staff' | 'property_staff' | 'admin')[];
  /** Grid code for grid workers. */
  grid?: string;
  /** Grid workers also use the mini-program on their phones. */
  openid?: string;
  description: string;
}

export const DEMO_STAFF_PASSWORD = 'community2026';

export const staffPersonas: StaffPersona[] = [
  { username: 'admin', displayName: '马主任', roles: ['admin', 'community_staff'], description: '社区管理员' },
  { username: 'centre', displayName: '孙晓燕', roles: ['community_staff'], description: '便民服务中心工作人员' },
  { username: 'grid1', displayName: '周海涛', roles: ['grid_worker'], grid: '第一网格', openid: 'demo-grid-1', description: '第一网格网格员（1—4号楼）' },
  { username: 'grid2', displayName: '吴丽娟', roles: ['grid_worker'], grid: '第二网格', openid: 'demo-grid-2', description: '第二网格网格员（5—8号楼）' },
  { username: 'grid3', displayName: '郑志强', roles: ['grid_worker'], grid: '第三网格', openid: 'demo-grid-3', description: '第三网格网格员（9—12号楼）' },
  { username: 'property', displayName: '钱伟', roles: ['property_staff'], description: '金城物业客服' },
];
