import type {
  AuthorityCreateBody,
  AuthorityView,
  BindingRequestBody,
  BindingView,
  BookingView,
  BuildingView,
  InboxMessageView,
  MatterStatus,
  MatterView,
  RatingBody,
  ServiceCreateBody,
  ServiceUpdateBody,
  ServiceView,
  SlotView,
  ImportReport,
  InvitationCreateBody,
  LoginResponse,
  MeView,
  Role,
  RoomView,
  StaffLoginBody,
  StaffUserCreateBody,
  UnitView,
  UserView,
  serviceStats,
} from '@community/shared';
import type { z } from 'zod';
import { api, downloadFile } from './request';

/** Typed calls to the API, one line each; the shapes come from shared/. */

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface InvitationIssued {
  code: string;
  roomLabel: string;
  expiresAt: string;
}

/** A grid as GET /staff/grids lists it (shared `gridView`). */
export interface GridItem {
  id: string;
  name: string;
  code: string;
  workerIds: string[];
}

export interface PropertyCompany {
  id: string;
  name: string;
}

/** The two file kinds the room import reads. */
export type ImportContentType = 'text/csv' | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const id = encodeURIComponent;

/** A resident as the window's 代约 search finds them (shared `residentSearchResult`). */
export interface ResidentFound {
  id: string;
  name: string;
  rooms: string[];
  phoneMasked: string | null;
}

export interface AuthorityCandidate {
  id: string;
  name: string;
  relation: 'family' | 'grid_worker';
}

export type BookingScope = 'upcoming' | 'past' | 'waitlisted' | 'all';

/** One service's figures for a period (shared `serviceStats`); the average rating is ratingSum / ratingCount. */
export type ServiceStatsRow = z.infer<typeof serviceStats>;

export type FollowUpStatus = 'open' | 'done';

/** A poor rating (不满意 or 非常不满意) to call the resident back about, as GET /staff/follow-ups lists it. */
export interface FollowUpView {
  id: string;
  bookingId: string;
  serviceName: string;
  startAt: string | null;
  residentName: string | null;
  level: number;
  comment: string | null;
  status: FollowUpStatus;
  resolution: string | null;
}

/** Writes the API replays for a repeated Idempotency-Key (booking, cancel, reschedule). */
const once = (key: string) => ({ header: { 'Idempotency-Key': key } });

export const Api = {
  wechatLogin: (code: string) => api.post<LoginResponse>('/api/v1/auth/wechat', { code }, { auth: false }),
  staffLogin: (body: StaffLoginBody) => api.post<LoginResponse>('/api/v1/auth/staff', body, { auth: false }),
  logout: (refreshToken: string) => api.post<unknown>('/api/v1/auth/logout', { refreshToken }, { auth: false }),
  me: () => api.get<MeView>('/api/v1/me'),
  authorities: () => api.get<{ given: AuthorityView[]; received: AuthorityView[] }>('/api/v1/authorities'),
  authorityCandidates: () => api.get<Page<AuthorityCandidate>>('/api/v1/authorities/candidates'),
  grantAuthority: (body: AuthorityCreateBody) => api.post<AuthorityView>('/api/v1/authorities', body),
  revokeAuthority: (id: string) => api.post<AuthorityView>(`/api/v1/authorities/${encodeURIComponent(id)}/revoke`),
  subscriptionTemplates: () => api.get<{ bookingResult: string; bookingReminder: string }>('/api/v1/subscriptions/templates'),
  recordSubscriptions: (accepted: string[]) => api.post<{ credits: Record<string, number> }>('/api/v1/subscriptions', { accepted }),

  buildings: () => api.get<Page<BuildingView>>('/api/v1/spaces/buildings'),
  units: (buildingId: string) => api.get<Page<UnitView>>(`/api/v1/spaces/buildings/${encodeURIComponent(buildingId)}/units`),
  rooms: (unitId: string) => api.get<Page<RoomView>>(`/api/v1/spaces/units/${encodeURIComponent(unitId)}/rooms`),

  requestBinding: (body: BindingRequestBody) => api.post<BindingView>('/api/v1/bindings', body),
  redeemInvitation: (code: string) => api.post<BindingView>('/api/v1/bindings/redeem', { code }),
  myBindings: () => api.get<Page<BindingView>>('/api/v1/bindings/mine'),

  staffBindings: (status: string, cursor?: string | null) =>
    api.get<Page<BindingView>>('/api/v1/staff/bindings', { status, cursor: cursor ?? undefined }),
  approveBinding: (id: string) => api.post<BindingView>(`/api/v1/staff/bindings/${encodeURIComponent(id)}/approve`),
  rejectBinding: (id: string, reason: string) =>
    api.post<BindingView>(`/api/v1/staff/bindings/${encodeURIComponent(id)}/reject`, { reason }),
  issueInvitation: (body: InvitationCreateBody) => api.post<InvitationIssued>('/api/v1/staff/invitations', body),

  // Admin: the room register, people and roles, grids, property companies.
  importRooms: (file: ArrayBuffer, contentType: ImportContentType, dryRun: boolean) =>
    api.upload<ImportReport>('/api/v1/staff/imports/rooms', file, contentType, { dryRun }),
  staffUsers: (role?: Role | null) => api.get<{ items: UserView[] }>('/api/v1/staff/users', { role, limit: 50 }),
  createStaffUser: (body: StaffUserCreateBody) => api.post<UserView>('/api/v1/staff/users', body),
  setUserRoles: (userId: string, roles: Role[]) => api.put<UserView>(`/api/v1/staff/users/${id(userId)}/roles`, { roles }),
  setUserCompany: (userId: string, propertyCompanyId: string | null) =>
    api.put<UserView>(`/api/v1/staff/users/${id(userId)}/property-company`, { propertyCompanyId }),
  grids: () => api.get<{ items: GridItem[] }>('/api/v1/staff/grids'),
  addGridWorker: (gridId: string, userId: string) =>
    api.put<UserView>(`/api/v1/staff/grids/${id(gridId)}/workers/${id(userId)}`),
  removeGridWorker: (gridId: string, userId: string) =>
    api.delete<UserView>(`/api/v1/staff/grids/${id(gridId)}/workers/${id(userId)}`),
  propertyCompanies: () => api.get<{ items: PropertyCompany[] }>('/api/v1/staff/property-companies'),
  setBuildingCompany: (buildingId: string, propertyCompanyId: string | null) =>
    api.put<{ id: string; propertyCompanyId: string | null }>(
      `/api/v1/staff/buildings/${id(buildingId)}/property-company`,
      { propertyCompanyId },
    ),

  // 便民服务预约: residents.
  services: () => api.get<{ items: ServiceView[] }>('/api/v1/services'),
  service: (serviceId: string) => api.get<ServiceView>(`/api/v1/services/${id(serviceId)}`),
  slots: (serviceId: string, from?: string, to?: string) =>
    api.get<{ items: SlotView[] }>(`/api/v1/services/${id(serviceId)}/slots`, { from, to }),
  book: (slotId: string, key: string, forResidentId?: string) =>
    api.post<BookingView>('/api/v1/bookings', forResidentId ? { slotId, forResidentId } : { slotId }, once(key)),
  myBookings: (scope: BookingScope) => api.get<{ items: BookingView[] }>('/api/v1/bookings', { scope }),
  booking: (bookingId: string) => api.get<BookingView>(`/api/v1/bookings/${id(bookingId)}`),
  cancelBooking: (bookingId: string, key: string) => api.post<BookingView>(`/api/v1/bookings/${id(bookingId)}/cancel`, {}, once(key)),
  rescheduleBooking: (bookingId: string, slotId: string, key: string) =>
    api.post<BookingView>(`/api/v1/bookings/${id(bookingId)}/reschedule`, { slotId }, once(key)),
  rateBooking: (bookingId: string, body: RatingBody) => api.post<BookingView>(`/api/v1/bookings/${id(bookingId)}/rating`, body),

  // Messages (站内消息).
  inbox: (cursor?: string | null) => api.get<Page<InboxMessageView>>('/api/v1/inbox', { limit: 20, cursor: cursor ?? undefined }),
  unreadCount: () => api.get<{ unread: number }>('/api/v1/inbox/unread-count'),
  markRead: (messageId: string) => api.post<{ ok: true }>(`/api/v1/inbox/${id(messageId)}/read`),
  markAllRead: () => api.post<{ ok: true }>('/api/v1/inbox/read-all'),

  // 便民服务中心: centre staff.
  staffServices: () => api.get<{ items: ServiceView[] }>('/api/v1/staff/services'),
  createService: (body: ServiceCreateBody) => api.post<ServiceView>('/api/v1/staff/services', body),
  updateService: (serviceId: string, body: ServiceUpdateBody) => api.patch<ServiceView>(`/api/v1/staff/services/${id(serviceId)}`, body),
  retireService: (serviceId: string) => api.post<ServiceView>(`/api/v1/staff/services/${id(serviceId)}/retire`),
  windowList: (date?: string, serviceId?: string) => api.get<{ items: BookingView[] }>('/api/v1/staff/bookings', { date, serviceId }),
  searchResidents: (q: string) =>
    api.get<{ items: ResidentFound[] }>('/api/v1/staff/residents', { q }),
  checkIn: (code: string) => api.post<BookingView>('/api/v1/staff/bookings/check-in', { code }),
  markNoShow: (bookingId: string) => api.post<BookingView>(`/api/v1/staff/bookings/${id(bookingId)}/no-show`),
  closeBooking: (bookingId: string, note: string) => api.post<BookingView>(`/api/v1/staff/bookings/${id(bookingId)}/close`, { note }),

  // 全程代办, 差评跟进, 服务统计: centre staff.
  matters: (status: MatterStatus) => api.get<{ items: MatterView[] }>('/api/v1/staff/matters', { status }),
  acceptMatter: (matterId: string, promisedBy: string) =>
    api.post<MatterView>(`/api/v1/staff/matters/${id(matterId)}/accept`, { promisedBy }),
  addMatterNote: (matterId: string, text: string) => api.post<MatterView>(`/api/v1/staff/matters/${id(matterId)}/notes`, { text }),
  completeMatter: (matterId: string, text: string) => api.post<MatterView>(`/api/v1/staff/matters/${id(matterId)}/complete`, { text }),
  followUps: (status: FollowUpStatus) => api.get<{ items: FollowUpView[] }>('/api/v1/staff/follow-ups', { status }),
  resolveFollowUp: (followUpId: string, note: string) =>
    api.post<{ id: string; status: 'done' }>(`/api/v1/staff/follow-ups/${id(followUpId)}/resolve`, { note }),
  serviceStats: (from: string, to: string) => api.get<{ items: ServiceStatsRow[] }>('/api/v1/staff/services/stats', { from, to }),
  /** The period's bookings and figures as .xlsx: saved by the browser, opened in WeChat. */
  exportBookings: (from: string, to: string) =>
    downloadFile('/api/v1/staff/bookings/export', { query: { from, to }, filename: `预约明细_${from}_${to}.xlsx`, fileType: 'xlsx' }),
};
