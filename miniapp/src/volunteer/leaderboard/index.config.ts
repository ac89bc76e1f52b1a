export default definePageConfig({ navigationBarTitleText: '志愿排行榜' });
