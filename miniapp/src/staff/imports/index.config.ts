export default definePageConfig({ navigationBarTitleText: '导入房屋台账' });
