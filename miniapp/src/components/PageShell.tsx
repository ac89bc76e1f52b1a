import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { useElderly } from '../store/elderly';

interface Props {
  title?: string;
  subtitle?: string;
  className?: string;
  children?: ReactNode;
}

/**
 * Every page's root. It carries the 长辈版 class (`shell--elderly`) and the
 * data-elderly attribute; the stylesheet's CSS variables under that class make
 * text, headings and tap targets larger app-wide.
 */
export function PageShell({ title, subtitle, className, children }: Props) {
  const elderly = useElderly();
  const cls = ['shell', elderly ? 'shell--elderly' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <View className={cls} data-elderly={elderly ? '1' : '0'}>
      {title ? (
        <View className='shell__head'>
          <Text className='shell__title'>{title}</Text>
          {subtitle ? <Text className='shell__subtitle'>{subtitle}</Text> : null}
        </View>
      ) : null}
      {children}
    </View>
  );
}
