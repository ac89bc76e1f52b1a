import Taro from '@tarojs/taro';

/** Page paths in one place (tab pages must be opened with switchTab). */
export const Routes = {
  home: '/pages/index/index',
  services: '/pages/services/index',
  deliberation: '/pages/deliberation/index',
  volunteer: '/pages/volunteer/index',
  me: '/pages/me/index',
  login: '/pages/login/index',
  inbox: '/pages/inbox/index',
  bookingService: '/booking/service/index',
  bookingDetail: '/booking/detail/index',
  bookingMine: '/booking/mine/index',
  bindingApply: '/binding/apply/index',
  bindingRedeem: '/binding/redeem/index',
  bindingAuthority: '/binding/authority/index',
  bindingMine: '/binding/mine/index',
  staffHome: '/staff/index/index',
  staffBindings: '/staff/bindings/index',
  staffInvitations: '/staff/invitations/index',
  staffWindow: '/staff/window/index',
  staffServices: '/staff/services/index',
  staffServiceEdit: '/staff/service-edit/index',
  staffMatters: '/staff/matters/index',
  staffFollowUps: '/staff/follow-ups/index',
  staffStats: '/staff/stats/index',
  // 居民议事与投票 (subpackage vote); the API's inbox links use the same paths.
  voteTopic: '/vote/topic/index',
  voteTopicNew: '/vote/topic-new/index',
  votePoll: '/vote/poll/index',
  voteResult: '/vote/result/index',
  voteReceipt: '/vote/receipt/index',
  staffPolls: '/staff/polls/index',
  staffPollNew: '/staff/poll-new/index',
  staffPaperBallot: '/staff/paper-ballot/index',
  staffNonVoters: '/staff/non-voters/index',
  staffTopicReview: '/staff/topic-review/index',
  staffObjections: '/staff/objections/index',
  // 议事会 (V10): the poster's QR code opens voteMeetingSign with ?c=<code>.
  voteMeetings: '/vote/meetings/index',
  voteMeeting: '/vote/meeting/index',
  voteMeetingSign: '/vote/meeting-sign/index',
  staffMeetings: '/staff/meetings/index',
  staffMeetingDesk: '/staff/meeting-desk/index',
  staffCouncil: '/staff/council/index',
  // 志愿服务与文明实践 (subpackage volunteer); the API's inbox links and the poster's mini-program code use these.
  volunteerActivity: '/volunteer/activity/index',
  volunteerScan: '/volunteer/scan/index',
  volunteerMe: '/volunteer/me/index',
  volunteerProfile: '/volunteer/profile/index',
  volunteerRewards: '/volunteer/rewards/index',
  volunteerLeaderboard: '/volunteer/leaderboard/index',
  volunteerCampaign: '/volunteer/campaign/index',
  /** Public (no sign-in): the link printed on a 志愿服务记录证明 opens it with ?serial=. */
  volunteerVerify: '/volunteer/verify/index',
  staffActivities: '/staff/activities/index',
  staffActivityEdit: '/staff/activity-edit/index',
  staffAttendance: '/staff/attendance/index',
  staffRewards: '/staff/rewards/index',
  staffCampaigns: '/staff/campaigns/index',
  // 物业服务反馈 (subpackage feedback).
  feedbackReport: '/feedback/report/index',
  feedbackCase: '/feedback/case/index',
  feedbackMine: '/feedback/mine/index',
  feedbackScorecard: '/feedback/scorecard/index',
  staffCases: '/staff/cases/index',
  staffCaseRules: '/staff/case-rules/index',
} as const;

/** A page path with its query, e.g. withQuery(Routes.bookingDetail, { id }). */
export function withQuery(path: string, query: Record<string, string>): string {
  const q = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

const tabs: readonly string[] = [Routes.home, Routes.services, Routes.deliberation, Routes.volunteer, Routes.me];

export function go(url: string): void {
  const path = url.split('?')[0] ?? url;
  const p = tabs.includes(path) ? Taro.switchTab({ url: path }) : Taro.navigateTo({ url });
  void p.catch(() => undefined);
}

export function relaunch(url: string): void {
  void Taro.reLaunch({ url }).catch(() => undefined);
}
