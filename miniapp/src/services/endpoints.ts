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
  BallotReceiptView,
  CommentView,
  PaperBallotBody,
  PollCreateBody,
  PollResultView,
  PollStatus,
  PollView,
  TopicCreateBody,
  TopicDetailView,
  TopicView,
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

/** What POST /polls/:id/ballots and the paper-ballot route answer. */
export interface BallotCast {
  pollId: string;
  unitKey: string;
  unitLabel: string;
  channel: 'online' | 'paper' | 'door';
  /** Shown once to the voter: with it they can check their ballot is in the chain. */
  receipt: string;
  castAt: string;
}

export interface NonVoters {
  total: number;
  voted: number;
  items: { unitKey: string; label: string; holder: string; areaCenti: number; gridNames: string[] }[];
}

export interface PollObjection {
  id: string;
  pollId: string;
  text: string;
  answer: string | null;
  answeredAt: string | null;
  createdAt: string;
  createdOn: string;
}

export interface PollVerify {
  pollId: string;
  ok: boolean;
  entries: number;
  participations: number;
  head: string | null;
  problems: string[];
}

export interface UploadedPhoto {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

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
  subscriptionTemplates: () => api.get<{ bookingResult: string; bookingReminder: string; pollReminder: string }>('/api/v1/subscriptions/templates'),
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

  // Photos (议题照片, 纸质票凭证): the body is the image itself.
  uploadPhoto: (file: ArrayBuffer, contentType: 'image/jpeg' | 'image/png' | 'image/webp') => api.upload<UploadedPhoto>('/api/v1/uploads', file, contentType),

  // 居民议事: topics and discussion.
  topics: (status?: 'collecting' | 'agenda' | 'mine') => api.get<{ items: TopicView[] }>('/api/v1/topics', { status }),
  topic: (topicId: string) => api.get<TopicDetailView>(`/api/v1/topics/${id(topicId)}`),
  raiseTopic: (body: TopicCreateBody, key: string) => api.post<TopicView>('/api/v1/topics', body, once(key)),
  supportTopic: (topicId: string) => api.post<TopicView>(`/api/v1/topics/${id(topicId)}/support`),
  comment: (topicId: string, text: string, key: string) => api.post<CommentView>(`/api/v1/topics/${id(topicId)}/comments`, { text }, once(key)),

  // 投票: residents.
  polls: (status?: PollStatus) => api.get<{ items: PollView[] }>('/api/v1/polls', { status }),
  poll: (pollId: string, forResidentId?: string) => api.get<PollView>(`/api/v1/polls/${id(pollId)}`, { forResidentId }),
  castBallot: (pollId: string, body: { answers: number[][]; unitKey?: string; forResidentId?: string }, key: string) =>
    api.post<BallotCast>(`/api/v1/polls/${id(pollId)}/ballots`, body, once(key)),
  pollResult: (pollId: string) => api.get<PollResultView>(`/api/v1/polls/${id(pollId)}/result`),
  verifyPoll: (pollId: string) => api.get<PollVerify>(`/api/v1/polls/${id(pollId)}/verify`),
  receipt: (code: string) => api.get<BallotReceiptView>(`/api/v1/receipts/${id(code)}`),
  fileObjection: (pollId: string, text: string, key: string) => api.post<PollObjection>(`/api/v1/polls/${id(pollId)}/objections`, { text }, once(key)),
  myObjections: (pollId: string) => api.get<{ items: PollObjection[] }>(`/api/v1/polls/${id(pollId)}/objections/mine`),

  // 投票管理: centre staff (create, open, close, remind, export, objections) and grid workers (paper ballots, non-voters).
  staffPolls: (status?: PollStatus) => api.get<{ items: PollView[] }>('/api/v1/staff/polls', { status }),
  createPoll: (body: PollCreateBody, key: string) => api.post<PollView>('/api/v1/staff/polls', body, once(key)),
  openPoll: (pollId: string) => api.post<PollView>(`/api/v1/staff/polls/${id(pollId)}/open`),
  cancelPoll: (pollId: string) => api.post<PollView>(`/api/v1/staff/polls/${id(pollId)}/cancel`),
  closePoll: (pollId: string) => api.post<PollView>(`/api/v1/staff/polls/${id(pollId)}/close`),
  enterPaperBallot: (pollId: string, body: PaperBallotBody, key: string) =>
    api.post<BallotCast>(`/api/v1/staff/polls/${id(pollId)}/paper-ballots`, body, once(key)),
  nonVoters: (pollId: string, gridId?: string) => api.get<NonVoters>(`/api/v1/staff/polls/${id(pollId)}/non-voters`, { gridId }),
  remindNonVoters: (pollId: string) => api.post<{ sent: number }>(`/api/v1/staff/polls/${id(pollId)}/remind`),
  pollObjections: (pollId: string) => api.get<{ items: PollObjection[] }>(`/api/v1/staff/polls/${id(pollId)}/objections`),
  answerObjection: (objectionId: string, answer: string) => api.post<PollObjection>(`/api/v1/staff/poll-objections/${id(objectionId)}/answer`, { answer }),
  exportPollRegister: (pollId: string, title: string) =>
    downloadFile(`/api/v1/staff/polls/${id(pollId)}/export`, { filename: `表决票清册_${title}.xlsx`, fileType: 'xlsx' }),
  topicReview: () => api.get<{ topics: TopicView[]; comments: (CommentView & { topicId: string })[] }>('/api/v1/staff/topics/review'),
  staffRaiseTopic: (body: TopicCreateBody, key: string) => api.post<TopicView>('/api/v1/staff/topics', body, once(key)),
  putTopicOnAgenda: (topicId: string) => api.post<TopicView>(`/api/v1/staff/topics/${id(topicId)}/agenda`),
  hideTopic: (topicId: string, reason: string) => api.post<TopicView>(`/api/v1/staff/topics/${id(topicId)}/hide`, { reason }),
  releaseTopic: (topicId: string) => api.post<TopicView>(`/api/v1/staff/topics/${id(topicId)}/release`),
  hideComment: (commentId: string, reason: string) => api.post<CommentView>(`/api/v1/staff/comments/${id(commentId)}/hide`, { reason }),
  releaseComment: (commentId: string) => api.post<CommentView>(`/api/v1/staff/comments/${id(commentId)}/release`),
};
