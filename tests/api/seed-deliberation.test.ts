import mongoose from 'mongoose';
import { seedDemoDeliberation } from '../../api/src/seed/deliberation';
import { startTestApi, type TestApi } from './support/harness';

/** The demo 议事 content `npm start` shows: created through the services, and only once. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
}, 60_000);
afterAll(() => api.close());

it('seeds topics and two open polls, and a second run adds nothing', async () => {
  const { communityId } = await api.seed();
  await seedDemoDeliberation(api.services, communityId);
  await seedDemoDeliberation(api.services, communityId);
  const db = mongoose.connection.db!;
  expect(await db.collection('topics').countDocuments()).toBe(2);
  expect(await db.collection('polls').countDocuments({ status: 'open' })).toBe(2);
  const wang = await api.loginWechat('demo-owner-wang');
  const polls = (await api.request('GET', '/api/v1/polls', { token: wang.accessToken })).body.items;
  expect(polls.map((p: { title: string; canVote: boolean }) => [p.title, p.canVote])).toEqual(
    expect.arrayContaining([
      ['1号楼加装电梯', true],
      ['社区文化节活动项目', true],
    ]),
  );
  const owner = polls.find((p: { title: string }) => p.title === '1号楼加装电梯');
  expect(owner.participation.totalHeads).toBe(48);
  expect(owner.ruleText).toContain('第二百七十八条');
});
