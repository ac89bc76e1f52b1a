import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { commentCreateBody, topicCreateBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { mockApiWithDownloads } from './support/download';
import { mockApiWithFiles } from './support/files';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { comment, PNG, poll, residentMe, topic, topicDetail, unit, voteIds } from './support/vote';
import Deliberation from '../../miniapp/src/pages/deliberation/index';
import TopicNew from '../../miniapp/src/vote/topic-new/index';
import TopicPage from '../../miniapp/src/vote/topic/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
/** Taro's <Input> listens for input events; the test Textarea for change events. */
const typeTitle = (value: string) => fireEvent.input(screen.getByTestId('title-input').querySelector('input') ?? screen.getByTestId('title-input'), { target: { value } });
const titleValue = () => ((screen.getByTestId('title-input').querySelector('input') ?? screen.getByTestId('title-input')) as HTMLInputElement).value;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);

/** The first message the shared schema gives for this input. */
function schemaMessage(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } } }, input: unknown, field: string) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  return r.error!.issues.find((i) => i.path[0] === field)!.message;
}

describe('议事 tab', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('待我表决 first, then the other open polls, then finished ones with 查看结果; then topics, 发起议题 and 查回执', async () => {
    const finished = poll({ id: voteIds.poll3, title: '小区停车位划线方案', status: 'closed', canVote: false, resultAvailable: true });
    const votedOpen = poll({ id: voteIds.poll2, title: '社区文化节活动项目', countingUnit: 'room', canVote: false, myUnits: [unit({ voted: true, channel: 'online' })] });
    const mine = poll();
    mockApi({
      'GET /api/v1/me': residentMe(),
      // Whatever order the API gives, the tab puts 待我表决 first.
      'GET /api/v1/polls': { status: 200, body: { items: [finished, votedOpen, mine] } },
      'GET /api/v1/topics': (c: Call) =>
        c.url.includes('status=mine')
          ? { status: 200, body: { items: [topic({ id: voteIds.topic2, title: '楼道里装感应灯', status: 'held', mine: true, supportCount: 1 })] } }
          : { status: 200, body: { items: [topic(), topic({ id: 'e'.repeat(24), title: '2027年小区公共收益使用方案', status: 'agenda', byStaff: true, supportCount: 0, commentCount: 4 })] } },
    });
    render(<Deliberation />);
    await screen.findByTestId('polls-mine');
    const order = screen.getAllByTestId('poll-item').map((el) => el.getAttribute('data-poll'));
    expect(order).toEqual([voteIds.poll, voteIds.poll2, voteIds.poll3]);
    expect(screen.getByTestId('polls-mine').textContent).toContain('待我表决（1）');
    expect(screen.getByTestId('polls-mine').textContent).toContain('去投票');
    expect(screen.getByTestId('polls-open').textContent).toContain('已投票');
    expect(screen.getByTestId('polls-closed').textContent).toContain('查看结果');
    // 待我表决 comes before everything else on the page.
    const all = document.body.textContent!;
    expect(all.indexOf('待我表决')).toBeLessThan(all.indexOf('正在投票'));
    expect(all.indexOf('正在投票')).toBeLessThan(all.indexOf('已结束的投票'));
    expect(all.indexOf('已结束的投票')).toBeLessThan(all.indexOf('发起议题'));

    fireEvent.click(within(screen.getByTestId('polls-mine')).getByTestId('poll-item'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/poll/index?id=${voteIds.poll}` });
    fireEvent.click(within(screen.getByTestId('polls-closed')).getByTestId('poll-item'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/result/index?id=${voteIds.poll3}` });

    // Topics: my held one first (only I see it), then everyone's, each with status, support and comments.
    const items = await screen.findAllByTestId('topic-item');
    expect(items.map((t) => t.getAttribute('data-topic'))).toEqual([voteIds.topic2, voteIds.topic, 'e'.repeat(24)]);
    expect(items[0]!.textContent).toContain('审核中');
    expect(items[1]!.textContent).toContain('征集支持中');
    expect(items[1]!.textContent).toContain('7/20人支持 · 还差13人');
    expect(items[1]!.textContent).toContain('1条意见');
    expect(within(items[1]!).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('7');
    expect(items[2]!.textContent).toContain('已列入议事会议题');

    fireEvent.click(screen.getByTestId('topic-new'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/vote/topic-new/index' });
    fireEvent.click(screen.getByTestId('go-receipt'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/vote/receipt/index' });
  });

  it('a resident without a room is asked kindly to bind one, and is not offered 发起议题', async () => {
    mockApi({
      'GET /api/v1/me': residentMe([]),
      'GET /api/v1/polls': { status: 200, body: { items: [] } },
      'GET /api/v1/topics': { status: 200, body: { items: [] } },
    });
    render(<Deliberation />);
    expect(await screen.findByTestId('go-bind')).toBeTruthy();
    expect(await screen.findByText('绑定房屋后，这里会出现请您参加的投票。')).toBeTruthy();
    expect(screen.queryByTestId('topic-new')).toBeNull();
  });
});

describe('发起议题', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('checks title and text with the shared schema before sending', async () => {
    const api = mockApi({});
    render(<TopicNew />);
    fireEvent.click(screen.getByTestId('topic-submit'));
    expect((await screen.findByTestId('title-error')).textContent).toBe(schemaMessage(topicCreateBody, { title: '', body: '' }, 'title'));
    expect(screen.getByTestId('body-error').textContent).toBe(schemaMessage(topicCreateBody, { title: '', body: '' }, 'body'));

    typeTitle('东门加装雨棚');
    fireEvent.change(screen.getByTestId('body-input'), { target: { value: '东门要雨棚' } });
    fireEvent.click(screen.getByTestId('topic-submit'));
    await waitFor(() => expect(screen.queryByTestId('title-error')).toBeNull());
    expect(screen.getByTestId('body-error').textContent).toBe(schemaMessage(topicCreateBody, { title: '东门加装雨棚', body: '东门要雨棚' }, 'body'));
    expect(screen.getByTestId('body-error').textContent).toBe('请至少写10个字，说清楚是什么事');
    expect(posts(api.calls, '/api/v1/topics')).toHaveLength(0);
  });

  it('CONTENT_RISKY shows the API’s message and keeps the text; sent again it is held for staff, said plainly', async () => {
    let attempt = 0;
    const api = mockApi({
      'POST /api/v1/topics': (c: Call) =>
        ++attempt <= 2
          ? apiError(422, 'CONTENT_RISKY', '内容可能不符合社区公约，请修改后再发')
          : { status: 201, body: topic({ id: voteIds.topic2, title: (c.body as { title: string }).title, status: 'held', mine: true, supportCount: 1, supported: true }) },
    });
    render(<TopicNew />);
    typeTitle('东门加装雨棚');
    fireEvent.change(screen.getByTestId('body-input'), { target: { value: '下雨天东门口没有遮挡，老人进出不方便。' } });
    fireEvent.click(screen.getByTestId('topic-submit'));
    expect((await screen.findByTestId('topic-error')).textContent).toBe('内容可能不符合社区公约，请修改后再发');
    expect(titleValue()).toBe('东门加装雨棚');
    expect((screen.getByTestId('body-input') as HTMLTextAreaElement).value).toBe('下雨天东门口没有遮挡，老人进出不方便。');

    // Sent again as it is: refused again, and as a new attempt (a refusal is an answer: a new key).
    fireEvent.click(screen.getByTestId('topic-submit'));
    await waitFor(() => expect(posts(api.calls, '/api/v1/topics')).toHaveLength(2));
    fireEvent.change(screen.getByTestId('body-input'), { target: { value: '下雨天东门口没有遮挡，老人进出很不方便。' } });
    fireEvent.click(screen.getByTestId('topic-submit'));
    expect((await screen.findByTestId('topic-done-notice')).textContent).toBe('内容需要工作人员看一下，通过后大家就能看到。');

    const sent = posts(api.calls, '/api/v1/topics');
    expect(sent).toHaveLength(3);
    expect(sent[2]!.body).toEqual({ title: '东门加装雨棚', body: '下雨天东门口没有遮挡，老人进出很不方便。', photoIds: [] });
    for (const s of sent) expect(s.headers['Idempotency-Key']).toMatch(KEY);
    expect(new Set(sent.map((s) => s.headers['Idempotency-Key'])).size).toBe(3);
    fireEvent.click(screen.getByTestId('topic-open'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/topic/index?id=${voteIds.topic2}` });
  });

  it('photos: chosen, read, uploaded as image/png one by one, shown with 删除; the topic carries their ids', async () => {
    const uploads: Call[] = [];
    let n = 0;
    const m = mockApiWithFiles({
      'POST /api/v1/uploads': (c: Call) => {
        uploads.push(c);
        n += 1;
        const id = String(n).repeat(24);
        return { status: 201, body: { id, url: `/api/v1/uploads/${id}`, contentType: 'image/png', size: PNG.byteLength } };
      },
      'POST /api/v1/topics': { status: 201, body: topic({ id: voteIds.topic2, mine: true }) },
    });
    // The browser's chooser gives blob: URLs; reading one fetches it.
    const inner = window.fetch;
    const outer = jest.fn(async (url: string, init?: RequestInit) =>
      url.startsWith('blob:') ? { blob: async () => ({ type: 'image/png', arrayBuffer: async () => PNG.slice().buffer }) } : inner(url, init),
    );
    (window as unknown as { fetch: unknown }).fetch = outer;
    (globalThis as unknown as { fetch: unknown }).fetch = outer;
    const choose = jest.spyOn(Taro, 'chooseImage').mockResolvedValue({
      tempFilePaths: ['blob:http://localhost/p1', 'blob:http://localhost/p2'],
      tempFiles: [
        { path: 'blob:http://localhost/p1', size: PNG.byteLength },
        { path: 'blob:http://localhost/p2', size: PNG.byteLength },
      ],
      errMsg: 'chooseImage:ok',
    } as never);

    render(<TopicNew />);
    fireEvent.click(screen.getByTestId('photo-add'));
    await waitFor(() => expect(screen.getAllByTestId('photo-item').map((p) => p.textContent)).toEqual(['已上传删除', '已上传删除']));
    expect(choose).toHaveBeenCalledWith(expect.objectContaining({ count: 9 }));
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.headers['Content-Type']).toBe('image/png');
    expect(uploads[0]!.body).toMatchObject({ bytes: PNG.byteLength });

    fireEvent.click(screen.getAllByTestId('photo-remove')[0]!);
    expect(screen.getAllByTestId('photo-item')).toHaveLength(1);

    typeTitle('东门加装雨棚');
    fireEvent.change(screen.getByTestId('body-input'), { target: { value: '下雨天东门口没有遮挡，老人进出很不方便。' } });
    fireEvent.click(screen.getByTestId('topic-submit'));
    await screen.findByTestId('topic-done');
    expect(posts(m.calls, '/api/v1/topics')[0]!.body).toMatchObject({ photoIds: ['2'.repeat(24)] });
    choose.mockRestore();
  });
});

describe('a topic', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: voteIds.topic };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('support: one tap, then shown as supported with the new count', async () => {
    const api = mockApi({
      [`GET /api/v1/topics/${voteIds.topic}`]: { status: 200, body: topicDetail() },
      [`POST /api/v1/topics/${voteIds.topic}/support`]: { status: 200, body: topic({ supportCount: 8, supported: true }) },
    });
    render(<TopicPage />);
    const card = await screen.findByTestId('topic-support');
    expect(card.textContent).toContain('7/20人支持 · 还差13人');
    expect(screen.getByTestId('support-meter').getAttribute('aria-valuenow')).toBe('7');
    fireEvent.click(within(card).getByTestId('support'));
    expect((await screen.findByTestId('supported')).textContent).toBe('您已支持这个议题。');
    expect(card.textContent).toContain('8/20人支持 · 还差12人');
    expect(screen.queryByTestId('support')).toBeNull();
    expect(posts(api.calls, `/api/v1/topics/${voteIds.topic}/support`)).toHaveLength(1);
    // The discussion stays on screen.
    expect(screen.getAllByTestId('comment')).toHaveLength(1);
  });

  it('comments: a held one of mine is marked, a hidden one of mine shows why, someone else’s hidden one shows nothing', async () => {
    mockApi({
      [`GET /api/v1/topics/${voteIds.topic}`]: {
        status: 200,
        body: topicDetail({
          polls: [{ id: voteIds.poll, title: '1号楼加装电梯', status: 'open' }],
          meetings: [
            { id: 'd'.repeat(24), title: '第四季度议事会', startsAt: '2026-12-02T19:00:00+08:00', cancelled: false, resolution: { text: '东门加装雨棚，物业年底前完成', passed: true, status: 'in_progress' } },
            { id: '9'.repeat(24), title: '临时议事会', startsAt: '2026-12-09T19:00:00+08:00', cancelled: true, resolution: null },
          ],
          comments: [
            comment(),
            comment({ id: 'b'.repeat(24), authorName: '王秀兰', mine: true, text: '我家楼下也漏雨', status: 'held' }),
            comment({ id: 'c'.repeat(24), authorName: '王秀兰', mine: true, text: '物业都是骗子', status: 'hidden', hiddenReason: '含有人身攻击' }),
            comment({ id: 'e'.repeat(24), authorName: '李四', text: null, status: 'hidden', hiddenReason: null }),
          ],
        }),
      },
    });
    render(<TopicPage />);
    await screen.findByTestId('comments');
    // The meetings that took it up, with what they decided.
    expect(screen.getByTestId(`topic-resolution-${'d'.repeat(24)}`).textContent).toBe('议事会决议通过：东门加装雨棚，物业年底前完成（落实中）');
    expect(screen.getByTestId(`topic-meeting-${'9'.repeat(24)}`).textContent).toContain('已取消');
    fireEvent.click(screen.getByTestId(`topic-meeting-${'d'.repeat(24)}`));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/meeting/index?id=${'d'.repeat(24)}` });
    // The poll it led to is named from the topic itself, with its state.
    expect(screen.getByTestId('topic-polls').textContent).toContain('1号楼加装电梯');
    expect(screen.getByTestId('topic-polls').textContent).toContain('投票中');
    const [visible, held, hiddenMine, hiddenOther] = screen.getAllByTestId('comment');
    expect(visible!.textContent).toContain('赞成，接孩子放学的时候经常淋雨。');
    expect(held!.textContent).toContain('我家楼下也漏雨');
    expect(held!.textContent).toContain('审核中，只有您能看到');
    expect(hiddenMine!.textContent).toContain('物业都是骗子');
    expect(within(hiddenMine!).getByTestId('comment-hidden-reason').textContent).toBe('已被隐藏：含有人身攻击');
    expect(hiddenOther!.textContent).toContain('这条意见已被隐藏');
    expect(within(hiddenOther!).queryByTestId('comment-hidden-reason')).toBeNull();

    // The poll the topic led to, by its title.
    const link = await screen.findByTestId(`topic-poll-${voteIds.poll}`);
    await waitFor(() => expect(link.textContent).toContain('1号楼加装电梯'));
    fireEvent.click(link);
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/poll/index?id=${voteIds.poll}` });
  });

  it('the comment box: the shared schema first, CONTENT_RISKY keeps the text, a held comment is said plainly', async () => {
    let attempt = 0;
    const api = mockApi({
      [`GET /api/v1/topics/${voteIds.topic}`]: { status: 200, body: topicDetail() },
      [`POST /api/v1/topics/${voteIds.topic}/comments`]: (c: Call) =>
        ++attempt === 1
          ? apiError(422, 'CONTENT_RISKY', '内容可能不符合社区公约，请修改后再发')
          : { status: 201, body: comment({ id: 'f'.repeat(24), authorName: '王秀兰', mine: true, text: (c.body as { text: string }).text, status: 'held' }) },
    });
    render(<TopicPage />);
    const box = await screen.findByTestId('comment-box');
    fireEvent.click(within(box).getByTestId('comment-submit'));
    expect((await screen.findByTestId('comment-error')).textContent).toBe(schemaMessage(commentCreateBody, { text: '' }, 'text'));
    expect(posts(api.calls, `/api/v1/topics/${voteIds.topic}/comments`)).toHaveLength(0);

    fireEvent.change(screen.getByTestId('comment-input'), { target: { value: '物业太差了' } });
    fireEvent.click(within(box).getByTestId('comment-submit'));
    await waitFor(() => expect(screen.getByTestId('comment-error').textContent).toBe('内容可能不符合社区公约，请修改后再发'));
    expect((screen.getByTestId('comment-input') as HTMLTextAreaElement).value).toBe('物业太差了');

    fireEvent.change(screen.getByTestId('comment-input'), { target: { value: '希望物业早点修好' } });
    fireEvent.click(within(box).getByTestId('comment-submit'));
    expect((await screen.findByTestId('comment-notice')).textContent).toBe('您的意见需要工作人员看一下，通过后大家就能看到。');
    const sent = posts(api.calls, `/api/v1/topics/${voteIds.topic}/comments`);
    expect(sent.map((c) => c.body)).toEqual([{ text: '物业太差了' }, { text: '希望物业早点修好' }]);
    expect(sent[1]!.headers['Idempotency-Key']).toMatch(KEY);
    const mine = screen.getAllByTestId('comment').at(-1)!;
    expect(mine.textContent).toContain('希望物业早点修好');
    expect(mine.textContent).toContain('审核中，只有您能看到');
    expect((screen.getByTestId('comment-input') as HTMLTextAreaElement).value).toBe('');
  });

  it('photos are fetched with the token (an <Image> sends none) and shown from blob: URLs', async () => {
    const photoId = '9'.repeat(24);
    const urls = URL as unknown as { createObjectURL?: unknown };
    const before = urls.createObjectURL;
    urls.createObjectURL = jest.fn(() => 'blob:http://localhost/topic-photo');
    const m = mockApiWithDownloads(
      { [`GET /api/v1/topics/${voteIds.topic}`]: { status: 200, body: topicDetail({ photoUrls: [`/api/v1/uploads/${photoId}`] }) } },
      { [`GET /api/v1/uploads/${photoId}`]: () => ({ bytes: PNG, contentType: 'image/png' }) },
    );
    render(<TopicPage />);
    const img = await screen.findByTestId('topic-photo');
    expect(img.getAttribute('src') ?? img.querySelector('img')?.getAttribute('src')).toBe('blob:http://localhost/topic-photo');
    const get = m.calls.find((c) => c.path === `/api/v1/uploads/${photoId}`)!;
    expect(get.url).toBe(`http://api.test/api/v1/uploads/${photoId}`);
    expect(get.headers.Authorization).toBe('Bearer access-1');
    urls.createObjectURL = before;
  });
});
