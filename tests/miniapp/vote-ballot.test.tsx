import fs from 'node:fs';
import path from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { answerProblems } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { authority, cast, poll, residentMe, unit, voteIds } from './support/vote';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import PollPage from '../../miniapp/src/vote/poll/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const ballots = (calls: Call[]) => calls.filter((c) => c.method === 'POST' && c.path === `/api/v1/polls/${voteIds.poll}/ballots`);
const tap = (el: Element) => fireEvent.click(el);
/** A button by its test id (Btn puts the id on Taro's <taro-button-core>). */
const button = (id: string) => screen.getByTestId(id);

describe('the ballot: three taps', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: voteIds.poll };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  function routes(extra: Record<string, unknown> = {}) {
    let voted = false;
    return {
      'GET /api/v1/me': residentMe(),
      'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
      [`GET /api/v1/polls/${voteIds.poll}`]: () => ({
        status: 200,
        body: voted ? poll({ canVote: false, myUnits: [unit({ voted: true, channel: 'online' })], participation: { heads: 13, totalHeads: 60, area: 114000, totalArea: 540000 } }) : poll(),
      }),
      [`POST /api/v1/polls/${voteIds.poll}/ballots`]: () => {
        voted = true;
        return { status: 201, body: cast() };
      },
      ...extra,
    };
  }

  it('an answer, 提交, then 确认投票 on an inline step that repeats the choice: sent once with a key, the receipt shown big', async () => {
    const api = mockApi(routes());
    render(<PollPage />);

    // Tap 1: a huge 同意.
    const yes = await screen.findByTestId('option-0-0');
    expect(screen.getByTestId('option-0-1').textContent).toContain('反对');
    expect(screen.getByTestId('option-0-2').textContent).toContain('弃权');
    tap(yes);
    expect(yes.getAttribute('aria-checked')).toBe('true');

    // Tap 2: 提交 asks first, inline; nothing is sent yet.
    tap(button('ballot-submit'));
    const confirm = await screen.findByTestId('ballot-confirm');
    expect(within(confirm).getByTestId('confirm-words').textContent).toBe('您选择了：同意。投了就不能改。');
    expect(ballots(api.calls)).toHaveLength(0);

    // Tap 3: 确认投票.
    tap(within(confirm).getByTestId('ballot-confirm-submit'));
    const done = await screen.findByTestId('vote-done');
    expect(within(done).getByTestId('receipt-code').textContent).toBe('ABCD-EFGH-JKMN');
    expect(done.textContent).toContain('这张回执能查到您的票已收到并计入，但看不出您投了什么');

    const sent = ballots(api.calls);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ answers: [[0]] });
    expect(sent[0]!.headers['Idempotency-Key']).toMatch(KEY);
    expect(sent[0]!.headers.Authorization).toBe('Bearer access-1');

    // The poll as it is now: this household has voted, the ballot is gone.
    await waitFor(() => expect(screen.getByTestId('my-status').textContent).toContain('您家已投票（线上投票）'));
    expect(screen.queryByTestId('ballot')).toBeNull();

    tap(within(done).getByTestId('receipt-copy'));
    expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'ABCD-EFGH-JKMN' });
    expect(await screen.findByTestId('receipt-copied')).toBeTruthy();
    tap(within(done).getByTestId('receipt-check'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/vote/receipt/index?code=ABCD-EFGH-JKMN' });
  });

  it('返回修改 goes back to the answers; only the confirmed choice is sent', async () => {
    const api = mockApi(routes());
    render(<PollPage />);
    tap(await screen.findByTestId('option-0-1'));
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('confirm-words')).textContent).toBe('您选择了：反对。投了就不能改。');
    tap(button('ballot-back'));
    tap(await screen.findByTestId('option-0-2'));
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('confirm-words')).textContent).toBe('您选择了：弃权。投了就不能改。');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('vote-done');
    expect(ballots(api.calls).map((c) => c.body)).toEqual([{ answers: [[2]] }]);
  });

  it('提交 with nothing chosen says so in the shared words and sends nothing', async () => {
    const api = mockApi(routes());
    render(<PollPage />);
    tap(await screen.findByTestId('ballot-submit'));
    const problem = await screen.findByTestId('ballot-problem');
    expect(problem.textContent).toBe(answerProblems(poll().questions, [[]]));
    expect(screen.queryByTestId('ballot-confirm')).toBeNull();
    expect(ballots(api.calls)).toHaveLength(0);
  });

  it('a network failure keeps the answer unknown: 重试 sends the same key again', async () => {
    let attempt = 0;
    const api = mockApi(
      routes({
        [`POST /api/v1/polls/${voteIds.poll}/ballots`]: () => (++attempt === 1 ? 'network-error' : { status: 201, body: cast() }),
      }),
    );
    render(<PollPage />);
    tap(await screen.findByTestId('option-0-0'));
    tap(button('ballot-submit'));
    tap(await screen.findByTestId('ballot-confirm-submit'));
    expect((await screen.findByTestId('vote-error')).textContent).toContain('网络不太好');
    expect(screen.getByTestId('ballot-confirm-submit').textContent).toContain('重试');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('vote-done');
    const sent = ballots(api.calls);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers['Idempotency-Key']).toBe(sent[0]!.headers['Idempotency-Key']);
  });

  it('ALREADY_VOTED (a paper ballot came first) is shown in the API’s words, with the poll as it is now', async () => {
    let paper = false;
    mockApi(
      routes({
        [`GET /api/v1/polls/${voteIds.poll}`]: () => ({
          status: 200,
          body: paper ? poll({ canVote: false, myUnits: [unit({ voted: true, channel: 'paper' })] }) : poll(),
        }),
        [`POST /api/v1/polls/${voteIds.poll}/ballots`]: () => {
          paper = true;
          return apiError(409, 'ALREADY_VOTED', '1号楼 1单元 101已经交过纸质票了，每户只能投一次，投了不能改', { channel: 'paper' });
        },
      }),
    );
    render(<PollPage />);
    tap(await screen.findByTestId('option-0-0'));
    tap(button('ballot-submit'));
    tap(await screen.findByTestId('ballot-confirm-submit'));
    const error = await screen.findByTestId('vote-error');
    expect(error.textContent).toBe('1号楼 1单元 101已经交过纸质票了，每户只能投一次，投了不能改');
    expect(error.getAttribute('role')).toBe('alert');
    await waitFor(() => expect(screen.getByTestId('my-status').textContent).toContain('您家已投票（纸质票）'));
    expect(screen.queryByTestId('ballot')).toBeNull();
    expect(screen.queryByTestId('vote-done')).toBeNull();
  });

  it('POLL_NOT_OPEN and NOT_ON_ROLL are shown inline in the API’s words', async () => {
    for (const [code, message] of [
      ['POLL_NOT_OPEN', '投票已经结束了'],
      ['NOT_ON_ROLL', '您不在本次业主表决的名册里（需要以业主身份绑定范围内的房屋）'],
    ] as const) {
      const api = mockApi(routes({ [`POST /api/v1/polls/${voteIds.poll}/ballots`]: apiError(code === 'NOT_ON_ROLL' ? 403 : 409, code, message) }));
      const { unmount } = render(<PollPage />);
      tap(await screen.findByTestId('option-0-0'));
      tap(button('ballot-submit'));
      tap(await screen.findByTestId('ballot-confirm-submit'));
      expect((await screen.findByTestId('vote-error')).textContent).toBe(message);
      expect(ballots(api.calls)).toHaveLength(1);
      unmount();
    }
  });

  it('several households: asks which one first, then sends its unitKey', async () => {
    const units = [unit({ key: 'room:r1', label: '1号楼 1单元 101' }), unit({ key: 'room:r2', label: '1号楼 1单元 102' }), unit({ key: 'room:r3', label: '1号楼 2单元 301', voted: true, channel: 'door' })];
    const api = mockApi(
      routes({
        [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ countingUnit: 'room', questions: [{ title: '是否同意更换小区大门门禁', kind: 'yesno', options: ['同意', '反对', '弃权'], minPicks: 1, maxPicks: 1, matter: null }], myUnits: units }) },
        [`POST /api/v1/polls/${voteIds.poll}/ballots`]: { status: 201, body: cast({ unitKey: 'room:r2', unitLabel: '1号楼 1单元 102' }) },
      }),
    );
    render(<PollPage />);
    const pickUnit = await screen.findByTestId('pick-unit');
    expect(pickUnit.textContent).toContain('您有2户可以投票');
    // The household that voted at the door is not offered, and says so.
    expect(within(pickUnit).queryByText('1号楼 2单元 301')).toBeNull();
    expect(screen.getByTestId('my-status').textContent).toContain('1号楼 2单元 301已投票（上门投票）');
    expect(screen.queryByTestId('ballot')).toBeNull();

    tap(within(pickUnit).getByTestId('unit-room:r2'));
    expect((await screen.findByTestId('question-0')).textContent).toContain('为1号楼 1单元 102投票');
    tap(screen.getByTestId('option-0-0'));
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('ballot-confirm')).textContent).toContain('为1号楼 1单元 102投票。');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('vote-done');
    expect(ballots(api.calls)[0]!.body).toEqual({ answers: [[0]], unitKey: 'room:r2' });
  });

  it('multiple choice: no more than maxPicks can be ticked, fewer than minPicks is refused before sending', async () => {
    const questions = [
      { title: '您家最想参加哪些活动', kind: 'multiple' as const, options: ['广场舞比赛', '趣味运动会', '书画展', '老年合唱', '亲子手工'], minPicks: 2, maxPicks: 3, matter: null },
      { title: '活动放在哪天', kind: 'single' as const, options: ['周六', '周日'], minPicks: 1, maxPicks: 1, matter: null },
    ];
    const api = mockApi(
      routes({ [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ countingUnit: 'room', title: '社区文化节活动项目', questions }) } }),
    );
    render(<PollPage />);
    expect((await screen.findByTestId('question-0')).textContent).toContain('可以选2到3项');

    tap(screen.getByTestId('option-0-3'));
    tap(screen.getByTestId('option-1-1'));
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('ballot-problem')).textContent).toBe('第1题至少选2项');
    expect(screen.queryByTestId('ballot-confirm')).toBeNull();

    tap(screen.getByTestId('option-0-0'));
    tap(screen.getByTestId('option-0-4'));
    // A fourth is refused where it was tapped, and not ticked.
    tap(screen.getByTestId('option-0-1'));
    expect(screen.getByTestId('option-0-1').getAttribute('aria-checked')).toBe('false');
    expect(screen.getByTestId('limit-0').textContent).toContain('最多选3项');
    // Un-ticking one makes room again.
    tap(screen.getByTestId('option-0-4'));
    expect(screen.getByTestId('option-0-4').getAttribute('aria-checked')).toBe('false');
    // Single choice: the last tap wins.
    tap(screen.getByTestId('option-1-0'));
    expect(screen.getByTestId('option-1-1').getAttribute('aria-checked')).toBe('false');

    tap(button('ballot-submit'));
    const confirm = await screen.findByTestId('ballot-confirm');
    expect(confirm.textContent).toContain('您家最想参加哪些活动：广场舞比赛、老年合唱');
    expect(confirm.textContent).toContain('活动放在哪天：周六');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('vote-done');
    expect(ballots(api.calls)[0]!.body).toEqual({ answers: [[0, 3], [0]] });
  });

  it('a family member with 议事投票 authority votes for the resident: the poll reloads as hers, forResidentId is sent', async () => {
    const gets: string[] = [];
    const api = mockApi(
      routes({
        'GET /api/v1/authorities': { status: 200, body: { given: [], received: [authority(['votes']), authority(['bookings'], { id: 'f'.repeat(24), grantorId: 'b'.repeat(24), grantorName: '张大爷' })] } },
        [`GET /api/v1/polls/${voteIds.poll}`]: (c: Call) => {
          gets.push(c.url);
          return c.url.includes(`forResidentId=${voteIds.grantor}`)
            ? { status: 200, body: poll({ myUnits: [unit({ key: 'owners:wang', label: '1号楼 1单元 102', forResidentId: voteIds.grantor })] }) }
            : { status: 200, body: poll({ myUnits: [], canVote: false }) };
        },
      }),
    );
    render(<PollPage />);
    const who = await screen.findByTestId('vote-for');
    // Only the authority with the 议事投票 scope is offered.
    expect(within(who).queryByText('张大爷')).toBeNull();
    expect(screen.getByTestId('my-status').textContent).toContain('您不在本次投票的名册里');
    expect(screen.queryByTestId('ballot')).toBeNull();

    tap(within(who).getByTestId(`vote-for-${voteIds.grantor}`));
    await screen.findByTestId('ballot');
    expect(gets.at(-1)).toContain(`forResidentId=${voteIds.grantor}`);
    expect(screen.getByTestId('my-status').textContent).toContain('王秀英的投票');
    tap(screen.getByTestId('option-0-0'));
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('ballot-confirm')).textContent).toContain('替王秀英投票。');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('vote-done');
    expect(ballots(api.calls)[0]!.body).toEqual({ answers: [[0]], forResidentId: voteIds.grantor });
  });

  it('not yet open: says when voting starts and offers no ballot', async () => {
    mockApi(routes({ [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ opensAt: '2099-12-01T09:00:00+08:00', canVote: false }) } }));
    render(<PollPage />);
    expect((await screen.findByTestId('poll-upcoming')).textContent).toBe('投票2099年12月1日 09:00开始，到时再来。');
    expect(screen.queryByTestId('ballot')).toBeNull();
  });

  it('closed: links to the result', async () => {
    mockApi(routes({ [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ status: 'closed', canVote: false, resultAvailable: true }) } }));
    render(<PollPage />);
    tap(await screen.findByTestId('go-result'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/vote/result/index?id=${voteIds.poll}` });
    expect(screen.queryByTestId('ballot')).toBeNull();
  });

  it('shows the rule in plain Chinese, the times and the participation bars (area for owner votes)', async () => {
    mockApi(routes());
    render(<PollPage />);
    const rule = await screen.findByTestId('poll-rule');
    expect(rule.textContent).toContain('按《民法典》第二百七十八条计票');
    const part = screen.getByTestId('participation');
    expect(part.textContent).toContain('已投 12/60位业主');
    expect(part.textContent).toContain('面积 1050.00 ㎡ / 5400.00 ㎡');
    expect(screen.getByTestId('participation-area-line').style.left).toBe('66.67%');
  });
});

describe('the ballot in 长辈版', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    elderlyStore.set(true);
    routerParams.current = { id: voteIds.poll };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('three taps with no pop-up at all; every answer is a big tap target', async () => {
    const showModal = jest.spyOn(Taro, 'showModal');
    const api = mockApi({
      'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
      [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll() },
      [`POST /api/v1/polls/${voteIds.poll}/ballots`]: { status: 201, body: cast() },
    });
    const { container } = render(<PollPage />);
    const options = await screen.findAllByRole('radio');
    expect(options.map((o) => o.textContent)).toEqual(['同意', '反对', '弃权']);
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const o of options) expect(o.classList.contains('tap')).toBe(true);
    expect(container.querySelector('.ballot-options--yesno')).toBeTruthy();

    tap(options[0]!);
    tap(button('ballot-submit'));
    expect((await screen.findByTestId('confirm-words')).textContent).toBe('您选择了：同意。投了就不能改。');
    tap(button('ballot-confirm-submit'));
    await screen.findByTestId('receipt-code');
    expect(ballots(api.calls)).toHaveLength(1);

    // Copying is confirmed on the page; the platform's own "内容已复制" toast is taken away at once.
    const hideToast = jest.spyOn(Taro, 'hideToast').mockImplementation(() => Promise.resolve({ errMsg: 'hideToast:ok' }) as never);
    tap(button('receipt-copy'));
    expect((await screen.findByTestId('receipt-copied')).textContent).toContain('已复制回执码');
    expect(hideToast).toHaveBeenCalled();
    hideToast.mockRestore();

    expect(showModal).not.toHaveBeenCalled();
    expect(Taro.showToast).not.toHaveBeenCalled();
    expect(container.querySelector('[role="dialog"], .taro__modal, .weui-dialog')).toBeNull();
    showModal.mockRestore();
  });

  it('the stylesheet makes the answers and buttons large in 长辈版 (≥ 60 px on a 375-wide phone)', () => {
    const css = fs.readFileSync(path.resolve(__dirname, '../../miniapp/src/vote/vote.scss'), 'utf8');
    const app = fs.readFileSync(path.resolve(__dirname, '../../miniapp/src/app.scss'), 'utf8');
    const minHeight = (source: string, selector: string) => {
      const block = new RegExp(`${selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\{([^}]*)\\}`).exec(source)?.[1] ?? '';
      return Number(/min-height:\s*(\d+)px/.exec(block)?.[1] ?? 0) / 2;
    };
    expect(minHeight(css, '.shell--elderly .ballot-options--yesno .ballot-option')).toBeGreaterThanOrEqual(60);
    expect(minHeight(css, '.shell--elderly .ballot-option')).toBeGreaterThanOrEqual(60);
    const elderly = /\.shell--elderly\s*\{([^}]*)\}/.exec(app)![1]!;
    expect(Number(/--tap:\s*(\d+)px/.exec(elderly)![1]) / 2).toBeGreaterThanOrEqual(60);
  });
});

describe('secret ballots: the receipt and what it means, no live result', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: voteIds.poll };
  });
  afterEach(() => {
    routerParams.current = {};
  });
  const base = {
    'GET /api/v1/me': residentMe(),
    'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
  };

  it('a second tap (or a replay) is told 您已经投过了, with the receipt of the ballot that counts', async () => {
    mockApi({
      ...base,
      [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ countingUnit: 'room', secrecy: 'secret' }) },
      [`POST /api/v1/polls/${voteIds.poll}/ballots`]: apiError(409, 'ALREADY_VOTED', '1号楼 1单元 101已经在线上投过票了，每户只能投一次，投了不能改', {
        channel: 'online',
        receipt: 'WXYZ-2345-6789',
      }),
    });
    render(<PollPage />);
    tap(await screen.findByTestId('option-0-1'));
    tap(button('ballot-submit'));
    tap(within(await screen.findByTestId('ballot-confirm')).getByTestId('ballot-confirm-submit'));
    const already = await screen.findByTestId('vote-already');
    expect(already.textContent).toContain('您已经投过了');
    expect(within(already).getByTestId('already-receipt').textContent).toBe('WXYZ-2345-6789');
    expect(already.textContent).toContain('看不出您投了什么');
    expect(screen.queryByTestId('vote-error')?.textContent ?? '').toBe('');
  });

  it('the poll page shows the receipt of my own online ballot again, and says a secret poll has no live result', async () => {
    mockApi({
      ...base,
      [`GET /api/v1/polls/${voteIds.poll}`]: {
        status: 200,
        body: poll({ countingUnit: 'room', secrecy: 'secret', canVote: false, resultAvailable: false, myUnits: [unit({ voted: true, channel: 'online', receipt: 'WXYZ-2345-6789' })] }),
      },
    });
    render(<PollPage />);
    expect((await screen.findByTestId('my-unit-receipt')).textContent).toContain('WXYZ-2345-6789');
    expect(screen.getByTestId('secret-no-live').textContent).toContain('不记名投票在结束后才公布结果，以免推算出谁投了什么');
    expect(screen.queryByTestId('go-live-result')).toBeNull();
  });
});
