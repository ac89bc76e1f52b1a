// @ts-check
/**
 * The booking scenario: a burst of concurrent bookings from many residents on a
 * few slots while others keep reading slot lists; then the capacity invariant is
 * checked in the database (confirmed + seats left = capacity on every slot, each
 * waitlist ticket held once).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../lib.mjs';
import { summarize } from './measure.mjs';

const mongoose = /** @type {typeof import('mongoose')} */ (createRequire(path.join(repoRoot, 'package.json'))('mongoose'));

/** @param {string} url @param {RequestInit} [init] */
async function json(url, init) {
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

/**
 * @param {{ apiUrl: string, mongoUri: string, dbName: string, residents?: number, slots?: number, capacity?: number, inFlight?: number, readers?: number }} opts
 */
export async function runBookingScenario(opts) {
  const residents = opts.residents ?? 300;
  const slotCount = opts.slots ?? 3;
  const capacity = opts.capacity ?? 20;
  const inFlight = opts.inFlight ?? 50;
  const readers = opts.readers ?? 10;
  const api = opts.apiUrl;
  if (new URL(api).hostname !== '127.0.0.1') throw new Error('bench sends traffic to 127.0.0.1 only');

  const staff = await json(`${api}/api/v1/auth/staff`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'centre', password: 'community2026' }),
  });
  const staffAuth = { Authorization: `Bearer ${staff.body.accessToken}`, 'Content-Type': 'application/json' };
  const service = await json(`${api}/api/v1/staff/services`, {
    method: 'POST',
    headers: staffAuth,
    body: JSON.stringify({
      name: '压测事项',
      category: 'other',
      guide: { location: '一楼大厅' },
      slotMinutes: 60,
      capacity,
      maxActivePerResident: 1,
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    }),
  });
  if (service.status !== 201) throw new Error(`could not create the bench service: ${JSON.stringify(service.body)}`);
  const slotsRes = await json(`${api}/api/v1/services/${service.body.id}/slots`, { headers: staffAuth });
  const slots = slotsRes.body.items.filter((/** @type {{ startAt: string }} */ s) => new Date(s.startAt).getTime() > Date.now() + 3 * 3600_000).slice(0, slotCount);

  /** @type {string[]} */
  const tokens = [];
  for (let i = 0; i < residents; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, residents - i) }, (_, j) =>
        json(`${api}/api/v1/auth/wechat`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ code: `test-bench-r-${i + j}` }),
        }),
      ),
    );
    tokens.push(...batch.map((b) => String(b.body.accessToken)));
  }

  // Steady readers of slot lists, for as long as the burst lasts.
  let bursting = true;
  /** @type {number[]} */
  const readLatencies = [];
  let readErrors = 0;
  const readStart = performance.now();
  const readerLoops = Array.from({ length: readers }, async (_, r) => {
    const auth = { Authorization: `Bearer ${tokens[r]}` };
    while (bursting) {
      const t = performance.now();
      const res = await fetch(`${api}/api/v1/services/${service.body.id}/slots`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) readErrors++;
      else readLatencies.push(performance.now() - t);
    }
  });

  /** @type {number[]} */
  const bookLatencies = [];
  const outcomes = { confirmed: 0, waitlisted: 0, refused: 0, errors: 0 };
  let next = 0;
  const burstStart = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (;;) {
        const i = next++;
        if (i >= residents) return;
        const t = performance.now();
        try {
          const res = await json(`${api}/api/v1/bookings`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${tokens[i]}`, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${i}-booking` },
            body: JSON.stringify({ slotId: slots[i % slots.length].id }),
          });
          bookLatencies.push(performance.now() - t);
          if (res.status === 201 && res.body.status === 'confirmed') outcomes.confirmed++;
          else if (res.status === 201 && res.body.status === 'waitlisted') outcomes.waitlisted++;
          else outcomes.refused++;
        } catch {
          outcomes.errors++;
        }
      }
    }),
  );
  const burstSeconds = (performance.now() - burstStart) / 1000;
  bursting = false;
  await Promise.all(readerLoops);
  const readSeconds = (performance.now() - readStart) / 1000;

  // The invariant, read straight from the database.
  const conn = await mongoose.createConnection(opts.mongoUri, { dbName: opts.dbName, maxPoolSize: 1 }).asPromise();
  const problems = [];
  try {
    for (const s of slots) {
      const slotId = new mongoose.Types.ObjectId(s.id);
      const db = conn.db;
      if (!db) throw new Error('no database');
      const doc = await db.collection('slots').findOne({ _id: slotId });
      const bookings = await db.collection('bookings').find({ slotId }).toArray();
      const confirmed = bookings.filter((b) => b.status === 'confirmed').length;
      const waiting = bookings.filter((b) => b.status === 'waitlisted');
      if (confirmed > capacity) problems.push(`slot ${s.id}: ${confirmed} confirmed > capacity ${capacity}`);
      if (confirmed + (doc?.seatsLeft ?? -1) !== capacity) problems.push(`slot ${s.id}: confirmed ${confirmed} + seatsLeft ${doc?.seatsLeft} ≠ ${capacity}`);
      if (waiting.length !== doc?.waiting) problems.push(`slot ${s.id}: ${waiting.length} waitlisted ≠ waiting ${doc?.waiting}`);
      if (new Set(waiting.map((b) => b.waitSeq)).size !== waiting.length) problems.push(`slot ${s.id}: a waitlist ticket is held twice`);
    }
  } finally {
    await conn.close();
  }

  const bookingStats = summarize(bookLatencies, burstSeconds);
  const readStats = summarize(readLatencies, readSeconds);
  return {
    residents,
    slots: slots.length,
    capacity,
    inFlight,
    readers,
    bookings: { ...bookingStats, seconds: Math.round(burstSeconds * 100) / 100, ...outcomes },
    reads: { ...readStats, requests: readLatencies.length, errors: readErrors },
    invariant: { ok: problems.length === 0, problems, expectedConfirmed: Math.min(residents, slots.length * capacity) },
  };
}
