export default definePageConfig({ navigationBarTitleText: '服务统计' });
