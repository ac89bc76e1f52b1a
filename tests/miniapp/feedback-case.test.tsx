import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { caseReopenBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { mockApiWithDownloads } from './support/download';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { caseIds, caseView, fromNow, step } from './support/cases';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import { forgetPhotos } from '../../miniapp/src/feedback/photos';
import { countdownOf, spanWords } from '../../miniapp/src/feedback/time';
import FeedbackCase from '../../miniapp/src/feedback/case/index';
import FeedbackMine from '../../miniapp/src/feedback/mine/index';

const type = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const detailPath = `/api/v1/cases/${caseIds.case}`;
const H = 3600_000;

describe('feedback: the case page', () => {
  beforeEach(() => {
    resetAppState();
    signIn('resident');
    routerParams.current = { id: caseIds.case };
  });
  afterEach(() => {
    routerParams.current = {};
    jest.useRealTimers();
  });

  it('counts down to the promise in words, and says when it is past', () => {
    const now = Date.parse('2026-11-27T10:00:00+08:00');
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(countdownOf({ status: 'accepted', promisedBy: at(3 * H + 12 * 60_000 + 40_000) }, now)?.text).toBe('还剩 3小时12分');
    expect(countdownOf({ status: 'submitted', promisedBy: at(-2 * H) }, now)).toEqual({ text: '已超时 2小时', tone: 'bad', overdue: true });
    expect(countdownOf({ status: 'accepted', promisedBy: at(2 * 24 * H + 5 * H + 59 * 60_000) }, now)?.text).toBe('还剩 2天5小时');
    expect(countdownOf({ status: 'accepted', promisedBy: at(20_000) }, now)?.text).toBe('还剩 1分');
    expect(countdownOf({ status: 'paused', promisedBy: at(-H) }, now)?.text).toBe('暂停');
    expect(countdownOf({ status: 'resolved', promisedBy: null }, now)).toBeNull();
    expect(spanWords(-(H + 5 * 60_000))).toBe('1小时5分');
  });

  it('shows what it is, who holds it now and the live countdown, then the whole history with the escalation standing out', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const api = mockApi({
      [`GET ${detailPath}`]: {
        status: 200,
        body: caseView({
          level: 'grid',
          holderLabel: '网格员',
          status: 'submitted',
          awaitingAcknowledgement: true,
          followers: 4,
          promisedBy: fromNow(3 * H + 12 * 60_000 + 30_000),
          history: [
            step('submitted', '提交', { level: 'property', at: fromNow(-30 * H) }),
            step('accepted', '受理', { byName: '钱伟', at: fromNow(-29 * H) }),
            step('escalated', '超时上报', { byName: '系统', level: 'grid', note: '物业公司超过承诺时间没有办结，上报网格员，须在11-27 14:00前报到' }),
          ],
        }),
      },
    });
    render(<FeedbackCase />);
    expect((await screen.findByTestId('case-holder')).textContent).toBe('现在由 网格员 处理');
    expect(screen.getByText('报修 · 水电')).toBeTruthy();
    expect(screen.getByText('编号 FK202611270001')).toBeTruthy();
    expect(screen.getByTestId('case-place').textContent).toContain('3号楼 2单元 1201');
    expect(screen.getByTestId('case-text').textContent).toBe('厨房水管漏水，已经关了总阀');
    expect(screen.getByTestId('countdown').textContent).toBe('还剩 3小时12分');
    expect(screen.getByTestId('case-awaiting').textContent).toContain('已经上报给网格员');
    expect(screen.getByTestId('case-awaiting').textContent).toContain('报到');
    expect(within(screen.getByTestId('case-now')).getByText('待报到')).toBeTruthy();
    expect(document.body.textContent).toContain('有4位邻居也关注了这个问题');

    // A minute later the countdown has moved on by itself.
    act(() => {
      jest.advanceTimersByTime(60_000);
    });
    expect(screen.getByTestId('countdown').textContent).toBe('还剩 3小时11分');

    const steps = screen.getAllByTestId('case-step');
    expect(steps.map((s) => s.querySelector('.fb-step__title')!.textContent)).toEqual(['提交（交给物业公司）', '受理', '超时上报 → 网格员']);
    expect(steps[2]!.className).toContain('fb-step--escalated');
    expect(steps[1]!.className).not.toContain('fb-step--escalated');
    expect(steps[1]!.textContent).toContain('钱伟');
    expect(steps[2]!.textContent).toContain('系统');
    expect(steps[2]!.textContent).toContain('上报网格员，须在11-27 14:00前报到');
    expect(screen.queryByTestId('case-confirm')).toBeNull();
    expect(api.calls.filter((c) => c.path === detailPath)).toHaveLength(1);
  });

  it('just reported (?new=1), it says it was received while it waits; not once it has moved on', async () => {
    routerParams.current = { id: caseIds.case, new: '1' };
    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'submitted' }) } });
    const { unmount } = render(<FeedbackCase />);
    expect((await screen.findByTestId('case-notice')).textContent).toBe('已经收到您反映的问题，处理进展会发消息告诉您。');
    unmount();
    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'accepted' }) } });
    render(<FeedbackCase />);
    await screen.findByTestId('case-holder');
    expect(screen.queryByTestId('case-notice')).toBeNull();
  });

  it('an overdue case says by how much; a paused one says 暂停', async () => {
    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ promisedBy: fromNow(-2 * H - 30_000), overdue: true }) } });
    const { unmount } = render(<FeedbackCase />);
    expect((await screen.findByTestId('countdown')).textContent).toBe('已超时 2小时');
    expect(within(screen.getByTestId('case-now')).getByText('已超时')).toBeTruthy();
    unmount();

    mockApi({ [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'paused' }) } });
    render(<FeedbackCase />);
    expect((await screen.findByTestId('countdown')).textContent).toBe('暂停');
    expect(screen.getByText('暂停处理')).toBeTruthy();
  });

  it('已解决 confirms; then the five ratings are offered and a poor one with a comment is sent and its rectification shown', async () => {
    const closed = caseView({ status: 'closed', promisedBy: null, history: [step('confirmed', '确认解决')] });
    const api = mockApi({
      [`GET ${detailPath}`]: {
        status: 200,
        body: caseView({ status: 'resolved', promisedBy: null, history: [step('resolved', '处理完成', { byName: '钱伟', note: '已更换水管接头，试水不漏了' })] }),
      },
      [`POST ${detailPath}/confirm`]: { status: 200, body: closed },
      [`POST ${detailPath}/rate`]: (c) => ({
        status: 200,
        body: { ...closed, rating: c.body, rectification: { dueOn: '2026-12-18', status: 'open', visitNote: null } },
      }),
    });
    render(<FeedbackCase />);
    expect((await screen.findByTestId('case-confirm')).textContent).toContain('问题解决了吗？');
    expect(screen.getByText('已处理，待您确认')).toBeTruthy();
    expect(screen.getByTestId('case-result').textContent).toBe('处理结果：已更换水管接头，试水不漏了');
    fireEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(posts(api.calls).map((c) => c.path)).toEqual([`${detailPath}/confirm`]));
    expect((await screen.findByTestId('case-notice')).textContent).toContain('办结了');
    expect(screen.queryByTestId('case-confirm')).toBeNull();

    const levels = screen.getByTestId('rate-levels');
    expect(within(levels).getAllByRole('radio').map((r) => r.textContent)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    fireEvent.click(screen.getByTestId('rate-submit'));
    expect((await screen.findByTestId('rate-level-error')).textContent).toBe('请选择满意程度');
    expect(posts(api.calls)).toHaveLength(1);

    fireEvent.click(screen.getByTestId('rate-levels-2'));
    type(screen.getByTestId('rate-comment-input'), '修了两次才好');
    fireEvent.click(screen.getByTestId('rate-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(2));
    expect(posts(api.calls)[1]!.body).toEqual({ level: 2, comment: '修了两次才好' });
    expect((await screen.findByTestId('case-rectification')).textContent).toContain('正在整改，2026年12月18日前完成');
    expect(screen.queryByTestId('case-rate')).toBeNull();
    expect(screen.getByTestId('case-rating').textContent).toContain('您的评价：不满意');
  });

  it('没解决 asks why first (the shared rule), then reopens with the reason', async () => {
    const api = mockApi({
      [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'resolved', promisedBy: null }) },
      [`POST ${detailPath}/reopen`]: (c) => ({
        status: 200,
        body: caseView({ history: [step('reopened', '重新打开', { note: (c.body as { reason: string }).reason })] }),
      }),
    });
    render(<FeedbackCase />);
    fireEvent.click(await screen.findByTestId('confirm-no'));
    type(screen.getByTestId('reopen-input'), '漏');
    fireEvent.click(screen.getByTestId('reopen-submit'));
    const r = caseReopenBody.safeParse({ reason: '漏' });
    expect((await screen.findByTestId('reopen-reason-error')).textContent).toBe(r.success ? '' : r.error.issues[0]!.message);
    expect(posts(api.calls)).toHaveLength(0);

    type(screen.getByTestId('reopen-input'), '修过以后还是漏水');
    fireEvent.click(screen.getByTestId('reopen-submit'));
    await waitFor(() => expect(posts(api.calls)).toHaveLength(1));
    expect(posts(api.calls)[0]!).toMatchObject({ path: `${detailPath}/reopen`, body: { reason: '修过以后还是漏水' } });
    expect((await screen.findByTestId('case-notice')).textContent).toContain('重新打开');
    expect(screen.getByText('处理中')).toBeTruthy();
  });

  it('a refused confirm shows the API’s words in place', async () => {
    mockApi({
      [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'resolved', promisedBy: null }) },
      [`POST ${detailPath}/confirm`]: apiError(409, 'CASE_WRONG_STATE', '这个工单现在是“已办结”，不能这样操作'),
    });
    render(<FeedbackCase />);
    fireEvent.click(await screen.findByTestId('confirm-yes'));
    expect((await screen.findByTestId('confirm-error')).textContent).toBe('这个工单现在是“已办结”，不能这样操作');
  });

  it('a neighbour who follows sees the same page without the reporter’s buttons', async () => {
    mockApi({
      [`GET ${detailPath}`]: { status: 200, body: caseView({ status: 'resolved', promisedBy: null, mine: false, following: true, reporterName: '王*兰' }) },
    });
    render(<FeedbackCase />);
    expect((await screen.findByTestId('case-content')).textContent).toContain('王*兰');
    expect(document.body.textContent).toContain('您关注了这个问题');
    expect(screen.queryByTestId('case-confirm')).toBeNull();
    expect(screen.queryByTestId('case-rate')).toBeNull();
  });

  it('shows photos fetched with the token (the API serves them to signed-in people only)', async () => {
    forgetPhotos();
    const urls = URL as unknown as { createObjectURL?: unknown };
    const before = urls.createObjectURL;
    urls.createObjectURL = jest.fn(() => 'blob:http://localhost/photo-1');
    try {
      const api = mockApiWithDownloads(
        { [`GET ${detailPath}`]: { status: 200, body: caseView({ photoUrls: [`/api/v1/uploads/${caseIds.photo1}`] }) } },
        { [`GET /api/v1/uploads/${caseIds.photo1}`]: () => ({ bytes: new Uint8Array([0xff, 0xd8, 0xff]), contentType: 'image/jpeg' }) },
      );
      elderlyStore.set(true);
      render(<FeedbackCase />);
      await waitFor(() => expect(screen.getByTestId('case-photo-img')).toBeTruthy());
      const fetched = api.calls.find((c) => c.path === `/api/v1/uploads/${caseIds.photo1}`)!;
      expect(fetched.headers.Authorization).toBe('Bearer access-resident');
      expect(screen.getByTestId('case-photo-img').outerHTML).toContain('blob:http://localhost/photo-1');
      // 长辈版: shown full width, nothing to open and close.
      expect(screen.getByTestId('case-photos').className).toContain('fb-photo-grid--wide');
    } finally {
      urls.createObjectURL = before;
    }
  });
});

describe('feedback: 我的反映', () => {
  beforeEach(() => {
    resetAppState();
    signIn('resident');
  });

  it('lists my cases and the ones I follow, with status, holder and countdown, and 反映问题', async () => {
    mockApi({
      'GET /api/v1/cases': {
        status: 200,
        body: {
          items: [
            caseView(),
            caseView({ id: caseIds.case2, status: 'resolved', promisedBy: null, number: 'FK202611260003' }),
            caseView({ id: caseIds.case3, mine: false, following: true, kind: 'complaint', category: 'elevator', holderLabel: '网格员', promisedBy: fromNow(-H - 60_000) }),
          ],
        },
      },
    });
    render(<FeedbackMine />);
    const mine = await screen.findByTestId('my-cases');
    const items = within(mine).getAllByTestId('case-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('现在由 金城物业服务有限公司 处理');
    expect(items[0]!.textContent).toContain('还剩 3小时12分');
    expect(items[1]!.textContent).toContain('已处理，待您确认');
    expect(items[1]!.textContent).toContain('请确认是否解决');
    const followed = within(screen.getByTestId('followed-cases')).getByTestId('case-item');
    expect(followed.textContent).toContain('投诉 · 电梯');
    expect(followed.textContent).toContain('现在由 网格员 处理');
    expect(followed.textContent).toContain('已超时 1小时1分');
    fireEvent.click(followed);
    const { default: Taro } = await import('@tarojs/taro');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/feedback/case/index?id=${caseIds.case3}` });
    fireEvent.click(screen.getByTestId('go-report'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/feedback/report/index' });
  });
});
