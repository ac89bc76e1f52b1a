export default definePageConfig({ navigationBarTitleText: '评选活动' });
