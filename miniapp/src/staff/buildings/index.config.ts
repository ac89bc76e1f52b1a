export default definePageConfig({ navigationBarTitleText: '楼栋物业' });
