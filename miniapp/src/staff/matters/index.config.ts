export default definePageConfig({ navigationBarTitleText: '全程代办' });
