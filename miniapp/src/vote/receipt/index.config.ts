export default definePageConfig({ navigationBarTitleText: '查回执' });
