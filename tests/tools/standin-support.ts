/**
 * Helpers for the stand-in's tests.
 *
 * Loading the stand-in: it is an ES module (.mjs) and these tests run in jest's CommonJS mode, where
 * jest refuses to `require` any .mjs file (ERR_REQUIRE_ESM, whatever the transform), its own `import()`
 * needs `node --experimental-vm-modules`, and the `module.createRequire` it hands out is jest's require
 * again. So the module is loaded by Node itself: the main context's `process` (reached through
 * `vm.runInThisContext`) gives Node's real `createRequire`, and Node ≥ 20.19 can `require()` an ES
 * module that has no top-level await (server.mjs keeps it that way). The module then lives outside
 * jest's registry: no jest.mock, no coverage, which these black-box tests do not need.
 */
import path from 'node:path';
import vm from 'node:vm';
import { inflateSync } from 'node:zlib';

export type StandinModule = typeof import('../../tools/wechat-standin/server.mjs');
export type Standin = Awaited<ReturnType<StandinModule['startStandin']>>;

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'tools/wechat-standin/server.mjs');
export const EXAMPLE_SCRIPT = path.join(ROOT, 'tools/wechat-standin/script.example.json');

let loaded: StandinModule | undefined;

export async function loadStandin(): Promise<StandinModule> {
  if (!loaded) {
    const hostProcess = vm.runInThisContext('process') as NodeJS.Process & {
      getBuiltinModule(id: 'node:module'): typeof import('node:module');
    };
    const hostRequire = hostProcess.getBuiltinModule('node:module').createRequire(SERVER);
    loaded = hostRequire(SERVER) as StandinModule;
  }
  return loaded;
}

/** A client for one running stand-in, speaking to it over HTTP like the API's WeChat client does. */
export function client(baseUrl: string) {
  async function get(pathAndQuery: string) {
    const res = await fetch(baseUrl + pathAndQuery);
    return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as any };
  }
  async function post(pathAndQuery: string, body: unknown) {
    const res = await fetch(baseUrl + pathAndQuery, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const type = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      type,
      bytes,
      json: (type.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : null) as any,
    };
  }
  async function login(code: string, query = 'appid=wx-app&secret=s3cret&grant_type=authorization_code') {
    return get(`/sns/jscode2session?${query}&js_code=${encodeURIComponent(code)}`);
  }
  async function token(extra: Record<string, unknown> = {}) {
    const res = await post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: 'wx-app',
      secret: 's3cret',
      ...extra,
    });
    return res.json as { access_token: string; expires_in: number; errcode?: number };
  }
  return { get, post, login, token };
}

export interface PngInfo {
  width: number;
  height: number;
  colorType: number;
  text: Record<string, string>;
  pixels: Buffer;
}

/** Reads a PNG the strict way: signature, chunk CRCs, IHDR, inflated IDAT size, filter bytes. */
export function readPng(bytes: Buffer): PngInfo {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error('not a PNG signature');
  let at = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  const text: Record<string, string> = {};
  let ended = false;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    const crc = bytes.readUInt32BE(at + 8 + length);
    if (crc !== crc32(bytes.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      text[data.toString('latin1', 0, zero)] = data.toString('latin1', zero + 1);
    }
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!header || !ended || at !== bytes.length) throw new Error('PNG without IHDR or IEND');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const colorType = header[9]!;
  const channels = colorType === 4 ? 2 : colorType === 0 ? 1 : NaN;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * channels;
  if (raw.length !== height * stride) throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * stride}`);
  const pixels = Buffer.alloc(height * width * channels);
  for (let y = 0; y < height; y++) {
    if (raw[y * stride] !== 0) throw new Error('unexpected filter type');
    raw.copy(pixels, y * width * channels, y * stride + 1, (y + 1) * stride);
  }
  return { width, height, colorType, text, pixels };
}

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
