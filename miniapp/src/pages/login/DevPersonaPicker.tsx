import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { Page } from '../../services/endpoints';
import { api, messageOf } from '../../services/request';
import { Card, Loading, Notice } from '../../components/ui';

/**
 * Development and test builds only (TARO_APP_DEV_LOGIN=1): pick a made-up
 * resident or staff member instead of a WeChat login. The login page requires
 * this file behind a build-time constant, so production bundles do not contain it.
 */
export interface Persona {
  code: string;
  label: string;
  description: string;
}

export default function DevPersonaPicker({ onLogin, busy }: { onLogin: (code: string) => void; busy: boolean }) {
  const [items, setItems] = useState<Persona[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<Page<Persona>>('/api/v1/dev/personas')
      .then((res) => setItems(res.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  return (
    <Card title='体验身份（仅开发测试）'>
      <Text className='p p--muted'>选一位体验用户，像在微信里一样登录。</Text>
      <Notice tone='bad' text={error} />
      {!items && !error ? <Loading /> : null}
      {items?.map((p) => (
        <View
          key={p.code}
          className='tap row'
          role='button'
          data-testid={`persona-${p.code}`}
          onClick={() => {
            if (!busy) onLogin(p.code);
          }}
        >
          <View className='room__main'>
            <Text className='row__label'>{p.label}</Text>
            <Text className='room__meta'>{p.description}</Text>
          </View>
          <Text className='row__chevron'>›</Text>
        </View>
      ))}
    </Card>
  );
}
