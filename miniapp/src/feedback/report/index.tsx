import { useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  caseCategories,
  caseCategoryLabels,
  caseCreateBody,
  caseKindLabels,
  caseKinds,
  caseStatusLabels,
  type BuildingView,
  type CaseCategory,
  type CaseKind,
  type CaseView,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { Api } from '../../services/endpoints';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { pathErrorsOf } from '../../services/validation';
import { failureOf, type Failure } from '../failure';
import { caseTitle, statusTone } from '../parts';
import { PhotoPicker, usePhotoUploads } from '../PhotoPicker';
import '../feedback.scss';

type PlaceKind = 'room' | 'common';
type Visibility = 'everyone' | 'staff_only';

const MAX_PHOTOS = 9;

/** The words for a choice not made yet (the shared schema's own words say only that an id is malformed). */
const PLACE_MISSING = '请选择问题在哪里';
const ROOM_MISSING = '请选择是哪一套房';
const BUILDING_MISSING = '请选择是哪一栋楼';

const kindOptions = caseKinds.map((k) => ({ value: k, label: caseKindLabels[k] }));
const categoryOptions = caseCategories.map((c) => ({ value: c, label: caseCategoryLabels[c] }));
const placeOptions: { value: PlaceKind; label: string; hint: string }[] = [
  { value: 'room', label: '我家', hint: '家里的水电、漏水等' },
  { value: 'common', label: '楼栋公共区域', hint: '楼道、电梯、楼下等' },
];
const visibilityOptions: { value: Visibility; label: string; hint: string }[] = [
  { value: 'everyone', label: '所有处理人员', hint: '物业、网格员和社区工作人员都能看到您的名字，方便联系您' },
  { value: 'staff_only', label: '仅社区工作人员', hint: '物业和其他居民只会看到“匿名居民”和楼栋，看不到房号' },
];

/** "同一问题？" — an open case in the same building and category, with 加入关注. */
function SimilarCase({ c }: { c: CaseView }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = () => go(withQuery(Routes.feedbackCase, { id: c.id }));

  async function follow() {
    setBusy(true);
    setError(null);
    try {
      await Api.followCase(c.id);
      open();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const excerpt = c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text;
  return (
    <View className='fb-similar' data-testid='similar-case'>
      <View className='fb-item__head'>
        <Text className='fb-item__title'>{caseTitle(c)}</Text>
        <Tag tone={statusTone[c.status]}>{caseStatusLabels[c.status]}</Tag>
      </View>
      <Text className='fb-item__meta'>{c.placeLabel}</Text>
      <Text className='fb-item__text'>{excerpt}</Text>
      <Text className='fb-item__meta'>{c.followers ? `已有${c.followers}位邻居关注` : '还没有人关注'}</Text>
      <Notice tone='bad' text={error} />
      {c.mine || c.following ? (
        <View className='actions'>
          <Btn kind='secondary' testId='similar-open' onClick={open}>
            {c.mine ? '这是您反映过的，去看看' : '您已关注，去看看'}
          </Btn>
        </View>
      ) : (
        <View className='actions'>
          <Btn testId='similar-follow' loading={busy} onClick={() => void follow()}>
            加入关注
          </Btn>
        </View>
      )}
    </View>
  );
}

export default function FeedbackReport() {
  const { me, roomsKnown, status, error: meError } = useMe();
  const rooms = (me?.rooms ?? []).filter((r) => r.status === 'approved');
  const [kind, setKind] = useState<CaseKind | null>(null);
  const [category, setCategory] = useState<CaseCategory | null>(null);
  const [urgent, setUrgent] = useState(false);
  const [placeKind, setPlaceKind] = useState<PlaceKind | null>(null);
  const [roomId, setRoomId] = useState<string | null>(null);
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [spot, setSpot] = useState('');
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('everyone');
  const photos = usePhotoUploads(MAX_PHOTOS);
  const [buildings, setBuildings] = useState<BuildingView[] | null>(null);
  const [buildingsError, setBuildingsError] = useState<string | null>(null);
  const [similar, setSimilar] = useState<CaseView[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per report: kept while the answer is unknown (a network failure), so 重试 cannot report twice.
  const key = useRef<string | null>(null);

  useEffect(() => {
    Api.buildings()
      .then((r) => setBuildings(r.items))
      .catch((e: unknown) => setBuildingsError(messageOf(e)));
  }, []);

  // The building the problem is in, once known: the one picked, or the chosen room's.
  const room = rooms.find((r) => r.roomId === roomId) ?? null;
  const placeBuildingId = placeKind === 'common' ? buildingId : placeKind === 'room' && room ? room.buildingId : null;

  // 同一问题？: open cases in the same building and category, asked for once both are known.
  useEffect(() => {
    setSimilar([]);
    if (!placeBuildingId || !category) return;
    let live = true;
    Api.similarCases(placeBuildingId, category)
      .then((r) => live && setSimilar(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [placeBuildingId, category]);

  // Anything changed after a failure: the next tap is a new report.
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    key.current = null;
    setFailure(null);
  };

  function pickPlace(p: PlaceKind) {
    setPlaceKind(p);
    key.current = null;
    if (p === 'room' && rooms.length === 1) setRoomId(rooms[0]!.roomId);
  }

  async function submit() {
    setFailure(null);
    const place =
      placeKind === 'room'
        ? { kind: 'room' as const, roomId: roomId ?? '' }
        : placeKind === 'common'
          ? { kind: 'common' as const, buildingId: buildingId ?? '', spot }
          : undefined;
    const parsed = caseCreateBody.safeParse({ kind: kind ?? undefined, category: category ?? undefined, urgent, place, text, photoIds: photos.ids, visibility });
    const fe: FieldErrors = parsed.success ? {} : pathErrorsOf(parsed.error.issues);
    if (!place) fe.place = [PLACE_MISSING];
    if (placeKind === 'room' && !roomId) fe['place.roomId'] = [ROOM_MISSING];
    if (placeKind === 'common' && !buildingId) fe['place.buildingId'] = [BUILDING_MISSING];
    if (photos.uploading) fe.photoIds = ['照片还在上传，请稍等一下再提交'];
    else if (photos.failed) fe.photoIds = ['有照片没有传上，请删除它再提交'];
    if (!parsed.success || Object.keys(fe).length) {
      setErrors(fe);
      setFailure({ message: '还有内容没有填好，请看红字提示', code: 'LOCAL', retry: false });
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const created = await Api.reportCase(parsed.data, key.current);
      key.current = null;
      void Taro.redirectTo({ url: withQuery(Routes.feedbackCase, { id: created.id, new: '1' }) }).catch(() => undefined);
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  if (!me || !roomsKnown) {
    return (
      <PageShell title='反映问题' className='page-feedback-report'>
        {status === 'error' ? <Notice tone='bad' text={meError} /> : <Loading />}
      </PageShell>
    );
  }

  if (rooms.length === 0) {
    return (
      <PageShell title='反映问题' className='page-feedback-report'>
        <Card testId='report-needs-room'>
          <P>绑定房屋后才能反映问题，这样处理的人知道是哪里、怎么联系您。</P>
          <View className='actions'>
            <Btn testId='go-bind' onClick={() => go(Routes.bindingApply)}>
              去绑定房屋
            </Btn>
            <Btn kind='secondary' onClick={() => go(Routes.feedbackScorecard)}>
              看看物业服务考核
            </Btn>
          </View>
        </Card>
      </PageShell>
    );
  }

  return (
    <PageShell title='反映问题' subtitle='报修、投诉、建议都可以，我们会尽快处理' className='page-feedback-report'>
      <Card title='1. 您想反映什么？'>
        <Field label='类型' error={errors.kind} testId='kind'>
          <ChoiceGrid testId='pick-kind' columns={3} options={kindOptions} value={kind} onChange={changed(setKind)} />
        </Field>
        <Field label='哪方面的问题' error={errors.category} testId='category'>
          <ChoiceGrid testId='pick-category' columns={3} options={categoryOptions} value={category} onChange={changed(setCategory)} />
        </Field>
        <View
          className={`tap choice fb-urgent ${urgent ? 'choice--on' : ''}`}
          role='checkbox'
          aria-checked={urgent}
          data-testid='urgent'
          onClick={() => changed(setUrgent)(!urgent)}
        >
          <Text className='choice__label'>{urgent ? '☑ 紧急（如漏水、停电、困梯）' : '☐ 紧急（如漏水、停电、困梯）'}</Text>
          <Text className='choice__hint'>{urgent ? '已选：会优先处理，承诺更短的时间' : '遇到这类急事请点一下'}</Text>
        </View>
        {urgent ? <P muted>有人被困在电梯里、着火等危险情况，请直接打 119 或 110。</P> : null}
      </Card>

      <Card title='2. 问题在哪里？'>
        <Field label='地点' error={errors.place} testId='place'>
          <ChoiceGrid testId='pick-place' columns={2} options={placeOptions} value={placeKind} onChange={pickPlace} />
        </Field>
        {placeKind === 'room' ? (
          <Field label='哪一套房' error={errors['place.roomId']} testId='room'>
            <ChoiceGrid
              testId='pick-room'
              columns={1}
              options={rooms.map((r) => ({ value: r.roomId, label: r.label }))}
              value={roomId}
              onChange={changed(setRoomId)}
            />
          </Field>
        ) : null}
        {placeKind === 'common' ? (
          <>
            <Field label='哪一栋楼' error={errors['place.buildingId']} testId='building'>
              <Notice tone='bad' text={buildingsError} />
              {buildings ? (
                <ChoiceGrid
                  testId='pick-building'
                  columns={3}
                  options={buildings.map((b) => ({ value: b.id, label: b.name }))}
                  value={buildingId}
                  onChange={changed(setBuildingId)}
                />
              ) : buildingsError ? null : (
                <Loading />
              )}
            </Field>
            <Field label='具体位置' hint='例如：2单元电梯、3楼楼道、楼下停车棚' error={errors['place.spot']} testId='spot'>
              <Input className='input' value={spot} maxlength={40} placeholder='写清楚在哪儿' onInput={(e) => changed(setSpot)(e.detail.value)} data-testid='spot-input' />
            </Field>
          </>
        ) : null}
      </Card>

      {similar.length ? (
        <Card title='同一问题？加入关注' className='card--accent' testId='similar'>
          <P>这栋楼已经有人反映了同类问题。如果是同一件事，点“加入关注”就行，不用重复提交，处理进展会一起告诉您。</P>
          {similar.map((c) => (
            <SimilarCase key={c.id} c={c} />
          ))}
          <P muted>不是同一件事？请接着往下填写。</P>
        </Card>
      ) : null}

      <Card title='3. 说说是什么情况'>
        <Field label='情况' hint='可以点微信键盘上的话筒，说话就能变成文字' error={errors.text} testId='text'>
          <Textarea
            className='input fb-textarea fb-report-text'
            value={text}
            maxlength={1000}
            placeholder='例如：厨房水管漏水，已经关了总阀'
            onInput={(e) => changed(setText)(e.detail.value)}
            data-testid='text-input'
          />
        </Field>
        <Field label='照片（可不加）' error={errors.photoIds} testId='photo'>
          <PhotoPicker uploads={photos} max={MAX_PHOTOS} hint='拍一下现场，处理的人更容易明白。' />
        </Field>
      </Card>

      <Card title='4. 谁能看到您的名字'>
        <Field label='请选一个' error={errors.visibility} testId='visibility'>
          <ChoiceGrid testId='pick-visibility' columns={1} options={visibilityOptions} value={visibility} onChange={changed(setVisibility)} />
        </Field>
        <P muted>社区工作人员总能看到您的名字和电话，方便回访。</P>
        {visibility === 'staff_only' && placeKind === 'room' ? (
          <Notice tone='info' testId='anonymous-home' text='家里的问题选了匿名：物业看不到房号，需要上门时由社区工作人员打电话和您约时间。' />
        ) : null}
      </Card>

      <Card>
        <Notice tone='bad' text={failure?.message} testId='report-error' />
        <FieldError messages={errors['']} />
        <Btn testId='report-submit' loading={busy} onClick={() => void submit()}>
          {failure?.retry ? '重试' : '提交'}
        </Btn>
        <View className='actions'>
          <Btn kind='plain' onClick={() => go(Routes.feedbackMine)}>
            我反映过的问题
          </Btn>
        </View>
      </Card>
    </PageShell>
  );
}
