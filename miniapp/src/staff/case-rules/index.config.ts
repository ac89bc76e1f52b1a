export default definePageConfig({ navigationBarTitleText: '分派规则和服务承诺' });
