// @ts-check
/**
 * The database floor of `GET /api/v1/me`: the queries the API runs for it,
 * issued straight through the MongoDB driver (mongoose's, on a connection of
 * its own with the API's pool size: `maxPoolSize: 1` against FerretDB), one
 * after the other as the API does:
 *   1. users.findOne({_id})                                   (authenticate)
 *   2. bindings.find({userId}).sort({_id:-1}).limit(50)       (spaces.bindingsOf; the room
 *      label is copied onto each binding, so no rooms query follows)
 * No mongoose casting or documents, no HTTP, no JSON: what is left is the
 * database and the driver.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../lib.mjs';

const mongoose = /** @type {typeof import('mongoose')} */ (createRequire(path.join(repoRoot, 'package.json'))('mongoose'));

/** @param {string} uri @param {string} dbName @param {number} maxPoolSize */
async function connect(uri, dbName, maxPoolSize) {
  const conn = mongoose.createConnection(uri, {
    dbName,
    maxPoolSize,
    minPoolSize: maxPoolSize === 1 ? 1 : 0,
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: 5000,
    bufferCommands: false,
  });
  await conn.asPromise();
  if (!conn.db) throw new Error('the floor connection has no database');
  return { conn, db: conn.db };
}

/**
 * Opens the floor's connection with the pool the API would choose for this
 * server (api/src/db/connection.ts): 1 against FerretDB, 50 against MongoDB.
 * @param {string} uri @param {string} dbName
 */
export async function openFloor(uri, dbName) {
  let { conn, db } = await connect(uri, dbName, 1);
  const info = /** @type {{ version?: string, ferretdbVersion?: string }} */ (await db.admin().command({ buildInfo: 1 }));
  const maxPoolSize = info.ferretdbVersion ? 1 : 50;
  if (maxPoolSize !== 1) {
    await conn.close();
    ({ conn, db } = await connect(uri, dbName, maxPoolSize));
  }
  const users = db.collection('users');
  const bindings = db.collection('bindings');

  /** @param {string} userIdHex */
  async function meQueries(userIdHex) {
    const userId = new mongoose.Types.ObjectId(userIdHex);
    const user = await users.findOne({ _id: userId });
    if (!user) throw new Error('user not found');
    const found = await bindings.find({ userId }).sort({ _id: -1 }).limit(50).toArray();
    return { user, bindings: found };
  }

  /**
   * Each query alone, one in flight, `n` times: where the floor's time goes.
   * @param {string} userIdHex @param {number} n
   * @returns {Promise<Array<{ query: string, meanMs: number }>>}
   */
  async function breakdown(userIdHex, n) {
    const userId = new mongoose.Types.ObjectId(userIdHex);
    /** @type {Array<[string, () => Promise<unknown>]>} */
    const queries = [
      ['users.findOne({_id})', () => users.findOne({ _id: userId })],
      ['bindings.find({userId}).sort({_id:-1}).limit(50)', () => bindings.find({ userId }).sort({ _id: -1 }).limit(50).toArray()],
    ];
    const out = [];
    for (const [query, fn] of queries) {
      await fn();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      out.push({ query, meanMs: Math.round(((performance.now() - t0) / n) * 100) / 100 });
    }
    return out;
  }

  /** The server's own description (FerretDB adds `ferretdbVersion` to buildInfo). */
  function serverInfo() {
    return info.ferretdbVersion
      ? { server: 'ferretdb', version: info.ferretdbVersion, reportsMongodb: info.version ?? 'unknown' }
      : { server: 'mongodb', version: info.version ?? 'unknown' };
  }

  return {
    maxPoolSize,
    meQueries,
    breakdown,
    serverInfo,
    /** Drops the bench database (bounded: never hangs a stop on a dead server). */
    async dropAndClose() {
      await Promise.race([conn.dropDatabase(), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
      await Promise.race([conn.close(true), new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
    },
  };
}
