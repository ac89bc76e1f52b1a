import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  formatArea,
  judgeOwnerVote,
  objectionBody,
  ownerMatterLabels,
  ruleText,
  tallyOwnerBallots,
  type OwnerMatter,
  type PollResultView,
  type YesNoChoice,
} from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { poll, shanghaiIso, voteIds } from './support/vote';
import ResultPage from '../../miniapp/src/vote/result/index';
import ReceiptPage from '../../miniapp/src/vote/receipt/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;

/**
 * A published owner vote computed by the shared rules themselves: the roll of
 * the worked example in the product notes (600 owners, 60,000 m²) and ballots
 * grouped by choice.
 */
function ownerResult(matter: OwnerMatter, cast: { choice: YesNoChoice; heads: number; areaCenti: number }[], over: Partial<PollResultView> = {}): PollResultView {
  const roll = { totalArea: 6_000_000, totalHeads: 600 };
  const tally = tallyOwnerBallots(roll, cast);
  const judged = judgeOwnerVote(matter, tally);
  return {
    pollId: voteIds.poll,
    status: 'closed',
    final: true,
    roll: { heads: roll.totalHeads, area: roll.totalArea },
    ballots: tally.participatingHeads,
    questions: [
      {
        title: '是否同意1号楼1、2单元加装电梯',
        kind: 'yesno',
        options: [
          { label: '同意', heads: tally.yesHeads, area: tally.yesArea },
          { label: '反对', heads: tally.noHeads, area: tally.noArea },
          { label: '弃权', heads: tally.abstainHeads, area: tally.abstainArea },
        ],
        owner: { matter, matterLabel: ownerMatterLabels[matter], participation: judged.participation, approval: judged.approval, passed: judged.passed },
      },
    ],
    chainHead: 'f'.repeat(64),
    publishedAt: shanghaiIso(-2),
    noticeUntil: shanghaiIso(24 * 6),
    ...over,
  };
}

// 420 owners with 43,000 m² take part; 320 owners with 33,000 m² say yes: matter 7 needs 3/4 (315 and 32,250 m²).
const passing = [
  { choice: 'yes' as const, heads: 320, areaCenti: 3_300_000 },
  { choice: 'no' as const, heads: 70, areaCenti: 700_000 },
  { choice: 'abstain' as const, heads: 30, areaCenti: 300_000 },
];
// Only 390 owners take part: under 2/3 of 600, nothing passes whatever they chose.
const tooFew = [
  { choice: 'yes' as const, heads: 380, areaCenti: 3_900_000 },
  { choice: 'no' as const, heads: 10, areaCenti: 150_000 },
];

const closedPoll = poll({ status: 'closed', canVote: false, resultAvailable: true, noticeUntil: shanghaiIso(24 * 6) });
const text = (id: string) => screen.getByTestId(id).textContent;

describe('投票结果', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: voteIds.poll };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  function routes(result: PollResultView, extra: Record<string, unknown> = {}) {
    return {
      [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: closedPoll },
      [`GET /api/v1/polls/${voteIds.poll}/result`]: { status: 200, body: result },
      [`GET /api/v1/polls/${voteIds.poll}/objections/mine`]: { status: 200, body: { items: [] } },
      ...extra,
    };
  }

  it('an owner vote: both art. 278 tests as bars with their threshold lines, the four figures in words, and 通过', async () => {
    const result = ownerResult(7, passing);
    mockApi(routes(result));
    render(<ResultPage />);
    const outcome = await screen.findByTestId('outcome-0');
    expect(outcome.textContent).toContain('通过');
    expect(outcome.textContent).not.toContain('未通过');

    // Each option with heads and area.
    expect(text('result-option-0-0')).toContain(`320人 · ${formatArea(3_300_000)}`);
    expect(text('result-option-0-1')).toContain(`70人 · ${formatArea(700_000)}`);

    // Participation: part of the whole roll, the line at two thirds.
    const p = result.questions[0]!.owner!.participation;
    expect(text('participation-0-rule')).toBe(`需要${ruleText(p.rule)}`);
    expect(text('participation-0-area-figures')).toBe('43000.00 ㎡ / 60000.00 ㎡');
    expect(text('participation-0-heads-figures')).toBe('420 / 600 人');
    expect(screen.getByTestId('participation-0-area-line').style.left).toBe('66.67%');
    expect(screen.getByTestId('participation-0-heads-line').style.left).toBe('66.67%');
    expect(screen.getByTestId('participation-0-area').getAttribute('aria-valuenow')).toBe('4300000');
    expect(screen.getByTestId('participation-0-area').classList.contains('meter--met')).toBe(true);
    expect(text('participation-0-words')).toBe('参与表决的业主420人、面积43000.00 ㎡；全体业主600人、面积60000.00 ㎡。至少需要400人、40000.00 ㎡。');

    // Approval among those who took part: matter 7 is one of 6–8, so the line is at three quarters.
    const a = result.questions[0]!.owner!.approval;
    expect(text('approval-0-rule')).toBe(`需要${ruleText(a.rule)}`);
    expect(text('approval-0-rule')).toBe('需要四分之三以上（含）');
    expect(screen.getByTestId('approval-0-area-line').style.left).toBe('75.00%');
    expect(text('approval-0-heads-figures')).toBe('320 / 420 人');
    expect(text('approval-0-words')).toBe('同意的业主320人、面积33000.00 ㎡；参与表决的业主420人、面积43000.00 ㎡。至少需要315人、32250.00 ㎡。');
    expect(within(screen.getByTestId('approval-0')).getAllByText('达到').length).toBeGreaterThan(0);

    expect(screen.getByTestId('result-head').textContent).toContain('结果已公布');
    expect(screen.getByTestId('result-head').textContent).toContain('公示至');
  });

  it('an ordinary matter draws the approval line at one half; too few taking part is 未通过', async () => {
    mockApi(routes(ownerResult(4, tooFew)));
    render(<ResultPage />);
    const outcome = await screen.findByTestId('outcome-0');
    expect(outcome.textContent).toContain('未通过');
    expect(outcome.textContent).toContain('参与表决的面积或人数不够。');
    expect(screen.getByTestId('approval-0-area-line').style.left).toBe('50.00%');
    expect(text('approval-0-rule')).toBe('需要过二分之一');
    const part = screen.getByTestId('participation-0');
    expect(within(part).getAllByText('未达到').length).toBeGreaterThan(0);
    expect(screen.getByTestId('participation-0-heads').classList.contains('meter--short')).toBe(true);
    expect(text('participation-0-heads-figures')).toBe('390 / 600 人');
  });

  it('a household vote shows counts only, and says 实时结果 while it is still open', async () => {
    const live: PollResultView = {
      pollId: voteIds.poll,
      status: 'open',
      final: false,
      roll: { heads: 600, area: null },
      ballots: 41,
      questions: [{ title: '您家最想参加哪些活动', kind: 'multiple', options: [{ label: '广场舞比赛', heads: 30, area: null }, { label: '书画展', heads: 25, area: null }], owner: null }],
      chainHead: null,
      publishedAt: null,
      noticeUntil: null,
    };
    mockApi(routes(live, { [`GET /api/v1/polls/${voteIds.poll}`]: { status: 200, body: poll({ countingUnit: 'room', resultVisibility: 'live', resultAvailable: true }) } }));
    render(<ResultPage />);
    expect((await screen.findByTestId('result-head')).textContent).toContain('实时结果');
    expect(text('result-live')).toContain('投票还在进行');
    expect(text('result-option-0-0')).toContain('30户');
    expect(screen.queryByTestId('art278-0')).toBeNull();
    expect(screen.queryByTestId('objection')).toBeNull();
  });

  it('RESULT_NOT_PUBLISHED shows the API’s message', async () => {
    mockApi(routes(ownerResult(7, passing), { [`GET /api/v1/polls/${voteIds.poll}/result`]: apiError(409, 'RESULT_NOT_PUBLISHED', '正在计票，结果马上公布') }));
    render(<ResultPage />);
    expect((await screen.findByTestId('result-error')).textContent).toBe('正在计票，结果马上公布');
  });

  it('核验 recomputes the chain: "链完整，结果与选票一致", or the problems found', async () => {
    let ok = true;
    const api = mockApi(
      routes(ownerResult(7, passing), {
        [`GET /api/v1/polls/${voteIds.poll}/verify`]: () => ({
          status: 200,
          body: ok
            ? { pollId: voteIds.poll, ok: true, entries: 420, participations: 420, head: 'f'.repeat(64), problems: [] }
            : { pollId: voteIds.poll, ok: false, entries: 420, participations: 421, head: 'f'.repeat(64), problems: ['第17张票的哈希与链不符'] },
        }),
      }),
    );
    render(<ResultPage />);
    fireEvent.click(await screen.findByTestId('verify-run'));
    expect((await screen.findByTestId('verify-ok')).textContent).toContain('链完整，结果与选票一致');
    expect(api.calls.some((c) => c.path === `/api/v1/polls/${voteIds.poll}/verify`)).toBe(true);

    ok = false;
    fireEvent.click(screen.getByTestId('verify-run'));
    expect((await screen.findByTestId('verify-problems')).textContent).toContain('第17张票的哈希与链不符');
    expect(screen.queryByTestId('verify-ok')).toBeNull();
  });

  it('during the notice period: an objection checked by the shared schema, sent with a key, listed with the answer', async () => {
    const mine = [{ id: 'b'.repeat(24), pollId: voteIds.poll, text: '2单元有两户没有收到表决票', answer: '已核实，两户已补发表决票并计入。', answeredAt: shanghaiIso(-1), createdAt: shanghaiIso(-20), createdOn: '2026-11-26' }];
    let filed: unknown[] = [];
    const api = mockApi(
      routes(ownerResult(7, passing), {
        [`GET /api/v1/polls/${voteIds.poll}/objections/mine`]: { status: 200, body: { items: mine } },
        [`POST /api/v1/polls/${voteIds.poll}/objections`]: (c: Call) => {
          filed = [...filed, c.body];
          return { status: 201, body: { id: 'c'.repeat(24), pollId: voteIds.poll, text: (c.body as { text: string }).text, answer: null, answeredAt: null, createdAt: shanghaiIso(0), createdOn: '2026-11-27' } };
        },
      }),
    );
    render(<ResultPage />);
    const mineCard = await screen.findByTestId('my-objections');
    expect(within(mineCard).getByTestId('objection-answer').textContent).toBe('社区答复：已核实，两户已补发表决票并计入。');

    const form = screen.getByTestId('objection');
    fireEvent.click(within(form).getByTestId('objection-submit'));
    const refused = objectionBody.safeParse({ text: '' });
    expect(refused.success).toBe(false);
    expect((await screen.findByTestId('objection-text-error')).textContent).toBe(refused.error!.issues[0]!.message);
    expect(filed).toHaveLength(0);

    fireEvent.change(screen.getByTestId('objection-input'), { target: { value: '3单元的面积好像算错了' } });
    fireEvent.click(within(form).getByTestId('objection-submit'));
    expect((await screen.findByTestId('objection-notice')).textContent).toContain('异议已提交');
    expect(filed).toEqual([{ text: '3单元的面积好像算错了' }]);
    const post = api.calls.find((c) => c.method === 'POST')!;
    expect(post.headers['Idempotency-Key']).toMatch(KEY);
    await waitFor(() => expect(screen.getAllByTestId('my-objection')).toHaveLength(2));
    expect(screen.getAllByTestId('my-objection')[1]!.textContent).toContain('等待社区答复');
  });

  it('after the notice period there is no objection form; OBJECTION_CLOSED is said in the API’s words', async () => {
    mockApi(routes(ownerResult(7, passing, { noticeUntil: shanghaiIso(-1) })));
    render(<ResultPage />);
    await screen.findByTestId('outcome-0');
    expect(screen.queryByTestId('objection')).toBeNull();

    resetAppState();
    signIn();
    mockApi(
      routes(ownerResult(7, passing), {
        [`POST /api/v1/polls/${voteIds.poll}/objections`]: apiError(409, 'OBJECTION_CLOSED', '公示期已过，不能再提出异议'),
      }),
    );
    render(<ResultPage />);
    const forms = await screen.findAllByTestId('objection-input');
    fireEvent.change(forms[0]!, { target: { value: '对结果有疑问' } });
    fireEvent.click(screen.getByTestId('objection-submit'));
    expect((await screen.findByTestId('objection-error')).textContent).toBe('公示期已过，不能再提出异议');
  });
});

describe('查回执', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });
  afterEach(() => {
    routerParams.current = {};
  });

  const receipt = (over: Record<string, unknown> = {}) => ({
    pollId: voteIds.poll,
    pollTitle: '1号楼加装电梯',
    receipt: 'ABCD-EFGH-JKMN',
    sealed: true,
    seq: 17,
    batchSize: 250,
    hash: '3f9a1c2e' + '0'.repeat(48) + '77b0d4aa',
    ...over,
  });
  const typeCode = (value: string) => fireEvent.input(screen.getByTestId('receipt-input').querySelector('input') ?? screen.getByTestId('receipt-input'), { target: { value } });

  it('forgives case, spaces and missing dashes; a sealed ballot says which batch it is in, and never a choice', async () => {
    const api = mockApi({ 'GET /api/v1/receipts/ABCD-EFGH-JKMN': { status: 200, body: receipt() } });
    render(<ReceiptPage />);
    typeCode(' abcd efgh jkmn ');
    fireEvent.click(screen.getByTestId('receipt-submit'));
    expect((await screen.findByTestId('receipt-state')).textContent).toBe('已计入第17批（共250张）');
    expect(screen.getByTestId('receipt-found').textContent).not.toMatch(/同意|反对|弃权|线上投票/);
    expect(screen.getByTestId('receipt-found').textContent).toContain('1号楼加装电梯');
    expect(screen.getByTestId('receipt-hash').textContent).toContain('3f9a1c2e…77b0d4aa');
    expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/receipts/ABCD-EFGH-JKMN']);
  });

  it('not sealed yet: 已收到，投票结束时统一封存计入; a malformed code is refused before asking; opened with ?code= it looks up at once', async () => {
    routerParams.current = { code: 'abcdefghjkmn' };
    const api = mockApi({ 'GET /api/v1/receipts/ABCD-EFGH-JKMN': { status: 200, body: receipt({ sealed: false, seq: null, batchSize: null, hash: null }) } });
    render(<ReceiptPage />);
    expect((await screen.findByTestId('receipt-state')).textContent).toBe('已收到，投票结束时统一封存计入');
    expect(screen.queryByTestId('receipt-hash')).toBeNull();

    typeCode('ABCD-EFGH');
    fireEvent.click(screen.getByTestId('receipt-submit'));
    expect((await screen.findByTestId('receipt-error')).textContent).toContain('回执码是12位字母和数字');
    expect(api.calls).toHaveLength(1);
  });

  it('an unknown code: the API’s words', async () => {
    mockApi({ 'GET /api/v1/receipts/ZZZZ-ZZZZ-ZZZZ': apiError(404, 'NOT_FOUND', '没有找到这张回执，请核对回执码') });
    render(<ReceiptPage />);
    typeCode('zzzz-zzzz-zzzz');
    fireEvent.click(screen.getByTestId('receipt-submit'));
    expect((await screen.findByTestId('receipt-error')).textContent).toBe('没有找到这张回执，请核对回执码');
  });
});
