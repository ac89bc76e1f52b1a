import { Text, View } from '@tarojs/components';
import { toggleElderly, useElderly } from '../store/elderly';

/** The one-tap 长辈版 switch: a whole row is the target, its state is spoken as a switch. */
export function ElderlySwitch() {
  const on = useElderly();
  return (
    <View
      className={`tap switch-row ${on ? 'switch-row--on' : ''}`}
      role='switch'
      aria-checked={on}
      data-testid='elderly-switch'
      onClick={() => toggleElderly()}
    >
      <View className='switch-row__text'>
        <Text className='switch-row__label'>长辈版</Text>
        <Text className='switch-row__hint'>{on ? '已开启：字更大、按钮更大' : '开启后字更大、按钮更大，看得清、点得准'}</Text>
      </View>
      <View className='switch'>
        <View className='switch__knob' />
        <Text className='switch__state'>{on ? '开' : '关'}</Text>
      </View>
    </View>
  );
}
