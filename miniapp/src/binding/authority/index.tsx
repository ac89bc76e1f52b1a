import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { authorityCreateBody, authorityScopeLabels, authorityScopes, type AuthorityScope, type AuthorityView, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P } from '../../components/ui';
import { Api, type AuthorityCandidate } from '../../services/endpoints';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';

const durations = [
  { value: '7', label: '7天' },
  { value: '30', label: '一个月' },
  { value: '90', label: '三个月' },
  { value: '365', label: '一年' },
] as const;

const relationLabels = { family: '同住家人', grid_worker: '网格员' } as const;

/** What each scope lets the other person do, said to the resident. */
const scopeHints: Record<AuthorityScope, string> = {
  bookings: '预约、取消、改约服务',
  signups: '报名、取消社区活动',
  votes: '替您参加议事投票',
};

/** Several at once (big buttons like ChoiceGrid, each on or off, “✓ 已选” in words). */
function ScopeToggles({ values, onToggle }: { values: readonly AuthorityScope[]; onToggle: (v: AuthorityScope) => void }) {
  return (
    <View className='choices choices--1' data-testid='pick-scopes'>
      {authorityScopes.map((scope) => {
        const on = values.includes(scope);
        return (
          <View key={scope} className={`tap choice ${on ? 'choice--on' : ''}`} role='checkbox' aria-checked={on} data-testid={`pick-scopes-${scope}`} onClick={() => onToggle(scope)}>
            <Text className='choice__label'>{authorityScopeLabels[scope]}</Text>
            <Text className='choice__hint'>{on ? `✓ 已选 · ${scopeHints[scope]}` : scopeHints[scope]}</Text>
          </View>
        );
      })}
    </View>
  );
}

function until(iso: string): string {
  return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/**
 * 授权家人代办 (S5): a resident lets a household member or their grid worker
 * book services for them, for a while, and can take it back at any time. Every
 * booking made this way shows who made it, and the resident is told.
 */
export default function Authorities() {
  const [given, setGiven] = useState<AuthorityView[] | null>(null);
  const [received, setReceived] = useState<AuthorityView[]>([]);
  const [candidates, setCandidates] = useState<AuthorityCandidate[]>([]);
  const [granteeId, setGranteeId] = useState<string | null>(null);
  const [days, setDays] = useState<string>('30');
  const [scopes, setScopes] = useState<AuthorityScope[]>(['bookings']);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      const lists = await Api.authorities();
      setGiven(lists.given);
      setReceived(lists.received);
      setCandidates((await Api.authorityCandidates().catch(() => ({ items: [] }))).items);
    } catch (e) {
      setError(messageOf(e));
      setGiven([]);
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  async function grant() {
    setError(null);
    setNotice(null);
    // In the catalogue's order, whatever order they were tapped in.
    const parsed = authorityCreateBody.safeParse({ granteeId: granteeId ?? '', scopes: authorityScopes.filter((s) => scopes.includes(s)), days: Number(days) });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const made = await Api.grantAuthority(parsed.data);
      setNotice(`已授权${made.granteeName}替您${made.scopes.map((s) => authorityScopeLabels[s]).join('、')}，${until(made.expiresAt)}前有效`);
      setGranteeId(null);
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(a: AuthorityView) {
    setError(null);
    try {
      await Api.revokeAuthority(a.id);
      setNotice(`已收回给${a.granteeName}的授权`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (!given) {
    return (
      <PageShell title='授权家人代办' className='page-authority'>
        <Loading />
      </PageShell>
    );
  }

  const active = given.filter((a) => a.active);
  return (
    <PageShell title='授权家人代办' subtitle='腿脚不便或不会用手机时，可以让家人或网格员替您预约、报名活动或投票' className='page-authority'>
      <Notice tone='ok' text={notice} testId='authority-notice' />
      <Notice tone='bad' text={error} testId='authority-error' />

      <Card title='我授权的人'>
        {active.length === 0 ? <Empty text='还没有授权任何人' /> : null}
        {active.map((a) => (
          <View key={a.id} className='room' data-testid='authority-given'>
            <View className='room__main'>
              <Text className='row__label'>{a.granteeName}</Text>
              <Text className='room__meta'>
                {a.scopes.map((s) => authorityScopeLabels[s]).join('、')} · {until(a.expiresAt)}前有效
              </Text>
            </View>
            <View className='room__action'>
              <Btn kind='secondary' testId={`revoke-${a.id}`} onClick={() => void revoke(a)}>
                收回
              </Btn>
            </View>
          </View>
        ))}
      </Card>

      <Card title='新的授权'>
        {candidates.length === 0 ? (
          <P muted>绑定房屋后，同住的家人和本网格的网格员会出现在这里。</P>
        ) : (
          <>
            <Field label='授权给谁' error={errors.granteeId} testId='granteeId'>
              <ChoiceGrid
                testId='pick-grantee'
                options={candidates.map((c) => ({ value: c.id, label: c.name, hint: relationLabels[c.relation] }))}
                value={granteeId}
                onChange={setGranteeId}
              />
            </Field>
            <Field label='可以替您办什么' hint='可以选几项' error={errors.scopes} testId='scopes'>
              <ScopeToggles values={scopes} onToggle={(v) => setScopes((list) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]))} />
            </Field>
            <Field label='多长时间' error={errors.days} testId='days'>
              <ChoiceGrid testId='pick-days' options={[...durations]} value={days} onChange={setDays} />
            </Field>
            <P muted>对方只能办您选的这几项；每次办理您都会收到消息，随时可以收回。</P>
            <Btn testId='authority-submit' loading={busy} onClick={() => void grant()}>
              确认授权
            </Btn>
          </>
        )}
      </Card>

      {received.filter((a) => a.active).length ? (
        <Card title='别人授权我代办'>
          {received
            .filter((a) => a.active)
            .map((a) => (
              <View key={a.id} className='room' data-testid='authority-received'>
                <View className='room__main'>
                  <Text className='row__label'>{a.grantorName}</Text>
                  <Text className='room__meta'>
                    {a.scopes.map((s) => authorityScopeLabels[s]).join('、')} · {until(a.expiresAt)}前有效
                  </Text>
                </View>
              </View>
            ))}
        </Card>
      ) : null}
    </PageShell>
  );
}
