export default definePageConfig({ navigationBarTitleText: '授权家人代办' });
