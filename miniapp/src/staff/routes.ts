/** The admin pages of the staff subpackage (the shared routes live in services/navigate.ts). */
export const AdminRoutes = {
  imports: '/staff/imports/index',
  people: '/staff/people/index',
  grids: '/staff/grids/index',
  buildings: '/staff/buildings/index',
} as const;
