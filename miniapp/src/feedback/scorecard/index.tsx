import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Loading, Notice, P } from '../../components/ui';
import { Api, type CaseFigures, type Scorecard } from '../../services/endpoints';
import { shanghaiToday } from '../../services/format';
import { messageOf } from '../../services/request';
import { monthsAround, monthWords, rateOf } from '../time';
import '../feedback.scss';

interface RateLine {
  key: string;
  label: string;
  of: (f: CaseFigures) => [number, number];
  /** Lower is better (重新打开率): drawn in another colour. */
  lowerIsBetter?: boolean;
  explain: string;
}

const rateLines: RateLine[] = [
  { key: 'accepted', label: '按时受理率', of: (f) => [f.acceptedInTime, f.cases], explain: '按承诺时间受理的，占全部反映的问题' },
  { key: 'resolved', label: '按时办结率', of: (f) => [f.resolvedInTime, f.resolved], explain: '按承诺时间办好的，占已办好的问题' },
  { key: 'satisfied', label: '满意率', of: (f) => [f.satisfied, f.rated], explain: '评价“满意”和“非常满意”的，占全部评价' },
  { key: 'reopened', label: '重新打开率', of: (f) => [f.reopened, f.resolved], lowerIsBetter: true, explain: '居民说“没解决”又重新打开的，占已办好的问题（越低越好）' },
];

/** One unit's four rates: the percentage, its fraction ("12/15") and a bar; "暂无" when nothing was counted. */
function Figures({ f, testId }: { f: CaseFigures; testId: string }) {
  return (
    <View className='fb-rates' data-testid={testId}>
      <Text className='fb-item__meta'>{`反映 ${f.cases} 件 · 已办好 ${f.resolved} 件 · 评价 ${f.rated} 条`}</Text>
      {rateLines.map((line) => {
        const [n, d] = line.of(f);
        const r = rateOf(n, d);
        return (
          <View key={line.key} className='fb-rate' data-testid={`${testId}-${line.key}`}>
            <View className='fb-rate__head'>
              <Text className='fb-rate__label'>{line.label}</Text>
              <Text className={`fb-rate__value ${r.percent === null ? 'fb-rate__value--none' : ''}`} data-testid='rate-value'>
                {r.percent === null ? r.text : `${r.text}（${r.fraction}）`}
              </Text>
            </View>
            <View className='fb-bar' aria-hidden>
              {r.percent !== null ? (
                <View className={`fb-bar__fill ${line.lowerIsBetter ? 'fb-bar__fill--low' : ''}`} style={{ width: `${r.percent}%` }} />
              ) : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}

export default function FeedbackScorecard() {
  const { thisMonth, lastMonth } = monthsAround(shanghaiToday());
  const [month, setMonth] = useState(thisMonth);
  const [card, setCard] = useState<Scorecard | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(m: string) {
    setCard(null);
    setError(null);
    try {
      setCard(await Api.scorecard(m));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load(month);
  }, [month]);

  return (
    <PageShell title='物业服务考核' subtitle='每月公开，居民反映的问题办得怎么样' className='page-feedback-scorecard'>
      <View className='fb-tabs'>
        <ChoiceGrid
          testId='month'
          columns={2}
          options={[
            { value: thisMonth, label: '本月', hint: monthWords(thisMonth) },
            { value: lastMonth, label: '上月', hint: monthWords(lastMonth) },
          ]}
          value={month}
          onChange={setMonth}
        />
      </View>
      <Notice tone='bad' text={error} testId='scorecard-error' />
      {error ? (
        <Btn kind='secondary' onClick={() => void load(month)}>
          重新加载
        </Btn>
      ) : null}
      {!card && !error ? <Loading /> : null}
      {card ? (
        <>
          <Card title={`全社区 · ${monthWords(card.month)}`} testId='scorecard-total-card'>
            <Figures f={card.total} testId='scorecard-total' />
          </Card>
          {card.companies.map((co) => (
            <Card key={co.id} title={co.name} testId='scorecard-company'>
              <Figures f={co} testId={`company-${co.id}`} />
            </Card>
          ))}
          <Card title='按第一个接手的单位' testId='scorecard-desks'>
            {card.desks.map((d) => (
              <View key={d.level} className='fb-desk'>
                <Text className='fb-desk__name'>{d.label}</Text>
                <Figures f={d} testId={`desk-${d.level}`} />
              </View>
            ))}
          </Card>
        </>
      ) : null}
      <Card title='怎么算的'>
        {rateLines.map((l) => (
          <P key={l.key}>{`${l.label}：${l.explain}。`}</P>
        ))}
        <P muted>按问题反映的月份统计。没有可算的问题时显示“暂无”。这里不会出现任何居民的名字。</P>
      </Card>
    </PageShell>
  );
}
