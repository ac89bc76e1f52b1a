import { useCallback, useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { addDays, statsQuery, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P } from '../../components/ui';
import { IS_H5 } from '../../env';
import { Api, type ServiceStatsRow } from '../../services/endpoints';
import { shanghaiToday } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { dayText, daysIn, MAX_PERIOD_DAYS, periodProblem, quickOf, quickPeriod, quickPeriods, type Period, type QuickPeriod } from '../dates';
import '../admin.scss';

/** 平均评分 = ratingSum / ratingCount, one decimal; nothing to average is said in words. */
function averageText(row: Pick<ServiceStatsRow, 'ratingSum' | 'ratingCount'>): string {
  return row.ratingCount > 0 ? (row.ratingSum / row.ratingCount).toFixed(1) : '暂无评价';
}

type Totals = Omit<ServiceStatsRow, 'serviceId' | 'serviceName'>;

function totalsOf(rows: ServiceStatsRow[]): Totals {
  const t: Totals = { booked: 0, attended: 0, noShow: 0, cancelled: 0, ratingSum: 0, ratingCount: 0 };
  for (const r of rows) {
    t.booked += r.booked;
    t.attended += r.attended;
    t.noShow += r.noShow;
    t.cancelled += r.cancelled;
    t.ratingSum += r.ratingSum;
    t.ratingCount += r.ratingCount;
  }
  return t;
}

interface Checked {
  period: Period | null;
  fieldErrors: FieldErrors;
  problem: string | null;
}

/** The typed dates, checked as the API checks them (shared statsQuery, then the range) before anything is sent. */
function checkPeriod(from: string, to: string): Checked {
  const parsed = statsQuery.safeParse({ from: from.trim(), to: to.trim() });
  if (!parsed.success) return { period: null, fieldErrors: fieldErrorsOf(parsed.error.issues), problem: null };
  // The pattern alone lets 2026-02-30 through.
  const fieldErrors: FieldErrors = {};
  for (const key of ['from', 'to'] as const) {
    if (addDays(parsed.data[key], 0) !== parsed.data[key]) fieldErrors[key] = ['没有这一天，请检查日期'];
  }
  if (Object.keys(fieldErrors).length) return { period: null, fieldErrors, problem: null };
  const problem = periodProblem(parsed.data);
  return { period: problem ? null : parsed.data, fieldErrors: {}, problem };
}

function Figure({ label, value, hint, wide, testId }: { label: string; value: string | number; hint?: string; wide?: boolean; testId?: string }) {
  const words = typeof value === 'string' && !/^[\d.]+$/.test(value);
  return (
    <View className={`stats-cell ${wide ? 'stats-cell--wide' : ''}`} data-testid={testId}>
      <Text className='stats-cell__label'>{label}</Text>
      <Text className={`stats-cell__value ${words ? 'stats-cell__value--words' : ''}`}>{String(value)}</Text>
      {hint ? <Text className='stats-cell__hint'>{hint}</Text> : null}
    </View>
  );
}

function Figures({ name, row, total, testId }: { name: string; row: Totals; total?: boolean; testId: string }) {
  return (
    <View className={`stats-row ${total ? 'stats-row--total' : ''}`} data-testid={testId}>
      <Text className='stats-row__name'>{name}</Text>
      <View className='stats-cells'>
        <Figure label='预约' value={row.booked} testId='stats-booked' />
        <Figure label='到场' value={row.attended} testId='stats-attended' />
        <Figure label='未到场' value={row.noShow} testId='stats-no-show' />
        <Figure label='取消' value={row.cancelled} testId='stats-cancelled' />
        <Figure
          label='平均评分'
          value={averageText(row)}
          hint={row.ratingCount > 0 ? `${row.ratingCount}条评价` : undefined}
          wide
          testId='stats-average'
        />
      </View>
    </View>
  );
}

function Stats() {
  const today = shanghaiToday();
  const [from, setFrom] = useState(() => quickPeriod('month', today).from);
  const [to, setTo] = useState(() => quickPeriod('month', today).to);
  const [period, setPeriod] = useState<Period>(() => quickPeriod('month', today));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [rows, setRows] = useState<ServiceStatsRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  const load = useCallback(async (p: Period) => {
    setRows(null);
    try {
      setRows((await Api.serviceStats(p.from, p.to)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load(period);
  }, [period, load]);

  /**
   * The typed period if it can be asked for (the figures follow it); otherwise the
   * messages are shown and null comes back. `reload` asks again for the same period.
   */
  function checked(reload: boolean): Period | null {
    const c = checkPeriod(from, to);
    setFieldErrors(c.fieldErrors);
    setProblem(c.problem);
    if (c.period) {
      if (c.period.from !== period.from || c.period.to !== period.to) setPeriod(c.period);
      else if (reload) void load(period);
    }
    return c.period;
  }

  function pickQuick(q: QuickPeriod) {
    const p = quickPeriod(q, today);
    setFrom(p.from);
    setTo(p.to);
    setFieldErrors({});
    setProblem(null);
    setExported(null);
    setPeriod(p);
  }

  async function exportExcel() {
    setExportError(null);
    setExported(null);
    const p = checked(false);
    if (!p) return;
    setExporting(true);
    try {
      const file = await Api.exportBookings(p.from, p.to);
      setExported(IS_H5 ? `已导出“${file.filename}”，在浏览器的下载文件夹里。` : `已打开“${file.filename}”，可以点右上角转发给同事或用其他应用打开。`);
    } catch (e) {
      setExportError(messageOf(e));
    } finally {
      setExporting(false);
    }
  }

  const totals = rows ? totalsOf(rows) : null;

  return (
    <>
      <Card title='统计时段' testId='stats-period'>
        <ChoiceGrid options={quickPeriods} value={quickOf({ from, to }, today)} onChange={pickQuick} columns={3} testId='stats-quick' />
        <View className='stats-dates'>
          <Field label='从' error={fieldErrors.from} testId='stats-from'>
            <Input className='input' value={from} maxlength={10} placeholder='年-月-日' onInput={(e) => setFrom(e.detail.value)} data-testid='stats-from-input' />
          </Field>
          <Field label='到' error={fieldErrors.to} testId='stats-to'>
            <Input className='input' value={to} maxlength={10} placeholder='年-月-日' onInput={(e) => setTo(e.detail.value)} data-testid='stats-to-input' />
          </Field>
        </View>
        <P muted>{`日期写成 2026-12-01 这样，一次最多${MAX_PERIOD_DAYS}天。`}</P>
        <Notice tone='bad' text={problem} testId='stats-period-error' />
        <Btn kind='secondary' testId='stats-apply' onClick={() => void checked(true)}>
          查看这段时间
        </Btn>
      </Card>

      <Card title='导出 Excel' testId='stats-export'>
        <P muted>
          {IS_H5
            ? '把这段时间的预约明细和按事项统计导出成表格，文件会存到浏览器的下载文件夹。'
            : '把这段时间的预约明细和按事项统计导出成表格，下载后直接打开，可以转发给同事。'}
        </P>
        <Notice tone='ok' text={exported} testId='stats-exported' />
        <Notice tone='bad' text={exportError} testId='stats-export-error' />
        <Btn loading={exporting} testId='stats-export-submit' onClick={() => void exportExcel()}>
          导出 Excel
        </Btn>
      </Card>

      <Card title='按事项统计' testId='stats-table'>
        <P muted>{`${dayText(period.from, today)} 至 ${dayText(period.to, today)}，共${daysIn(period)}天`}</P>
        <Notice tone='bad' text={error} />
        {rows === null && !error ? <Loading /> : null}
        {rows && rows.length === 0 ? <Empty text='还没有服务事项。' /> : null}
        {rows && rows.length && totals ? (
          <>
            <Figures name='全部事项合计' row={totals} total testId='stats-total' />
            {rows.map((r) => (
              <Figures key={r.serviceId} name={r.serviceName} row={r} testId='stats-row' />
            ))}
            <P muted>预约数不算候补中和候补没成功的；平均评分满分5分。</P>
          </>
        ) : null}
      </Card>
    </>
  );
}

export default function StaffStats() {
  return (
    <PageShell title='服务统计与导出' subtitle='每个事项的预约、到场和评价' className='page-staff-stats'>
      <CentreOnly>
        <Stats />
      </CentreOnly>
    </PageShell>
  );
}
