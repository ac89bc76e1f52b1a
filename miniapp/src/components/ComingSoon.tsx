import { Text, View } from '@tarojs/components';
import { Tag } from './ui';

/**
 * An honest placeholder for a feature still being built: it says what will be
 * here, and shows no made-up data.
 */
export function ComingSoon({ title, intro, items }: { title: string; intro: string; items: string[] }) {
  return (
    <View className='card soon' data-testid='coming-soon'>
      <View className='card__head'>
        <Text className='card__title'>{title}</Text>
        <Tag tone='wait'>即将开放</Tag>
      </View>
      <Text className='p'>{intro}</Text>
      <Text className='soon__lead'>开放后您可以：</Text>
      <View className='soon__list'>
        {items.map((item) => (
          <View key={item} className='soon__item'>
            <Text className='soon__dot'>·</Text>
            <Text className='soon__text'>{item}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
