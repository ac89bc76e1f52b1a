export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/services/index',
    'pages/deliberation/index',
    'pages/volunteer/index',
    'pages/me/index',
    'pages/login/index',
    'pages/inbox/index',
  ],
  // One subpackage per feature; tab pages stay in the main package.
  subPackages: [
    { root: 'binding', pages: ['apply/index', 'redeem/index', 'mine/index', 'authority/index'] },
    { root: 'booking', pages: ['service/index', 'detail/index', 'mine/index'] },
    { root: 'vote', pages: ['topic/index', 'topic-new/index', 'poll/index', 'result/index', 'receipt/index', 'meetings/index', 'meeting/index', 'meeting-sign/index'] },
    { root: 'volunteer', pages: ['activity/index', 'scan/index', 'me/index', 'profile/index', 'rewards/index', 'leaderboard/index', 'campaign/index', 'verify/index'] },
    { root: 'feedback', pages: ['report/index', 'case/index', 'mine/index', 'scorecard/index'] },
    {
      root: 'staff',
      pages: ['index/index', 'bindings/index', 'invitations/index', 'imports/index', 'people/index', 'grids/index', 'buildings/index', 'window/index', 'services/index', 'service-edit/index', 'matters/index', 'follow-ups/index', 'stats/index', 'polls/index', 'poll-new/index', 'paper-ballot/index', 'non-voters/index', 'topic-review/index', 'objections/index', 'activities/index', 'activity-edit/index', 'attendance/index', 'rewards/index', 'campaigns/index', 'cases/index', 'case-rules/index', 'meetings/index', 'meeting-desk/index', 'council/index'],
    },
  ],
  lazyCodeLoading: 'requiredComponents',
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '社区服务',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f6f3ee',
  },
  tabBar: {
    color: '#4a4a4a',
    selectedColor: '#a8371b',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: 'pages/services/index', text: '办事', iconPath: 'assets/tab/services.png', selectedIconPath: 'assets/tab/services-on.png' },
      { pagePath: 'pages/deliberation/index', text: '议事', iconPath: 'assets/tab/deliberation.png', selectedIconPath: 'assets/tab/deliberation-on.png' },
      { pagePath: 'pages/volunteer/index', text: '志愿', iconPath: 'assets/tab/volunteer.png', selectedIconPath: 'assets/tab/volunteer-on.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-on.png' },
    ],
  },
});
