export default definePageConfig({ navigationBarTitleText: '今日窗口' });
