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
  ActivityCreateBody,
  ActivityType,
  ActivityView,
  CampaignCreateBody,
  CampaignView,
  CaseCreateBody,
  CaseView,
  DeskLevel,
  HoursConfirmBody,
  NominationBody,
  RewardCreateBody,
  SignupView,
  VolunteerProfileBody,
  AttendanceView,
  CouncilMemberBody,
  CouncilMemberView,
  CouncilStaffCandidateView,
  FollowUpBody,
  MeetingCreateBody,
  MeetingDetailView,
  MeetingView,
  ResolutionCreateBody,
  ResolutionView,
  SignInCodeView,
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

export interface LedgerEntry {
  id: string;
  amount: number;
  reason: string;
  byName: string;
  activityTitle: string | null;
  at: string;
}

export interface VolunteerMe {
  minutes: number;
  points: number;
  hoursLedger: LedgerEntry[];
  pointsLedger: LedgerEntry[];
  signups: SignupView[];
}

export interface VolunteerProfile {
  realName: string;
  idNumberMasked: string | null;
  skills: string[];
  availability: ('weekday_day' | 'weekday_evening' | 'weekend_day' | 'weekend_evening')[];
}

export interface Leaderboard {
  period: 'month' | 'all';
  month: string | null;
  items: { rank: number; name: string; minutes: number; mine: boolean }[];
  mine: { rank: number | null; minutes: number };
}

export interface Reward {
  id: string;
  title: string;
  description: string;
  pointsPrice: number;
  stock: number;
  left: number;
  status: 'active' | 'retired';
}

export interface Redemption {
  id: string;
  rewardId: string;
  rewardTitle: string;
  pointsPrice: number;
  pickupCode: string;
  status: 'pending' | 'handed_over';
  residentName: string;
  createdAt: string;
  handedOverAt: string | null;
}

export interface Poster {
  posterId: string;
  expiresAt: string;
  /** The weapp page the mini-program code opens (scene = posterId). */
  page: string;
}

export interface CaseFigures {
  cases: number;
  acceptedInTime: number;
  resolved: number;
  resolvedInTime: number;
  rated: number;
  satisfied: number;
  reopened: number;
}

export interface Scorecard {
  month: string;
  companies: (CaseFigures & { id: string; name: string })[];
  desks: (CaseFigures & { level: string; label: string })[];
  total: CaseFigures;
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

  // 议事会 (V10): residents and council members.
  meetings: (when: 'upcoming' | 'past') => api.get<{ items: MeetingView[] }>('/api/v1/meetings', { when }),
  meeting: (meetingId: string) => api.get<MeetingDetailView>(`/api/v1/meetings/${id(meetingId)}`),
  /** A council member signs in with the code on the poster; repeating it answers the same. */
  meetingSignIn: (code: string) => api.post<MeetingView>('/api/v1/meetings/sign-in', { code }),

  // 议事会: centre staff (members, meetings, the desk's sign-in, minutes, resolutions and their follow-up).
  councilMembers: () => api.get<{ items: CouncilMemberView[] }>('/api/v1/staff/council-members'),
  councilStaffCandidates: () => api.get<{ items: CouncilStaffCandidateView[] }>('/api/v1/staff/council-members/staff-candidates'),
  addCouncilMember: (body: CouncilMemberBody) => api.post<CouncilMemberView>('/api/v1/staff/council-members', body),
  removeCouncilMember: (userId: string) => api.delete<{ ok: true }>(`/api/v1/staff/council-members/${id(userId)}`),
  createMeeting: (body: MeetingCreateBody, key: string) => api.post<MeetingView>('/api/v1/staff/meetings', body, once(key)),
  cancelMeeting: (meetingId: string, reason: string) => api.post<MeetingView>(`/api/v1/staff/meetings/${id(meetingId)}/cancel`, { reason }),
  /** A new code for the poster: the one before stops working. */
  newMeetingSignInCode: (meetingId: string) => api.post<SignInCodeView>(`/api/v1/staff/meetings/${id(meetingId)}/sign-in-code`),
  /** The code in force (null: none yet), shown again without retiring it. */
  meetingSignInCode: (meetingId: string) => api.get<{ current: SignInCodeView | null }>(`/api/v1/staff/meetings/${id(meetingId)}/sign-in-code`),
  meetingAttendance: (meetingId: string) => api.get<{ items: AttendanceView[] }>(`/api/v1/staff/meetings/${id(meetingId)}/attendance`),
  /** 代签到 at the desk for a member without a phone. */
  deskSignIn: (meetingId: string, userId: string) => api.post<AttendanceView>(`/api/v1/staff/meetings/${id(meetingId)}/attendance`, { userId }),
  saveMinutes: (meetingId: string, text: string) => api.post<MeetingView>(`/api/v1/staff/meetings/${id(meetingId)}/minutes`, { text }),
  createResolution: (meetingId: string, body: ResolutionCreateBody) => api.post<ResolutionView>(`/api/v1/staff/meetings/${id(meetingId)}/resolutions`, body),
  addResolutionFollowUp: (resolutionId: string, body: FollowUpBody) => api.post<ResolutionView>(`/api/v1/staff/resolutions/${id(resolutionId)}/follow-ups`, body),

  // 志愿服务与文明实践: residents and volunteers.
  activities: (type?: ActivityType, scope: 'upcoming' | 'past' = 'upcoming') => api.get<{ items: ActivityView[] }>('/api/v1/activities', { type, scope }),
  activity: (activityId: string, forResidentId?: string) => api.get<ActivityView>(`/api/v1/activities/${id(activityId)}`, { forResidentId }),
  signUp: (activityId: string, key: string, forResidentId?: string) =>
    api.post<SignupView>(`/api/v1/activities/${id(activityId)}/signups`, forResidentId ? { forResidentId } : {}, once(key)),
  cancelSignup: (signupId: string, key: string) => api.post<SignupView>(`/api/v1/activities/signups/${id(signupId)}/cancel`, {}, once(key)),
  /** The scan page: the first scan of a poster checks in, the next checks out. */
  scanPoster: (poster: string) => api.post<SignupView & { direction: 'in' | 'out' }>('/api/v1/activities/scan', { poster }),
  volunteerMe: () => api.get<VolunteerMe>('/api/v1/volunteers/me'),
  volunteerProfile: () => api.get<{ profile: VolunteerProfile | null }>('/api/v1/volunteers/me/profile'),
  saveVolunteerProfile: (body: VolunteerProfileBody) => api.put<VolunteerProfile>('/api/v1/volunteers/me/profile', body),
  leaderboard: (period: 'month' | 'all', gridId?: string) => api.get<Leaderboard>('/api/v1/leaderboard', { period, gridId }),
  rewards: () => api.get<{ items: Reward[] }>('/api/v1/rewards'),
  redeem: (rewardId: string, key: string) => api.post<Redemption>(`/api/v1/rewards/${id(rewardId)}/redeem`, {}, once(key)),
  myRedemptions: () => api.get<{ items: Redemption[] }>('/api/v1/rewards/redemptions/mine'),
  campaigns: () => api.get<{ items: CampaignView[] }>('/api/v1/campaigns'),
  campaign: (campaignId: string) => api.get<CampaignView>(`/api/v1/campaigns/${id(campaignId)}`),
  nominate: (campaignId: string, body: NominationBody, key: string) => api.post<CampaignView>(`/api/v1/campaigns/${id(campaignId)}/nominations`, body, once(key)),
  objectToNominee: (campaignId: string, nominationId: string, text: string, key: string) =>
    api.post<CampaignView>(`/api/v1/campaigns/${id(campaignId)}/objections`, { nominationId, text }, once(key)),
  campaignVote: (campaignId: string, answers: number[][], key: string) => api.post<BallotCast>(`/api/v1/campaigns/${id(campaignId)}/vote`, { answers }, once(key)),

  // 志愿活动: organisers (centre staff).
  createActivity: (body: ActivityCreateBody, key: string) => api.post<ActivityView>('/api/v1/staff/activities', body, once(key)),
  updateActivity: (activityId: string, body: ActivityCreateBody) => api.put<ActivityView>(`/api/v1/staff/activities/${id(activityId)}`, body),
  cancelActivity: (activityId: string, reason: string) => api.post<ActivityView>(`/api/v1/staff/activities/${id(activityId)}/cancel`, { reason }),
  newPoster: (activityId: string) => api.post<Poster>(`/api/v1/staff/activities/${id(activityId)}/poster`),
  /** The poster in force (null: none yet, or expired), shown again without retiring it. */
  currentPoster: (activityId: string) => api.get<{ poster: Poster | null }>(`/api/v1/staff/activities/${id(activityId)}/poster`),
  staffActivities: (scope: 'upcoming' | 'past' | 'cancelled') => api.get<{ items: ActivityView[] }>('/api/v1/staff/activities', { scope }),
  attendance: (activityId: string) => api.get<{ items: SignupView[] }>(`/api/v1/staff/activities/${id(activityId)}/attendance`),
  confirmHours: (activityId: string, body: HoursConfirmBody) => api.post<{ items: SignupView[] }>(`/api/v1/staff/activities/${id(activityId)}/hours`, body),
  markActivityNoShows: (activityId: string) => api.post<{ marked: number }>(`/api/v1/staff/activities/${id(activityId)}/no-shows`),
  exportRoster: (activityId: string, title: string) =>
    downloadFile(`/api/v1/staff/activities/${id(activityId)}/export`, { filename: `活动名单_${title}.xlsx`, fileType: 'xlsx' }),
  createReward: (body: RewardCreateBody, key: string) => api.post<Reward>('/api/v1/staff/rewards', body, once(key)),
  handOverReward: (code: string) => api.post<Redemption>('/api/v1/staff/rewards/handover', { code }),
  staffRewards: (status: 'active' | 'retired') => api.get<{ items: Reward[] }>('/api/v1/staff/rewards', { status }),
  retireReward: (rewardId: string) => api.post<Reward>(`/api/v1/staff/rewards/${id(rewardId)}/retire`),
  createCampaign: (body: CampaignCreateBody, key: string) => api.post<CampaignView>('/api/v1/staff/campaigns', body, once(key)),
  reviewNomination: (nominationId: string, accept: boolean, note?: string) =>
    api.post<CampaignView>(`/api/v1/staff/campaign-nominations/${id(nominationId)}/review`, note ? { accept, note } : { accept }),
  startCampaignNotice: (campaignId: string) => api.post<CampaignView>(`/api/v1/staff/campaigns/${id(campaignId)}/notice`),
  answerCampaignObjection: (objectionId: string, answer: string) => api.post<{ ok: true }>(`/api/v1/staff/campaign-objections/${id(objectionId)}/answer`, { answer }),
  decideCampaign: (campaignId: string, closesAt?: string) => api.post<CampaignView>(`/api/v1/staff/campaigns/${id(campaignId)}/decide`, closesAt ? { closesAt } : {}),
  publishCampaign: (campaignId: string, winners?: string[]) => api.post<CampaignView>(`/api/v1/staff/campaigns/${id(campaignId)}/publish`, winners ? { winners } : {}),

  // 物业服务反馈: residents.
  reportCase: (body: CaseCreateBody, key: string) => api.post<CaseView>('/api/v1/cases', body, once(key)),
  myCases: () => api.get<{ items: CaseView[] }>('/api/v1/cases'),
  similarCases: (buildingId: string, category: CaseCreateBody['category']) => api.get<{ items: CaseView[] }>('/api/v1/cases/similar', { buildingId, category }),
  caseDetail: (caseId: string) => api.get<CaseView>(`/api/v1/cases/${id(caseId)}`),
  followCase: (caseId: string) => api.post<CaseView>(`/api/v1/cases/${id(caseId)}/follow`),
  confirmCase: (caseId: string) => api.post<CaseView>(`/api/v1/cases/${id(caseId)}/confirm`),
  reopenCase: (caseId: string, reason: string) => api.post<CaseView>(`/api/v1/cases/${id(caseId)}/reopen`, { reason }),
  rateCase: (caseId: string, level: number, comment: string) => api.post<CaseView>(`/api/v1/cases/${id(caseId)}/rate`, { level, comment }),
  scorecard: (month?: string) => api.get<Scorecard>('/api/v1/scorecards', { month }),

  // 物业服务反馈: the desks (property staff, grid workers, centre staff).
  deskCases: (status: 'open' | 'done') => api.get<{ items: CaseView[] }>('/api/v1/staff/cases', { status }),
  acceptCase: (caseId: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/accept`),
  acknowledgeCase: (caseId: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/acknowledge`),
  transferCase: (caseId: string, toLevel: DeskLevel, reason: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/transfer`, { toLevel, reason }),
  returnCase: (caseId: string, reason: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/return`, { reason }),
  pauseCase: (caseId: string, reason: string, resumeOn: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/pause`, { reason, resumeOn }),
  resolveCase: (caseId: string, note: string, photoIds: string[]) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/resolve`, { note, photoIds }),
  recordCaseVisit: (caseId: string, note: string) => api.post<CaseView>(`/api/v1/staff/cases/${id(caseId)}/visit`, { note }),
  exportScorecard: (month: string) => downloadFile('/api/v1/staff/scorecards/export', { query: { month }, filename: `物业服务考核_${month}.xlsx`, fileType: 'xlsx' }),

  // 物业服务反馈: centre staff's rules (分派规则, 服务承诺, 节假日); bodies as the shared routingRuleBody / promiseRuleBody.
  routingRules: () => api.get<{ items: (z.infer<typeof import('@community/shared').routingRuleBody> & { id: string })[] }>('/api/v1/staff/routing-rules'),
  addRoutingRule: (body: z.infer<typeof import('@community/shared').routingRuleBody>) => api.post<{ id: string }>('/api/v1/staff/routing-rules', body),
  deleteRoutingRule: (ruleId: string) => api.delete<unknown>(`/api/v1/staff/routing-rules/${id(ruleId)}`),
  promiseRules: () => api.get<{ items: (z.infer<typeof import('@community/shared').promiseRuleBody> & { id: string })[]; holidays: string[]; workdays: string[] }>('/api/v1/staff/promises'),
  addPromiseRule: (body: z.infer<typeof import('@community/shared').promiseRuleBody>) => api.post<{ id: string }>('/api/v1/staff/promises', body),
  deletePromiseRule: (ruleId: string) => api.delete<unknown>(`/api/v1/staff/promises/${id(ruleId)}`),
  saveCaseCalendar: (holidays: string[], workdays: string[]) =>
    api.put<{ holidays: string[]; workdays: string[] }>('/api/v1/staff/promises/calendar', { holidays, workdays }),
};
