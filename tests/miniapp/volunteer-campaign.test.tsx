import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { answerProblems, nominationBody, reason, toShanghaiIso } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { campaign, centreStaffMe, nomination, residentMe, volIds } from './support/volunteer';
import VolunteerCampaign from '../../miniapp/src/volunteer/campaign/index';
import StaffCampaigns from '../../miniapp/src/staff/campaigns/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const btn = { selector: '.btn__text' } as const;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });
const campaignPath = `/api/v1/campaigns/${volIds.campaign}`;
const inDays = (d: number) => toShanghaiIso(new Date(Date.now() + d * 86400_000));
const reasonText = '十年如一日照顾楼里的独居老人，每天上门送饭、陪着说话，邻居们都很感动。';

/** The poll the campaign's vote runs on (shared pollView), one question per category. */
function poll(over: Record<string, unknown> = {}) {
  return {
    id: volIds.poll,
    title: '2026年度道德模范评选',
    description: '请从公示的候选中投票。',
    questions: [
      { title: '道德模范（最多选2位）', kind: 'multiple', options: ['刘桂兰', '周大勇', '孙阿婆'], minPicks: 1, maxPicks: 2, matter: null },
      { title: '文明家庭（最多选1位）', kind: 'single', options: ['王秀英家庭', '以上都不选'], minPicks: 1, maxPicks: 1, matter: null },
    ],
    opensAt: inDays(-1),
    closesAt: inDays(6),
    status: 'open',
    countingUnit: 'person',
    secrecy: 'secret',
    resultVisibility: 'after_close',
    scopeLabel: '全社区',
    ruleText: '',
    noticeDays: 7,
    noticeUntil: null,
    participation: null,
    myUnits: [{ key: 'person:a', label: '王秀兰', voted: false, channel: null, forResidentId: null }],
    canVote: true,
    resultAvailable: false,
    topicId: null,
    ...over,
  };
}

describe('评选 page, by stage', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: volIds.campaign };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('推荐中: the shared nomination rule beside each field; then the body with a key, and my nomination listed', async () => {
    let c = campaign();
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      [`GET ${campaignPath}`]: () => ({ status: 200, body: c }),
      [`POST ${campaignPath}/nominations`]: (call: Call) => {
        c = campaign({ nominations: [nomination({ ...(call.body as object), status: 'submitted', mine: true })] });
        return { status: 201, body: c };
      },
    });
    render(<VolunteerCampaign />);
    fireEvent.click(await screen.findByText('提交推荐', btn));
    const refused = nominationBody.safeParse({ category: '', nomineeName: '', reason: '' });
    const message = (p: string) => refused.error!.issues.find((i) => i.path.join('.') === p)!.message;
    expect((await screen.findByTestId('nominate-category-error')).textContent).toBe(message('category'));
    expect(screen.getByTestId('nominate-kind-error').textContent).toBe(message('kind'));
    expect(screen.getByTestId('nominate-name-error').textContent).toBe(message('nomineeName'));
    expect(screen.getByTestId('nominate-reason-error').textContent).toBe(message('reason'));

    fireEvent.click(screen.getByTestId('nominate-categories-道德模范'));
    fireEvent.click(screen.getByTestId('nominate-kinds-neighbour'));
    type('nominate-name-input', '刘桂兰');
    type('nominate-reason-input', '照顾老人');
    fireEvent.click(screen.getByText('提交推荐', btn));
    expect((await screen.findByTestId('nominate-reason-error')).textContent).toBe(nominationBody.safeParse({ reason: '照顾老人' }).error!.issues.find((i) => i.path[0] === 'reason')!.message);
    expect(posts(api.calls, `${campaignPath}/nominations`)).toHaveLength(0);

    type('nominate-reason-input', reasonText);
    fireEvent.click(screen.getByText('提交推荐', btn));
    expect((await screen.findByTestId('campaign-notice')).textContent).toContain('推荐已提交');
    const [post] = posts(api.calls, `${campaignPath}/nominations`);
    expect(post!.body).toEqual({ category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: reasonText, photoIds: [] });
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
    expect(within(screen.getByTestId('my-nominations')).getByText('待审核')).toBeTruthy();
  });

  it('公示中: the public list with reasons; 提出异议 per nominee with the shared reason rule; my objection and its answer', async () => {
    let c = campaign({
      stage: 'notice',
      noticeUntil: inDays(5),
      nominations: [nomination(), nomination({ id: volIds.nomination2, category: '文明家庭', kind: 'family', nomineeName: '王秀英家庭', reason: '三代同堂，孝老爱亲，热心邻里事务。' })],
    });
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      [`GET ${campaignPath}`]: () => ({ status: 200, body: c }),
      [`POST ${campaignPath}/objections`]: (call: Call) => {
        const { text } = call.body as { text: string };
        c = { ...c, nominations: c.nominations.map((n) => (n.id === volIds.nomination ? { ...n, objections: [{ id: 'b'.repeat(24), text, answer: null, mine: true }] } : n)) };
        return { status: 201, body: c };
      },
    });
    render(<VolunteerCampaign />);
    const list = await screen.findByTestId('notice-list');
    expect(list.textContent).toContain('刘桂兰');
    expect(list.textContent).toContain(reasonText);
    expect(list.textContent).toContain('王秀英家庭');
    expect(list.textContent).toContain('推荐家庭');

    fireEvent.click(screen.getByTestId(`object-open-${volIds.nomination}`));
    fireEvent.click(screen.getByText('提交意见', btn));
    expect((await screen.findByTestId('objection-error')).textContent).toBe(reason('异议内容').safeParse('').error!.issues[0]!.message);
    type('objection-input', '据我所知她已经搬走两年了');
    fireEvent.click(screen.getByText('提交意见', btn));
    expect((await screen.findByTestId('my-objection')).textContent).toContain('据我所知她已经搬走两年了');
    expect(screen.getByTestId('my-objection').textContent).toContain('工作人员正在核实');
    expect(posts(api.calls, `${campaignPath}/objections`)[0]!.body).toEqual({ nominationId: volIds.nomination, text: '据我所知她已经搬走两年了' });
  });

  it('投票中: the poll’s questions, checked by the shared answer rule, then the vote with a key and the receipt', async () => {
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      [`GET ${campaignPath}`]: { status: 200, body: campaign({ stage: 'voting', pollId: volIds.poll, nominations: [nomination()] }) },
      [`GET /api/v1/polls/${volIds.poll}`]: { status: 200, body: poll() },
      [`POST ${campaignPath}/vote`]: { status: 201, body: { pollId: volIds.poll, unitKey: 'person:a', unitLabel: '王秀兰', channel: 'online', receipt: 'R7K2-9QXM-4TZA', castAt: inDays(0) } },
    });
    render(<VolunteerCampaign />);
    const q0 = await screen.findByTestId('question-0');
    expect(q0.textContent).toContain('道德模范（最多选2位）');
    expect(screen.getByTestId('question-1').textContent).toContain('以上都不选');

    fireEvent.click(screen.getByTestId('q0-0'));
    fireEvent.click(screen.getByTestId('q0-1'));
    fireEvent.click(screen.getByTestId('q0-2'));
    fireEvent.click(screen.getByText('投票', btn));
    const p = poll();
    expect((await screen.findByTestId('vote-problem')).textContent).toBe(answerProblems(p.questions as never, [[0, 1, 2], []]));
    fireEvent.click(screen.getByTestId('q0-2'));
    fireEvent.click(screen.getByText('投票', btn));
    expect((await screen.findByTestId('vote-problem')).textContent).toBe(answerProblems(p.questions as never, [[0, 1], []]));
    expect(posts(api.calls, `${campaignPath}/vote`)).toHaveLength(0);

    fireEvent.click(screen.getByTestId('q1-0'));
    fireEvent.click(screen.getByText('投票', btn));
    expect((await screen.findByTestId('vote-receipt')).textContent).toBe('R7K2-9QXM-4TZA');
    const [post] = posts(api.calls, `${campaignPath}/vote`);
    expect(post!.body).toEqual({ answers: [[0, 1], [0]] });
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
  });

  it('投票中, already voted: says so, no ballot', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      [`GET ${campaignPath}`]: { status: 200, body: campaign({ stage: 'voting', pollId: volIds.poll, nominations: [nomination()] }) },
      [`GET /api/v1/polls/${volIds.poll}`]: { status: 200, body: poll({ canVote: false, myUnits: [{ key: 'person:a', label: '王秀兰', voted: true, channel: 'online', forResidentId: null }] }) },
    });
    render(<VolunteerCampaign />);
    expect(await screen.findByTestId('vote-already')).toBeTruthy();
    expect(screen.queryByText('投票', btn)).toBeNull();
  });

  it('已公布: the honour roll by category', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      [`GET ${campaignPath}`]: {
        status: 200,
        body: campaign({
          stage: 'published',
          publishedAt: inDays(0),
          honourRoll: [
            { category: '文明家庭', nomineeName: '王秀英家庭', nominationId: volIds.nomination2 },
            { category: '道德模范', nomineeName: '刘桂兰', nominationId: volIds.nomination },
          ],
        }),
      },
    });
    render(<VolunteerCampaign />);
    const roll = await screen.findByTestId('honour-roll');
    expect(within(roll).getAllByTestId('honour').map((h) => h.textContent)).toEqual(['★刘桂兰', '★王秀英家庭']);
    expect(screen.queryByText('提交推荐', btn)).toBeNull();
  });
});

describe('staff: 评选活动', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('审核: 不通过 needs a reason; 通过; then 开始公示 after asking', async () => {
    let c = campaign({ nominations: [nomination({ status: 'submitted' }), nomination({ id: volIds.nomination2, nomineeName: '周大勇', status: 'submitted' })] });
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/campaigns': () => ({ status: 200, body: { items: [c] } }),
      [`POST /api/v1/staff/campaign-nominations/${volIds.nomination}/review`]: (call: Call) => {
        c = { ...c, nominations: c.nominations.map((n) => (n.id === volIds.nomination ? { ...n, status: (call.body as { accept: boolean }).accept ? 'accepted' : 'rejected' } : n)) };
        return { status: 200, body: c };
      },
      [`POST /api/v1/staff/campaign-nominations/${volIds.nomination2}/review`]: (call: Call) => {
        c = { ...c, nominations: c.nominations.map((n) => (n.id === volIds.nomination2 ? { ...n, status: 'rejected', reviewNote: (call.body as { note: string }).note } : n)) };
        return { status: 200, body: c };
      },
      [`POST /api/v1/staff/campaigns/${volIds.campaign}/notice`]: () => {
        c = { ...c, stage: 'notice', noticeUntil: inDays(7) };
        return { status: 200, body: c };
      },
    });
    render(<StaffCampaigns />);
    fireEvent.click(await screen.findByTestId(`campaign-open-${volIds.campaign}`));
    fireEvent.click(screen.getByTestId(`accept-${volIds.nomination}`));
    await waitFor(() => expect(screen.getAllByTestId('staff-nominee')[0]!.textContent).toContain('已通过'));
    expect(posts(api.calls, `/api/v1/staff/campaign-nominations/${volIds.nomination}/review`)[0]!.body).toEqual({ accept: true });

    fireEvent.click(screen.getByTestId(`reject-${volIds.nomination2}`));
    fireEvent.click(screen.getByText('确定不通过', btn));
    expect((await screen.findByTestId('reject-note-error')).textContent).toBe(reason('不通过的原因').safeParse('').error!.issues[0]!.message);
    expect(posts(api.calls, `/api/v1/staff/campaign-nominations/${volIds.nomination2}/review`)).toHaveLength(0);
    type('reject-note-input', '事迹不在本社区');
    fireEvent.click(screen.getByText('确定不通过', btn));
    await waitFor(() => expect(screen.getAllByTestId('staff-nominee')[1]!.textContent).toContain('审核意见：事迹不在本社区'));
    expect(posts(api.calls, `/api/v1/staff/campaign-nominations/${volIds.nomination2}/review`)[0]!.body).toEqual({ accept: false, note: '事迹不在本社区' });

    fireEvent.click(screen.getByText('开始公示', btn));
    expect(screen.getByTestId('notice-confirm').textContent).toContain('公示审核通过的1位候选，公示7天');
    fireEvent.click(within(screen.getByTestId('notice-confirm')).getByText('开始公示', btn));
    expect((await screen.findByTestId('campaigns-notice')).textContent).toContain('已开始公示');
  });

  it('公示中: answers an objection; 开始投票 sends the closing time; the API’s refusal in its words', async () => {
    let c = campaign({
      stage: 'notice',
      noticeUntil: inDays(-1),
      nominations: [nomination({ objections: [{ id: 'b'.repeat(24), text: '据我所知她已经搬走两年了', answer: null, mine: false }] })],
    });
    let answered = false;
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/campaigns': () => ({
        status: 200,
        body: { items: [answered ? { ...c, nominations: c.nominations.map((n) => ({ ...n, objections: n.objections.map((o) => ({ ...o, answer: '经核实仍在本社区居住' })) })) } : c] },
      }),
      [`POST /api/v1/staff/campaign-objections/${'b'.repeat(24)}/answer`]: () => {
        answered = true;
        return { status: 200, body: { ok: true } };
      },
      [`POST /api/v1/staff/campaigns/${volIds.campaign}/decide`]: (call: Call) =>
        answered ? { status: 200, body: (c = { ...c, stage: 'voting', pollId: volIds.poll, _closesAt: (call.body as { closesAt: string }).closesAt } as never) } : apiError(409, 'OBJECTIONS_UNANSWERED', '还有异议没有答复，答复后才能进入下一步'),
    });
    routerParams.current = { id: volIds.campaign };
    render(<StaffCampaigns />);
    const objection = await screen.findByTestId('staff-objection');
    expect(objection.textContent).toContain('据我所知她已经搬走两年了');

    type('close-date', '2099-12-30');
    type('close-time', '18:00');
    fireEvent.click(screen.getByText('开始投票', btn));
    expect((await screen.findByTestId('manage-error')).textContent).toBe('还有异议没有答复，答复后才能进入下一步');

    type('answer-input', '经核实仍在本社区居住');
    fireEvent.click(screen.getByText('答复', btn));
    await waitFor(() => expect(screen.getByTestId('staff-objection').textContent).toContain('答复：经核实仍在本社区居住'));
    fireEvent.click(screen.getByText('开始投票', btn));
    expect((await screen.findByTestId('campaigns-notice')).textContent).toContain('投票已开始');
    const decides = posts(api.calls, `/api/v1/staff/campaigns/${volIds.campaign}/decide`);
    expect(decides[1]!.body).toEqual({ closesAt: '2099-12-30T18:00:00+08:00' });
  });

  it('评审: the panel’s winners are sent to 公布', async () => {
    const c = campaign({ stage: 'appraisal', decision: 'panel', nominations: [nomination(), nomination({ id: volIds.nomination2, nomineeName: '周大勇' })] });
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/campaigns': { status: 200, body: { items: [c] } },
      [`POST /api/v1/staff/campaigns/${volIds.campaign}/publish`]: { status: 200, body: { ...c, stage: 'published', honourRoll: [{ category: '道德模范', nomineeName: '周大勇', nominationId: volIds.nomination2 }] } },
    });
    routerParams.current = { id: volIds.campaign };
    render(<StaffCampaigns />);
    fireEvent.click(await screen.findByTestId(`winners-道德模范-${volIds.nomination2}`));
    fireEvent.click(screen.getByText('公布结果（已选1位）', btn));
    expect((await screen.findByTestId('staff-honour')).textContent).toBe('道德模范：周大勇');
    expect(posts(api.calls, `/api/v1/staff/campaigns/${volIds.campaign}/publish`)[0]!.body).toEqual({ winners: [volIds.nomination2] });
  });
});
