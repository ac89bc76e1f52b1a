import { Text, View } from '@tarojs/components';
import type { MeView } from '@community/shared';
import { greeting } from '../services/format';

export function displayNameOf(me: MeView | null): string {
  if (!me) return '';
  return me.displayName || me.nickname || '';
}

/** A warm greeting at the top of the tab pages. */
export function Welcome({ me, line }: { me: MeView | null; line: string }) {
  const name = displayNameOf(me);
  return (
    <View className='welcome'>
      <Text className='welcome__hello'>
        {greeting()}
        {name ? `，${name}` : ''}
      </Text>
      <Text className='welcome__line'>{line}</Text>
    </View>
  );
}
