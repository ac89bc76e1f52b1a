import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { addDays, statsQuery } from '@community/shared';
import { apiError, tokens, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { shanghaiDay } from './support/booking';
import { centreIds, centreMe, gridWorkerMe, statsRow } from './support/centre';
import { captureSaves, mockApiWithDownloads } from './support/download';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffStats from '../../miniapp/src/staff/stats/index';

const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });
const query = (c: Call) => Object.fromEntries(new URL(c.url).searchParams);
const statsCalls = (calls: Call[]) => calls.filter((c) => c.path === '/api/v1/staff/services/stats');
const exportCalls = (calls: Call[]) => calls.filter((c) => c.path === '/api/v1/staff/bookings/export');

const iso = (d: Date) => d.toISOString().slice(0, 10);
/** This month and last month by the Shanghai calendar, worked out here independently of the page. */
function months() {
  const [y, m] = shanghaiDay(0).split('-').map(Number) as [number, number];
  return {
    thisMonth: { from: iso(new Date(Date.UTC(y, m - 1, 1))), to: iso(new Date(Date.UTC(y, m, 0))) },
    lastMonth: { from: iso(new Date(Date.UTC(y, m - 2, 1))), to: iso(new Date(Date.UTC(y, m - 1, 0))) },
  };
}

const rows = [
  statsRow({ booked: 12, attended: 9, noShow: 1, cancelled: 2, ratingSum: 13, ratingCount: 3 }),
  statsRow({ serviceId: centreIds.service2, serviceName: '高龄津贴申请', booked: 4, attended: 4, ratingSum: 9, ratingCount: 2 }),
  statsRow({ serviceId: centreIds.service3, serviceName: '法律咨询', booked: 1, cancelled: 1 }),
];

function stack(over: Partial<Parameters<typeof mockApiWithDownloads>[1]> = {}) {
  return mockApiWithDownloads(
    {
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/services/stats': { status: 200, body: { items: rows } },
      'POST /api/v1/auth/refresh': { status: 200, body: tokens('new') },
    },
    { 'GET /api/v1/staff/bookings/export': () => ({ bytes: new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]) }), ...over },
  );
}

const cell = (row: HTMLElement, testId: string) => within(row).getByTestId(testId).textContent;

describe('staff: 服务统计与导出', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('asks for this month by default and shows each service’s figures, the average rating as sum / count', async () => {
    const api = stack();
    render(<StaffStats />);
    const [social, allowance, legal] = await screen.findAllByTestId('stats-row');
    expect(query(statsCalls(api.calls)[0]!)).toEqual(months().thisMonth);
    expect(screen.getByTestId('stats-quick-month').getAttribute('aria-checked')).toBe('true');

    expect(social!.textContent).toContain('社保卡申领与补换');
    expect(cell(social!, 'stats-booked')).toBe('预约12');
    expect(cell(social!, 'stats-attended')).toBe('到场9');
    expect(cell(social!, 'stats-no-show')).toBe('未到场1');
    expect(cell(social!, 'stats-cancelled')).toBe('取消2');
    // 13 / 3 = 4.33…, one decimal.
    expect(cell(social!, 'stats-average')).toBe('平均评分4.33条评价');
    expect(cell(allowance!, 'stats-average')).toBe('平均评分4.52条评价');
    // No ratings: said in words, never 0 or NaN.
    expect(cell(legal!, 'stats-average')).toBe('平均评分暂无评价');

    const total = screen.getByTestId('stats-total');
    expect(cell(total, 'stats-booked')).toBe('预约17');
    expect(cell(total, 'stats-cancelled')).toBe('取消3');
    // (13 + 9) / (3 + 2) = 4.4
    expect(cell(total, 'stats-average')).toBe('平均评分4.45条评价');
  });

  it('今天 and 上月 ask for their own dates', async () => {
    const api = stack();
    render(<StaffStats />);
    await screen.findAllByTestId('stats-row');
    fireEvent.click(screen.getByTestId('stats-quick-today'));
    await waitFor(() => expect(statsCalls(api.calls)).toHaveLength(2));
    expect(query(statsCalls(api.calls)[1]!)).toEqual({ from: shanghaiDay(0), to: shanghaiDay(0) });
    fireEvent.click(screen.getByTestId('stats-quick-lastMonth'));
    await waitFor(() => expect(statsCalls(api.calls)).toHaveLength(3));
    expect(query(statsCalls(api.calls)[2]!)).toEqual(months().lastMonth);
    expect((screen.getByTestId('stats-from-input') as HTMLInputElement).value).toBe(months().lastMonth.from);
  });

  it('导出 Excel downloads the period’s .xlsx with the token and saves it under its name', async () => {
    const saves = captureSaves();
    try {
      const api = stack();
      render(<StaffStats />);
      await screen.findAllByTestId('stats-row');
      fireEvent.click(screen.getByTestId('stats-export-submit'));
      expect((await screen.findByTestId('stats-exported')).textContent).toContain('已导出');
      const { from, to } = months().thisMonth;
      expect(exportCalls(api.calls)).toHaveLength(1);
      expect(query(exportCalls(api.calls)[0]!)).toEqual({ from, to });
      expect(exportCalls(api.calls)[0]!.headers.Authorization).toBe('Bearer access-staff');
      expect(saves.saved).toEqual([{ filename: `预约明细_${from}_${to}.xlsx`, href: 'blob:http://localhost/1', size: 7 }]);
    } finally {
      saves.restore();
    }
  });

  it('exports the typed period, refreshing an expired session once', async () => {
    const saves = captureSaves();
    try {
      const api = stack({
        'GET /api/v1/staff/bookings/export': (c) =>
          c.headers.Authorization === 'Bearer access-new' ? { bytes: new Uint8Array([1, 2, 3]) } : apiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录'),
      });
      render(<StaffStats />);
      await screen.findAllByTestId('stats-row');
      const from = addDays(shanghaiDay(0), -20);
      const to = addDays(shanghaiDay(0), -10);
      type('stats-from-input', from);
      type('stats-to-input', to);
      fireEvent.click(screen.getByTestId('stats-export-submit'));
      await screen.findByTestId('stats-exported');
      expect(exportCalls(api.calls).map(query)).toEqual([{ from, to }, { from, to }]);
      expect(api.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
      expect(saves.saved.map((s) => s.filename)).toEqual([`预约明细_${from}_${to}.xlsx`]);
      // The figures follow the exported period.
      await waitFor(() => expect(query(statsCalls(api.calls).at(-1)!)).toEqual({ from, to }));
    } finally {
      saves.restore();
    }
  });

  it('an export refused by the API shows its words', async () => {
    const saves = captureSaves();
    try {
      stack({ 'GET /api/v1/staff/bookings/export': () => apiError(400, 'VALIDATION_FAILED', '一次最多导出62天') });
      render(<StaffStats />);
      await screen.findAllByTestId('stats-row');
      fireEvent.click(screen.getByTestId('stats-export-submit'));
      expect((await screen.findByTestId('stats-export-error')).textContent).toBe('一次最多导出62天');
      expect(saves.saved).toEqual([]);
    } finally {
      saves.restore();
    }
  });

  it('a period that cannot be asked for is explained in Chinese and nothing is sent', async () => {
    const api = stack();
    render(<StaffStats />);
    await screen.findAllByTestId('stats-row');
    const asked = () => statsCalls(api.calls).length + exportCalls(api.calls).length;
    expect(asked()).toBe(1);

    // The end before the start.
    type('stats-from-input', '2026-11-20');
    type('stats-to-input', '2026-11-10');
    fireEvent.click(screen.getByTestId('stats-apply'));
    expect((await screen.findByTestId('stats-period-error')).textContent).toContain('结束日期不能早于开始日期');
    fireEvent.click(screen.getByTestId('stats-export-submit'));

    // 63 days counted, one more than the 62 the page promises.
    type('stats-from-input', '2026-01-01');
    type('stats-to-input', '2026-03-04');
    fireEvent.click(screen.getByTestId('stats-apply'));
    await waitFor(() => expect(screen.getByTestId('stats-period-error').textContent).toContain('一次最多查看或导出62天'));
    fireEvent.click(screen.getByTestId('stats-export-submit'));

    // Not a date the shared statsQuery takes, and a day that does not exist.
    type('stats-from-input', '2026/11/01');
    type('stats-to-input', '2026-02-30');
    fireEvent.click(screen.getByTestId('stats-export-submit'));
    const format = statsQuery.safeParse({ from: '2026/11/01', to: '2026-11-30' });
    expect(format.success).toBe(false);
    expect((await screen.findByTestId('stats-from-error')).textContent).toBe(format.success ? '' : format.error.issues[0]!.message);

    type('stats-from-input', '2026-02-01');
    fireEvent.click(screen.getByTestId('stats-apply'));
    expect((await screen.findByTestId('stats-to-error')).textContent).toBe('没有这一天，请检查日期');

    expect(asked()).toBe(1);

    // 62 days counted from the first is fine.
    type('stats-from-input', '2026-01-01');
    type('stats-to-input', '2026-03-03');
    fireEvent.click(screen.getByTestId('stats-apply'));
    await waitFor(() => expect(statsCalls(api.calls)).toHaveLength(2));
    expect(query(statsCalls(api.calls)[1]!)).toEqual({ from: '2026-01-01', to: '2026-03-03' });
    expect(screen.queryByTestId('stats-period-error')).toBeNull();
  });

  it('a grid worker is told plainly the page is for the centre', async () => {
    const { calls } = mockApiWithDownloads({ 'GET /api/v1/me': gridWorkerMe }, {});
    render(<StaffStats />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
    expect(calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });

  it('renders in 长辈版', async () => {
    elderlyStore.set(true);
    stack();
    const { container } = render(<StaffStats />);
    await screen.findAllByTestId('stats-row');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    expect(screen.getAllByText('暂无评价').length).toBeGreaterThan(0);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], button'))) expect(el.className).toContain('tap');
  });
});
