import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { residentSearchQuery, type FieldErrors } from '@community/shared';
import { Btn, Card, Field, Notice, P } from '../components/ui';
import { Api, type ResidentFound } from '../services/endpoints';
import { messageOf } from '../services/request';
import { fieldErrorsOf } from '../services/validation';

/**
 * 窗口代约 (B10), centre staff only: find the resident by name or room, then the
 * slot picked below is booked for them (`forResidentId`); the booking records
 * who booked it and the resident is told.
 */
export function ActFor({ value, onChange }: { value: ResidentFound | null; onChange: (r: ResidentFound | null) => void }) {
  const [q, setQ] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<ResidentFound[] | null>(null);
  const [busy, setBusy] = useState(false);

  async function search() {
    setError(null);
    const parsed = residentSearchQuery.safeParse({ q });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setFound((await Api.searchResidents(parsed.data.q)).items);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (value) {
    return (
      <Card title='窗口代约' testId='act-for'>
        <Notice tone='info' text={`正在为 ${value.name}（${value.rooms.join('、')}）代约，选好时间后确认。`} testId='act-for-chosen' />
        <Btn kind='plain' testId='act-for-clear' onClick={() => onChange(null)}>
          不代约了
        </Btn>
      </Card>
    );
  }
  return (
    <Card title='窗口代约' testId='act-for'>
      <P muted>替来窗口或打电话的居民预约：先找到这位居民。</P>
      <Field label='居民姓名或房号' error={errors.q} testId='act-for-q'>
        <Input
          className='input'
          value={q}
          maxlength={20}
          placeholder='例如：刘桂兰 或 5号楼'
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => void search()}
          data-testid='act-for-input'
        />
      </Field>
      <Notice tone='bad' text={error} />
      <Btn kind='secondary' testId='act-for-search' loading={busy} onClick={() => void search()}>
        查找居民
      </Btn>
      {found && found.length === 0 ? <P>没有找到，请换个写法再试。</P> : null}
      {found?.map((r) => (
        <View key={r.id} className='tap row' role='button' data-testid='act-for-result' onClick={() => onChange(r)}>
          <View className='row__main'>
            <Text className='row__label'>{r.name}</Text>
            <Text className='row__sub'>{[r.rooms.join('、'), r.phoneMasked].filter(Boolean).join(' · ')}</Text>
          </View>
          <Text className='row__chevron'>›</Text>
        </View>
      ))}
    </Card>
  );
}
