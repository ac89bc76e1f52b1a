import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import type { MeetingDetailView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { AttendanceBlock, meetingPhase, meetingWhenLines, Minutes, phaseLabels, phaseTones, Resolution, started } from '../meetingParts';
import '../vote.scss';

/** What a council member should do about signing in, or null for everyone else. */
function signInHint(m: MeetingDetailView): { tone: 'ok' | 'info' | 'wait'; text: string } | null {
  if (!m.me.member || m.status === 'cancelled') return null;
  if (m.me.signedInAt) return { tone: 'ok', text: `您已签到（${formatTime(m.me.signedInAt)}），谢谢您来参会。` };
  if (m.signInOpen) return { tone: 'wait', text: '您是议事会成员。到了会场，请用微信“扫一扫”扫会场贴着的签到码签到；没带手机的，请找工作人员代签到。' };
  if (meetingPhase(m) === 'upcoming') return { tone: 'info', text: '您是议事会成员，请按时参会。会议开始前1小时起，可以在会场扫码签到。' };
  return null;
}

/**
 * One 议事会 (V10): when and where, the agenda (items from residents' topics link
 * to them), who came and whether more than half did, the minutes, and each
 * resolution with the show of hands and how its follow-up is going.
 */
export default function MeetingPage() {
  const { params } = useRouter();
  const meetingId = params.id ?? '';
  const [m, setM] = useState<MeetingDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    if (!(await ensureLoggedIn())) return goToLogin();
    try {
      setM(await Api.meeting(meetingId));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void load();
  });

  if (!m) {
    return (
      <PageShell title='议事会' className='page-meeting'>
        <Notice tone='bad' text={error} testId='meeting-error' />
        {error ? (
          <View className='actions'>
            <Btn kind='secondary' onClick={() => void load()}>
              重新加载
            </Btn>
            <Btn kind='plain' onClick={() => go(Routes.voteMeetings)}>
              看全部议事会
            </Btn>
          </View>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const phase = meetingPhase(m);
  const hint = signInHint(m);
  return (
    <PageShell title={m.title} className='page-meeting'>
      <View className='tags vote-tags'>
        <Tag tone={phaseTones[phase]}>{phaseLabels[phase]}</Tag>
      </View>
      <Card testId='meeting-facts'>
        <View className='vote-facts'>
          <View className='vote-fact'>
            <Text className='vote-fact__key'>时间</Text>
            <View className='vote-fact__value' data-testid='meeting-when'>
              {meetingWhenLines(m).map((line) => (
                <Text key={line} className='mtg-fact__value'>
                  {line}
                </Text>
              ))}
            </View>
          </View>
          <View className='vote-fact'>
            <Text className='vote-fact__key'>地点</Text>
            <View className='vote-fact__value' data-testid='meeting-place'>
              <Text className='mtg-fact__value'>{m.place}</Text>
            </View>
          </View>
        </View>
      </Card>
      {m.status === 'cancelled' ? (
        <Notice tone='bad' testId='meeting-cancelled' text={`这次会议已取消${m.cancelReason ? `：${m.cancelReason}` : '。'}`} />
      ) : null}
      {hint ? <Notice tone={hint.tone} text={hint.text} testId='meeting-sign-hint' /> : null}
      {error ? <Notice tone='bad' text={error} testId='meeting-error' /> : null}

      <Card title='议题' testId='meeting-agenda'>
        {m.agenda.map((a, i) => {
          const topicId = a.topicId;
          return topicId ? (
            <View
              key={i}
              className='tap mtg-agenda'
              role='button'
              data-testid={`agenda-${i}`}
              onClick={() => go(withQuery(Routes.voteTopic, { id: topicId }))}
            >
              <Text className='mtg-agenda__num'>{`${i + 1}.`}</Text>
              <Text className='mtg-agenda__title'>{a.title}</Text>
              <Text className='mtg-agenda__link'>居民议题 ›</Text>
            </View>
          ) : (
            <View key={i} className='mtg-agenda' data-testid={`agenda-${i}`}>
              <Text className='mtg-agenda__num'>{`${i + 1}.`}</Text>
              <Text className='mtg-agenda__title'>{a.title}</Text>
            </View>
          );
        })}
      </Card>

      {m.status !== 'cancelled' ? (
        <Card title='到会情况' testId='meeting-attendance-card'>
          {started(m) || m.present > 0 ? (
            <AttendanceBlock m={m} />
          ) : (
            <P>{`议事会成员${m.expected}人，到会过半数（${m.quorum}人）才能表决。`}</P>
          )}
        </Card>
      ) : null}

      {m.status !== 'cancelled' ? (
        <Card title='会议纪要' testId='meeting-minutes-card'>
          {m.minutes ? <Minutes minutes={m.minutes} /> : <Empty text={started(m) ? '纪要还在整理，整理好会公布在这里。' : '会议开完后，纪要会公布在这里。'} />}
        </Card>
      ) : null}

      {m.resolutions.length ? (
        <Card title={`决议（${m.resolutions.length}项）`} testId='meeting-resolutions'>
          {m.resolutions.map((r) => (
            <Resolution key={r.id} r={r} />
          ))}
        </Card>
      ) : m.status !== 'cancelled' && phase !== 'upcoming' ? (
        <Card title='决议' testId='meeting-resolutions'>
          <Empty text='还没有形成决议。' />
        </Card>
      ) : null}

      <View className='actions'>
        <Btn kind='plain' onClick={() => go(Routes.voteMeetings)}>
          看全部议事会
        </Btn>
      </View>
    </PageShell>
  );
}
