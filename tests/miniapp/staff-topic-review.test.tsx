import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { hideBody, reason, topicCreateBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { centreMe, closedPoll, gridWorkerMe, heldComment, heldTopic, objection, pollIds } from './support/polls';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffTopicReview from '../../miniapp/src/staff/topic-review/index';
import StaffObjections from '../../miniapp/src/staff/objections/index';

const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

function firstIssue(r: { success: boolean; error?: { issues: { message: string }[] } }): string {
  if (r.success) throw new Error('expected the schema to refuse this input');
  return r.error!.issues[0]!.message;
}

const review = { status: 200, body: { topics: [heldTopic()], comments: [heldComment()] } };

describe('staff: 议题审核', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists the held topics and comments; 通过 releases a topic and it leaves the queue', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/topics/review': review,
      [`POST /api/v1/staff/topics/${pollIds.topic}/release`]: { status: 200, body: heldTopic({ status: 'collecting' }) },
    });
    render(<StaffTopicReview />);
    const topic = await screen.findByTestId('held-topic');
    expect(topic.textContent).toContain('小区东门晚上太暗了');
    expect(topic.textContent).toContain('东门到3号楼这段路晚上没有路灯');
    expect(topic.textContent).toContain('王秀英');
    const comment = screen.getByTestId('held-comment');
    expect(comment.textContent).toContain('物业电话 138 0000 0000 打不通');
    fireEvent.click(within(comment).getByTestId('comment-topic'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/topic/index?id=${pollIds.topic}` });

    fireEvent.click(within(topic).getByTestId('topic-release'));
    await waitFor(() => expect(screen.queryByTestId('held-topic')).toBeNull());
    expect(screen.getByTestId('review-notice').textContent).toContain('已通过：“小区东门晚上太暗了”');
    expect(posts(api.calls).map((c) => c.path)).toEqual([`/api/v1/staff/topics/${pollIds.topic}/release`]);
    expect(screen.getByTestId('held-comment')).toBeTruthy();
  });

  it('隐藏 needs a reason (the shared rule), then sends it; the author will see it', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/topics/review': review,
      [`POST /api/v1/staff/comments/${pollIds.comment}/hide`]: (c) => ({ status: 200, body: heldComment({ status: 'hidden', hiddenReason: (c.body as { reason: string }).reason }) }),
    });
    render(<StaffTopicReview />);
    const comment = await screen.findByTestId('held-comment');
    fireEvent.click(within(comment).getByTestId('comment-hide'));
    expect(screen.getByTestId('comment-hide-panel').textContent).toContain('作者能看到');

    fireEvent.click(screen.getByTestId('comment-hide-submit'));
    expect((await screen.findByTestId('comment-reason-error')).textContent).toBe(firstIssue(hideBody.safeParse({ reason: '' })));
    type('comment-reason-input', '删');
    fireEvent.click(screen.getByTestId('comment-hide-submit'));
    await waitFor(() => expect(screen.getByTestId('comment-reason-error').textContent).toBe(firstIssue(hideBody.safeParse({ reason: '删' }))));
    expect(screen.getByTestId('comment-reason-error').textContent).toBe('隐藏原因至少2个字');
    expect(posts(api.calls)).toHaveLength(0);

    type('comment-reason-input', '含有他人电话号码，请去掉后重新发表');
    fireEvent.click(screen.getByTestId('comment-hide-submit'));
    await waitFor(() => expect(screen.queryByTestId('held-comment')).toBeNull());
    expect(posts(api.calls)).toHaveLength(1);
    expect(posts(api.calls)[0]!.path).toBe(`/api/v1/staff/comments/${pollIds.comment}/hide`);
    expect(posts(api.calls)[0]!.body).toEqual({ reason: '含有他人电话号码，请去掉后重新发表' });
    expect(screen.getByTestId('review-notice').textContent).toBe('已隐藏这条意见，作者能看到原因。');
  });

  it('hides a topic with its reason, and releases a comment', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/topics/review': review,
      [`POST /api/v1/staff/topics/${pollIds.topic}/hide`]: { status: 200, body: heldTopic({ status: 'hidden' }) },
      [`POST /api/v1/staff/comments/${pollIds.comment}/release`]: { status: 200, body: heldComment({ status: 'visible' }) },
    });
    render(<StaffTopicReview />);
    fireEvent.click(await screen.findByTestId('topic-hide'));
    type('topic-reason-input', '与本社区无关');
    fireEvent.click(screen.getByTestId('topic-hide-submit'));
    await waitFor(() => expect(screen.queryByTestId('held-topic')).toBeNull());
    fireEvent.click(screen.getByTestId('comment-release'));
    await waitFor(() => expect(screen.queryByTestId('held-comment')).toBeNull());
    expect(posts(api.calls).map((c) => [c.path, c.body])).toEqual([
      [`/api/v1/staff/topics/${pollIds.topic}/hide`, { reason: '与本社区无关' }],
      [`/api/v1/staff/comments/${pollIds.comment}/release`, {}],
    ]);
    expect(screen.getByText('没有待审核的议题。')).toBeTruthy();
  });

  it('a colleague already decided: the API’s words and the queue fetched again', async () => {
    let lists = 0;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/topics/review': () => {
        lists += 1;
        return lists === 1 ? review : { status: 200, body: { topics: [], comments: [heldComment()] } };
      },
      [`POST /api/v1/staff/topics/${pollIds.topic}/release`]: apiError(409, 'CONFLICT', '这个议题不在审核中'),
    });
    render(<StaffTopicReview />);
    fireEvent.click(await screen.findByTestId('topic-release'));
    expect((await screen.findByTestId('review-notice')).textContent).toBe('这个议题不在审核中，列表已经刷新。');
    await waitFor(() => expect(screen.queryByTestId('held-topic')).toBeNull());
    expect(api.calls.filter((c) => c.path === '/api/v1/staff/topics/review')).toHaveLength(2);
  });

  it('发起社区议题 checks title and text with the shared schema, then sends them once with an Idempotency-Key', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/topics/review': { status: 200, body: { topics: [], comments: [] } },
      'POST /api/v1/staff/topics': (c) => ({ status: 201, body: heldTopic({ ...(c.body as object), status: 'agenda', byStaff: true, authorName: '社区' }) }),
    });
    render(<StaffTopicReview />);
    fireEvent.click(await screen.findByTestId('raise-open'));
    type('raise-title-input', '公益');
    type('raise-body-input', '怎么用');
    fireEvent.click(screen.getByTestId('raise-submit'));
    const bad = topicCreateBody.safeParse({ title: '公益', body: '怎么用', photoIds: [] });
    expect(bad.success).toBe(false);
    const byPath = (p: string) => (bad.success ? '' : bad.error.issues.find((i) => i.path[0] === p)!.message);
    expect((await screen.findByTestId('raise-title-error')).textContent).toBe(byPath('title'));
    expect(screen.getByTestId('raise-body-error').textContent).toBe(byPath('body'));
    expect(posts(api.calls)).toHaveLength(0);

    type('raise-title-input', '小区公共收益怎么用');
    type('raise-body-input', '去年广告位和停车场的公共收益共12.6万元，请大家在议事会前留言。');
    fireEvent.click(screen.getByTestId('raise-submit'));
    expect((await screen.findByTestId('raise-done')).textContent).toContain('已发起“小区公共收益怎么用”');
    const post = posts(api.calls)[0]!;
    expect(post.body).toEqual({ title: '小区公共收益怎么用', body: '去年广告位和停车场的公共收益共12.6万元，请大家在议事会前留言。', photoIds: [] });
    expect(post.headers['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('grid workers are told the page is for the centre', async () => {
    const api = mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffTopicReview />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });

  it('renders in 长辈版, the hide form open, without pop-ups', async () => {
    elderlyStore.set(true);
    mockApi({ 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/topics/review': review });
    const { container } = render(<StaffTopicReview />);
    fireEvent.click(await screen.findByTestId('topic-hide'));
    fireEvent.click(screen.getByTestId('raise-open'));
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
    expect(Taro.showToast).not.toHaveBeenCalled();
  });
});

describe('staff: 异议处理', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
    routerParams.current = { id: pollIds.closed };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  const answered = objection({ id: pollIds.objection2, text: '公示时间太短了。', answer: '业主表决以外的投票公示7天，符合议事规则。', answeredAt: '2026-12-02T09:00:00+08:00' });

  it('lists the objections with their answers, and answers one (at least 2 characters, the shared rule)', async () => {
    const text = '经核对表决票清册，502室的纸质票已于12月1日计入，计票无误。';
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      [`GET /api/v1/polls/${pollIds.closed}`]: { status: 200, body: closedPoll() },
      [`GET /api/v1/staff/polls/${pollIds.closed}/objections`]: { status: 200, body: { items: [objection(), answered] } },
      [`POST /api/v1/staff/poll-objections/${pollIds.objection}/answer`]: (c) => ({
        status: 200,
        body: objection({ answer: (c.body as { answer: string }).answer, answeredAt: '2026-12-03T10:00:00+08:00' }),
      }),
    });
    render(<StaffObjections />);
    const items = await screen.findAllByTestId('objection');
    expect(items).toHaveLength(2);
    expect(screen.getByTestId('objection-list').textContent).toContain('共2条，待答复1条');
    expect(items[0]!.textContent).toContain('我家502的纸质票是网格员收走的');
    expect(within(items[0]!).getByText('待答复')).toBeTruthy();
    expect(within(items[1]!).getByTestId('objection-answer').textContent).toContain('业主表决以外的投票公示7天');
    expect(within(items[1]!).queryByTestId('answer-input')).toBeNull();
    expect(await screen.findByText(/结果公示到/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('answer-submit'));
    expect((await screen.findByTestId('answer-error')).textContent).toBe(firstIssue(reason('答复').safeParse('')));
    type('answer-input', '好');
    fireEvent.click(screen.getByTestId('answer-submit'));
    await waitFor(() => expect(screen.getByTestId('answer-error').textContent).toBe('答复至少2个字'));
    expect(posts(api.calls)).toHaveLength(0);

    type('answer-input', text);
    fireEvent.click(screen.getByTestId('answer-submit'));
    await waitFor(() => expect(screen.getAllByTestId('objection-answer')).toHaveLength(2));
    expect(posts(api.calls)[0]!.body).toEqual({ answer: text });
    expect(screen.getByTestId('objections-notice').textContent).toBe('已答复，提出人会收到消息。');
    expect(screen.getByTestId('objection-list').textContent).toContain('待答复0条');
  });

  it('an objection a colleague answered first: the API’s words, and the list fetched again', async () => {
    let lists = 0;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      [`GET /api/v1/polls/${pollIds.closed}`]: { status: 200, body: closedPoll() },
      [`GET /api/v1/staff/polls/${pollIds.closed}/objections`]: () => {
        lists += 1;
        return { status: 200, body: { items: [lists === 1 ? objection() : objection({ answer: '已核实。', answeredAt: '2026-12-03T10:00:00+08:00' })] } };
      },
      [`POST /api/v1/staff/poll-objections/${pollIds.objection}/answer`]: apiError(409, 'CONFLICT', '这条异议已经答复过了'),
    });
    render(<StaffObjections />);
    await screen.findByTestId('answer-input');
    type('answer-input', '已经核实，计票无误。');
    fireEvent.click(screen.getByTestId('answer-submit'));
    expect((await screen.findByTestId('objections-conflict')).textContent).toBe('这条异议已经答复过了，列表已经刷新。');
    await waitFor(() => expect(screen.getByTestId('objection-answer').textContent).toContain('已核实。'));
    expect(api.calls.filter((c) => c.path.endsWith('/objections'))).toHaveLength(2);
  });

  it('renders in 长辈版', async () => {
    elderlyStore.set(true);
    mockApi({
      'GET /api/v1/me': centreMe,
      [`GET /api/v1/polls/${pollIds.closed}`]: { status: 200, body: closedPoll() },
      [`GET /api/v1/staff/polls/${pollIds.closed}/objections`]: { status: 200, body: { items: [objection(), answered] } },
    });
    const { container } = render(<StaffObjections />);
    await screen.findAllByTestId('objection');
    expect(container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
  });
});
