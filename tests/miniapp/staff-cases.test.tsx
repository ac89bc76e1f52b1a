import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { addDays, casePauseBody, caseResolveBody, caseTransferBody } from '@community/shared';
import { apiError, mockApi, user, type Call, type Reply } from './support/http';
import { mockApiWithFiles } from './support/files';
import { captureSaves, mockApiWithDownloads } from './support/download';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { shanghaiDay } from './support/booking';
import { centreMe, gridWorkerMe } from './support/centre';
import { caseIds, caseView, fromNow, step } from './support/cases';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffCases from '../../miniapp/src/staff/cases/index';
import StaffHome from '../../miniapp/src/staff/index/index';
import FeedbackScorecard from '../../miniapp/src/feedback/scorecard/index';

type Handler = (call: Call) => Reply | Promise<Reply>;

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const listCalls = (calls: Call[], status: string) =>
  calls.filter((c) => c.path === '/api/v1/staff/cases' && new URL(c.url).searchParams.get('status') === status);
const action = (name: string, id = caseIds.case) => `/api/v1/staff/cases/${id}/${name}`;

const propertyMe = {
  status: 200,
  body: { ...user({ kind: 'staff', roles: ['property_staff'], displayName: '钱伟', propertyCompanyId: caseIds.company }), rooms: [] },
};

/** A case as the property company sees a resident who hid their name: 匿名居民, no phone. */
const hidden = (over: Record<string, unknown> = {}) => caseView({ mine: false, reporterName: '匿名居民', reporterPhone: null, ...over });

function desk(me: Reply, items: unknown[] | ((status: string) => unknown[]), extra: Record<string, Handler | Reply> = {}) {
  return mockApiWithFiles({
    'GET /api/v1/me': me,
    'GET /api/v1/staff/cases': (c) => {
      const status = new URL(c.url).searchParams.get('status') ?? 'open';
      return { status: 200, body: { items: typeof items === 'function' ? items(status) : status === 'open' ? items : [] } };
    },
    ...extra,
  });
}

function schemaMessage(r: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }, path: string): string {
  if (r.success) throw new Error('expected a refusal');
  return r.error!.issues.find((i) => i.path.join('.') === path)!.message;
}

describe('staff: 物业工单', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
    routerParams.current = {};
  });
  afterEach(() => jest.restoreAllMocks());

  it('shows each case as the API returns it: 匿名居民 stays anonymous, with place, countdown and the badges', async () => {
    desk(propertyMe, [
      hidden({ status: 'submitted', overdue: true, promisedBy: fromNow(-2 * 3600_000 - 30_000) }),
      caseView({ id: caseIds.case2, status: 'submitted', reporterName: '王秀兰', reporterPhone: '138****1234', awaitingAcknowledgement: true }),
    ]);
    render(<StaffCases />);
    const [first, second] = await screen.findAllByTestId('desk-case');
    expect(within(first!).getByTestId('desk-case-reporter').textContent).toBe('反映人：匿名居民');
    expect(within(first!).queryByTestId('call-reporter')).toBeNull();
    expect(within(first!).getByTestId('desk-case-place').textContent).toBe('位置：3号楼 2单元 1201');
    expect(within(first!).getByTestId('desk-countdown').textContent).toBe('已超时 2小时');
    expect(within(first!).getByText('已超时')).toBeTruthy();
    expect(within(first!).getByText('待受理')).toBeTruthy();
    expect(within(second!).getByTestId('desk-case-reporter').textContent).toBe('反映人：王秀兰（138****1234）');
    // A masked number cannot be called.
    expect(within(second!).queryByTestId('call-reporter')).toBeNull();
    expect(within(second!).getByText('待报到')).toBeTruthy();
    expect(document.body.textContent).not.toContain('13800001234');
  });

  it('the actions follow the state: 受理 a new case, 报到 an escalated one, 处理完成 / 暂停 once accepted', async () => {
    const api = desk(
      propertyMe,
      [
        hidden({ status: 'submitted' }),
        hidden({ id: caseIds.case2, status: 'submitted', awaitingAcknowledgement: true }),
        hidden({ id: caseIds.case3, status: 'accepted' }),
      ],
      {
        [`POST ${action('accept')}`]: { status: 200, body: hidden({ status: 'accepted' }) },
        [`POST ${action('acknowledge', caseIds.case2)}`]: { status: 200, body: hidden({ id: caseIds.case2, status: 'submitted' }) },
      },
    );
    render(<StaffCases />);
    const [fresh, escalated, accepted] = await screen.findAllByTestId('desk-case');
    expect(within(fresh!).queryByTestId('ack')).toBeNull();
    expect(within(fresh!).queryByTestId('resolve-open')).toBeNull();
    expect(within(fresh!).getByTestId('transfer-open')).toBeTruthy();
    expect(within(fresh!).getByTestId('return-open')).toBeTruthy();
    expect(within(escalated!).queryByTestId('accept')).toBeNull();
    expect(within(accepted!).queryByTestId('accept')).toBeNull();
    expect(within(accepted!).getByTestId('pause-open')).toBeTruthy();

    fireEvent.click(within(fresh!).getByTestId('accept'));
    await waitFor(() => expect(posts(api.calls).map((c) => c.path)).toEqual([action('accept')]));
    expect(posts(api.calls)[0]!.body).toEqual({});
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: `已受理：${'FK202611270001'}，居民会收到消息` })));

    fireEvent.click(within(screen.getAllByTestId('desk-case')[1]!).getByTestId('ack'));
    await waitFor(() => expect(posts(api.calls).map((c) => c.path)).toContain(action('acknowledge', caseIds.case2)));
    // Each change fetches the queue again.
    await waitFor(() => expect(listCalls(api.calls, 'open').length).toBeGreaterThanOrEqual(3));
  });

  it('处理完成 sends the note and the photos uploaded; 暂停 the reason and the resume date', async () => {
    const uploaded: string[] = [];
    const api = desk(propertyMe, [hidden({ status: 'accepted' })], {
      'POST /api/v1/uploads': () => {
        uploaded.push('x');
        return { status: 201, body: { id: caseIds.photo1, url: `/api/v1/uploads/${caseIds.photo1}`, contentType: 'image/jpeg', size: 4 } };
      },
      [`POST ${action('resolve')}`]: { status: 200, body: hidden({ status: 'resolved' }) },
      [`POST ${action('pause')}`]: { status: 200, body: hidden({ status: 'paused' }) },
    });
    const inner = window.fetch as unknown as (u: string, i?: unknown) => Promise<unknown>;
    const withPhoto = jest.fn(async (u: string, i?: unknown) =>
      u === 'blob:http://localhost/fixed' ? { ok: true, status: 200, arrayBuffer: async () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0]).buffer } : inner(u, i),
    );
    (window as unknown as { fetch: unknown }).fetch = withPhoto;
    (globalThis as unknown as { fetch: unknown }).fetch = withPhoto;
    jest.spyOn(Taro, 'chooseImage').mockImplementation((() =>
      Promise.resolve({ tempFilePaths: ['blob:http://localhost/fixed'], tempFiles: [{ path: 'blob:http://localhost/fixed', size: 4 }], errMsg: 'chooseImage:ok' })) as never);

    render(<StaffCases />);
    fireEvent.click(await screen.findByTestId('resolve-open'));
    fireEvent.click(screen.getByTestId('resolve-submit'));
    expect((await screen.findByTestId('resolve-note-error')).textContent).toBe(schemaMessage(caseResolveBody.safeParse({ note: '' }), 'note'));
    fireEvent.click(screen.getByTestId('resolve-photos-add'));
    await waitFor(() => expect(screen.getByTestId('resolve-photos-item').textContent).toContain('已上传'));
    type(screen.getByTestId('resolve-note-input'), '已更换水管接头，试水不漏了');
    fireEvent.click(screen.getByTestId('resolve-submit'));
    await waitFor(() => expect(posts(api.calls).filter((c) => c.path === action('resolve'))).toHaveLength(1));
    expect(posts(api.calls).find((c) => c.path === action('resolve'))!.body).toEqual({ note: '已更换水管接头，试水不漏了', photoIds: [caseIds.photo1] });
    expect(uploaded).toHaveLength(1);

    await waitFor(() => expect(screen.getByTestId('pause-open')).toBeTruthy());
    fireEvent.click(screen.getByTestId('pause-open'));
    type(screen.getByTestId('pause-reason-input'), '等配件到货');
    fireEvent.click(screen.getByTestId('pause-submit'));
    expect((await screen.findByTestId('resume-error')).textContent).toBe(schemaMessage(casePauseBody.safeParse({ reason: '等配件到货', resumeOn: '' }), 'resumeOn'));
    // A typed date beyond the API's 60 days is refused here first.
    type(screen.getByTestId('resume-input'), addDays(shanghaiDay(0), 61));
    fireEvent.click(screen.getByTestId('pause-submit'));
    await waitFor(() => expect(screen.getByTestId('resume-error').textContent).toBe('恢复日期要在明天到60天之内'));
    type(screen.getByTestId('resume-input'), '');
    const weekAhead = addDays(shanghaiDay(0), 7);
    fireEvent.click(screen.getByTestId(`resume-on-${weekAhead}`));
    fireEvent.click(screen.getByTestId('pause-submit'));
    await waitFor(() => expect(posts(api.calls).filter((c) => c.path === action('pause'))).toHaveLength(1));
    expect(posts(api.calls).find((c) => c.path === action('pause'))!.body).toEqual({ reason: '等配件到货', resumeOn: weekAhead });
  });

  it('转单 needs a desk and a reason; 退单 a reason; the centre cannot 退单', async () => {
    const api = desk(propertyMe, [hidden({ status: 'accepted' })], {
      [`POST ${action('transfer')}`]: { status: 200, body: hidden({ level: 'grid' }) },
      [`POST ${action('return')}`]: { status: 200, body: hidden({ level: 'centre' }) },
    });
    render(<StaffCases />);
    fireEvent.click(await screen.findByTestId('transfer-open'));
    const options = within(screen.getByTestId('transfer-to')).getAllByRole('radio').map((o) => o.textContent);
    expect(options).toEqual(['网格员', '社区服务中心', '街道办']);
    type(screen.getByTestId('transfer-reason-input'), '线');
    fireEvent.click(screen.getByTestId('transfer-submit'));
    const refused = caseTransferBody.safeParse({ reason: '线' });
    expect((await screen.findByTestId('transfer-reason-error')).textContent).toBe(schemaMessage(refused, 'reason'));
    expect(screen.getByTestId('transfer-reason-error').textContent).toBe('转单原因至少2个字');
    expect(screen.getByTestId('transfer-level-error').textContent).toBe(schemaMessage(refused, 'toLevel'));
    expect(posts(api.calls)).toHaveLength(0);
    fireEvent.click(screen.getByTestId('transfer-to-grid'));
    type(screen.getByTestId('transfer-reason-input'), '属于网格里的邻里纠纷');
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]).toMatchObject({ path: action('transfer'), body: { toLevel: 'grid', reason: '属于网格里的邻里纠纷' } });

    await waitFor(() => expect(screen.getByTestId('return-open')).toBeTruthy());
    fireEvent.click(screen.getByTestId('return-open'));
    type(screen.getByTestId('return-reason-input'), '不属于物业服务范围');
    fireEvent.click(screen.getByTestId('return-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(2));
    expect(posts(api.calls)[1]).toMatchObject({ path: action('return'), body: { reason: '不属于物业服务范围' } });
  });

  it('the centre holding a case may transfer it on but not return it', async () => {
    desk(centreMe, [caseView({ level: 'centre', holderLabel: '社区服务中心', status: 'submitted' })]);
    render(<StaffCases />);
    const item = await screen.findByTestId('desk-case');
    expect(within(item).getByTestId('transfer-open')).toBeTruthy();
    expect(within(item).queryByTestId('return-open')).toBeNull();
    // Community staff see who reported it, and can call back.
    expect(within(item).getByTestId('desk-case-reporter').textContent).toBe('反映人：王秀兰（13800001234）');
    fireEvent.click(within(item).getByTestId('call-reporter'));
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13800001234' });
  });

  it('a 409 from the API is shown in its own words and the queue is fetched again', async () => {
    let lists = 0;
    const api = desk(propertyMe, () => (++lists === 1 ? [hidden({ status: 'submitted' })] : []), {
      [`POST ${action('accept')}`]: apiError(409, 'CASE_WRONG_STATE', '这个工单现在是“处理中”，不能这样操作'),
    });
    render(<StaffCases />);
    fireEvent.click(await screen.findByTestId('accept'));
    expect((await screen.findByTestId('cases-conflict')).textContent).toBe('这个工单现在是“处理中”，不能这样操作。名单已经刷新。');
    await waitFor(() => expect(listCalls(api.calls, 'open')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('desk-case')).toBeNull());
  });

  it('FORBIDDEN (another desk holds it now) reads the same way', async () => {
    desk(propertyMe, [hidden({ status: 'accepted' })], {
      [`POST ${action('transfer')}`]: apiError(403, 'FORBIDDEN', '这个工单现在由网格员处理'),
    });
    render(<StaffCases />);
    fireEvent.click(await screen.findByTestId('transfer-open'));
    fireEvent.click(screen.getByTestId('transfer-to-centre'));
    type(screen.getByTestId('transfer-reason-input'), '需要社区协调');
    fireEvent.click(screen.getByTestId('transfer-submit'));
    expect((await screen.findByTestId('cases-conflict')).textContent).toBe('这个工单现在由网格员处理。名单已经刷新。');
  });

  it('a message’s link (?id=) finds the case in 已处理 and shows it; centre staff record the 回访 of an open rectification', async () => {
    routerParams.current = { id: caseIds.case2 };
    const rated = caseView({
      id: caseIds.case2,
      status: 'closed',
      promisedBy: null,
      rating: { level: 1, comment: '没人来修' },
      rectification: { dueOn: '2026-12-18', status: 'open', visitNote: null },
      history: [step('rated', '评价', { note: '1分：没人来修' })],
    });
    const api = desk(centreMe, (s) => (s === 'done' ? [caseView({ status: 'closed', promisedBy: null }), rated] : [caseView()]), {
      [`POST ${action('visit', caseIds.case2)}`]: { status: 200, body: { ...rated, rectification: { dueOn: '2026-12-18', status: 'done', visitNote: '已上门修好' } } },
    });
    render(<StaffCases />);
    await waitFor(() => expect(screen.getByTestId('case-tabs-done').getAttribute('aria-checked')).toBe('true'));
    const items = await screen.findAllByTestId('desk-case');
    const shown = items.find((el) => el.id === `case-${caseIds.case2}`)!;
    expect(shown.className).toContain('fb-desk-item--on');
    expect(within(shown).getByTestId('desk-rectification').textContent).toContain('2026-12-18前整改并回访');
    expect(within(shown).getByTestId('desk-history').textContent).toContain('1分：没人来修');
    expect(within(items.find((el) => el !== shown)!).queryByTestId('visit-open')).toBeNull();
    await waitFor(() => expect(Taro.pageScrollTo).toHaveBeenCalledWith(expect.objectContaining({ selector: `#case-${caseIds.case2}` })));

    fireEvent.click(within(shown).getByTestId('visit-open'));
    type(screen.getByTestId('visit-note-input'), '已上门修好，居民说满意');
    fireEvent.click(screen.getByTestId('visit-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]).toMatchObject({ path: action('visit', caseIds.case2), body: { note: '已上门修好，居民说满意' } });
    expect(listCalls(api.calls, 'open')).toHaveLength(1);
  });

  it('centre staff export this month’s scorecard', async () => {
    const saves = captureSaves();
    try {
      const month = shanghaiDay(0).slice(0, 7);
      const api = mockApiWithDownloads(
        { 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/cases': { status: 200, body: { items: [] } } },
        { 'GET /api/v1/staff/scorecards/export': () => ({ bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }) },
      );
      render(<StaffCases />);
      fireEvent.click(await screen.findByTestId('export-scorecard'));
      expect((await screen.findByTestId('export-note')).textContent).toBe(`已导出：物业服务考核_${month}.xlsx`);
      const call = api.calls.find((c) => c.path === '/api/v1/staff/scorecards/export')!;
      expect(new URL(call.url).searchParams.get('month')).toBe(month);
      expect(saves.saved[0]!.filename).toBe(`物业服务考核_${month}.xlsx`);
    } finally {
      saves.restore();
    }
  });

  it('property staff do not get the export or the rules', async () => {
    desk(propertyMe, []);
    render(<StaffCases />);
    await screen.findByText('现在没有要处理的工单。');
    expect(screen.queryByTestId('export-scorecard')).toBeNull();
    expect(screen.queryByTestId('go-case-rules')).toBeNull();
  });

  it('the workbench shows 物业服务反馈 to the desks, and the rules only to the centre', async () => {
    mockApi({ 'GET /api/v1/me': propertyMe });
    const { unmount } = render(<StaffHome />);
    fireEvent.click(await screen.findByTestId('staff-cases'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/cases/index' });
    expect(screen.queryByTestId('staff-case-rules')).toBeNull();
    unmount();

    resetAppState();
    signIn('staff');
    mockApi({ 'GET /api/v1/me': centreMe });
    render(<StaffHome />);
    fireEvent.click(await screen.findByTestId('staff-case-rules'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/case-rules/index' });
  });

  it('works in 长辈版 for a grid worker too (same page)', async () => {
    elderlyStore.set(true);
    desk(gridWorkerMe, [caseView({ level: 'grid', holderLabel: '网格员', status: 'submitted' })]);
    render(<StaffCases />);
    const item = await screen.findByTestId('desk-case');
    expect(item.closest('.shell--elderly')).toBeTruthy();
    expect(within(item).getByTestId('accept')).toBeTruthy();
    expect(within(item).getByTestId('return-open')).toBeTruthy();
  });
});

describe('物业服务考核 (public)', () => {
  beforeEach(() => {
    resetAppState();
  });

  const figures = (over: Record<string, number> = {}) => ({ cases: 0, acceptedInTime: 0, resolved: 0, resolvedInTime: 0, rated: 0, satisfied: 0, reopened: 0, ...over });

  it('shows each rate as a percentage with its fraction, 暂无 when nothing was counted, and switches to last month', async () => {
    const month = shanghaiDay(0).slice(0, 7);
    const api = mockApi({
      'GET /api/v1/scorecards': (c) => {
        const m = new URL(c.url).searchParams.get('month')!;
        return {
          status: 200,
          body: {
            month: m,
            companies: [{ id: caseIds.company, name: '金城物业服务有限公司', ...figures({ cases: 15, acceptedInTime: 12, resolved: 8, resolvedInTime: 7, rated: 0, satisfied: 0, reopened: 1 }) }],
            desks: [
              { level: 'property', label: '物业公司', ...figures({ cases: 15, acceptedInTime: 12, resolved: 8, resolvedInTime: 7, reopened: 1 }) },
              { level: 'grid', label: '网格员', ...figures({ cases: 3, acceptedInTime: 3, resolved: 3, resolvedInTime: 2, rated: 3, satisfied: 2 }) },
              { level: 'centre', label: '社区服务中心', ...figures() },
              { level: 'street', label: '街道办', ...figures() },
            ],
            total: figures({ cases: 18, acceptedInTime: 15, resolved: 11, resolvedInTime: 9, rated: 3, satisfied: 2, reopened: 1 }),
          },
        };
      },
    });
    render(<FeedbackScorecard />);
    const co = await screen.findByTestId(`company-${caseIds.company}`);
    const value = (testId: string) => within(screen.getByTestId(testId)).getByTestId('rate-value').textContent;
    expect(value(`company-${caseIds.company}-accepted`)).toBe('80%（12/15）');
    expect(value(`company-${caseIds.company}-resolved`)).toBe('88%（7/8）');
    expect(value(`company-${caseIds.company}-satisfied`)).toBe('暂无');
    expect(value(`company-${caseIds.company}-reopened`)).toBe('13%（1/8）');
    expect(co.textContent).toContain('反映 15 件');
    const bar = screen.getByTestId(`company-${caseIds.company}-accepted`).querySelector('.fb-bar__fill') as HTMLElement;
    expect(bar.style.width).toBe('80%');
    expect(screen.getByTestId(`company-${caseIds.company}-satisfied`).querySelector('.fb-bar__fill')).toBeNull();
    expect(value('desk-grid-satisfied')).toBe('67%（2/3）');
    expect(value('desk-centre-accepted')).toBe('暂无');
    expect(value('scorecard-total-resolved')).toBe('82%（9/11）');
    expect(new URL(api.calls[0]!.url).searchParams.get('month')).toBe(month);

    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    fireEvent.click(screen.getByTestId(`month-${last}`));
    await waitFor(() => expect(api.calls.map((c) => new URL(c.url).searchParams.get('month'))).toEqual([month, last]));
    expect((await screen.findByTestId('scorecard-total-card')).textContent).toContain(`${y - (m === 1 ? 1 : 0)}年${m === 1 ? 12 : m - 1}月`);
  });
});
