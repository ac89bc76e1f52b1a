import Taro from '@tarojs/taro';

/** Opens the phone's dialler with the number filled in (WeChat asks before calling; H5 opens tel:). */
export function callPhone(phoneNumber: string): void {
  void Taro.makePhoneCall({ phoneNumber }).catch(() => undefined);
}
