import mongoose, { Schema } from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';

/**
 * FerretDB keeps single-document operations atomic only within one connection
 * (architecture.md: 11 winners out of 100 with a pool of 100). The API detects
 * FerretDB and then uses a single connection; these tests hold it to that.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
});
afterAll(() => api.close());

const Claim = mongoose.model('ConcurrencyClaim', new Schema({ _id: String, state: String, by: Number, hits: Number }), 'concurrency_claims');

it('detects FerretDB by buildInfo.ferretdbVersion and uses one connection', () => {
  expect(api.database.server).toBe('ferretdb');
  expect(api.database.maxPoolSize).toBe(1);
  expect((mongoose.connection.getClient().options as { maxPoolSize?: number }).maxPoolSize).toBe(1);
});

it('When 100 guarded state changes of one document race on the API connection, then exactly one wins', async () => {
  await Claim.create({ _id: 'seat', state: 'open', hits: 0 });
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => Claim.updateOne({ _id: 'seat', state: 'open' }, { $set: { state: 'taken', by: i } })),
  );
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  const doc = await Claim.findById('seat').lean();
  expect(doc!.state).toBe('taken');
  expect(results[doc!.by!]!.modifiedCount).toBe(1);
});

it('When 100 increments race, then none is lost', async () => {
  await Claim.create({ _id: 'counter', state: 'n/a', hits: 0 });
  await Promise.all(Array.from({ length: 100 }, () => Claim.updateOne({ _id: 'counter' }, { $inc: { hits: 1 } })));
  expect((await Claim.findById('counter').lean())!.hits).toBe(100);
});

it('When 100 findOneAndUpdate claims race over 20 waiting documents, then each document is claimed once', async () => {
  await Claim.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `job-${i}`, state: 'waiting' })));
  const claimed = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      Claim.findOneAndUpdate({ _id: /^job-/, state: 'waiting' }, { $set: { state: 'claimed', by: i } }, { returnDocument: 'after' }).lean(),
    ),
  );
  const ids = claimed.filter(Boolean).map((d) => d!._id);
  expect(ids).toHaveLength(20);
  expect(new Set(ids).size).toBe(20);
});
