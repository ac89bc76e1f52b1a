// @ts-check
/**
 * WeChat server stand-in.
 *
 * Answers the WeChat server APIs the project calls the way WeChat answers them (HTTP 200, JSON,
 * failures as `{ errcode, errmsg }`), on 127.0.0.1, so that development and tests run the
 * production WeChat client against a base URL of their choosing (`WX_API_BASE`). Error codes are
 * scripted (a JSON file, merged at run time through `/__standin/script`). README.md beside this
 * file documents the contract and the script format.
 *
 * Keep this module free of top-level await: the tests load it with require() (see
 * tests/tools/standin-support.ts).
 *
 * Zero dependencies on purpose: it must start anywhere Node 20 runs, before `npm ci` finished,
 * and it must never drift into "the stand-in accepts what WeChat refuses" because a library was
 * lenient. Use it in process (`startStandin`) or as a program:
 *
 *   node tools/wechat-standin/server.mjs [--port 4100] [--script path.json | --script none]
 */
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';

const HOST = '127.0.0.1';
const TOKEN_TTL_SECONDS = 7200;
const MAX_BODY_BYTES = 1024 * 1024;
/** Oldest calls are dropped beyond this, so a long development session cannot grow without end. */
const MAX_RECORDS = 10_000;
const DEFAULT_SCRIPT = fileURLToPath(new URL('./script.example.json', import.meta.url));
/** WeChat's own content type for JSON answers. */
const JSON_TYPE = 'application/json; encoding=utf-8';
/** jscode2session answers JSON labelled text/plain (a classic trap for clients that trust the label). */
const JSCODE2SESSION_TYPE = 'text/plain';

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const TEST_CODE = /^test-([A-Za-z0-9_-]{1,64})$/;
const PHONE_CODE = /^phone-(\d{11})$/;
/** 1–32 characters of the set WeChat allows in a mini-program code's scene. */
const SCENE = /^[A-Za-z0-9!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const MSG_SEC_MAX_CHARS = 2500;

/**
 * errmsg WeChat sends with each errcode the stand-in can answer. WeChat appends " rid: …" to most
 * of them; the stand-in does not, so clients have to decide on errcode (which is the right thing).
 * @type {Record<number, string>}
 */
const ERRMSG = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40169: 'invalid length for scene, or the data is not json string',
  40226: 'user is blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'minute-limit reached',
  47001: 'data format error',
  47003: 'argument invalid!',
  87014: 'risky content',
};

/** @typedef {'pass' | 'review' | 'risky'} Suggest */
/** A scripted failure. `times: null` fires forever; a number counts down and the rule disappears at 0. */
/** @typedef {{ errcode: number, errmsg: string, times: number | null }} Rule */
/**
 * @typedef {object} SecRule
 * @property {string} contains
 * @property {Suggest} suggest
 * @property {number} label
 * @property {Rule | null} error  answer the call with this error instead of a verdict
 * @property {number | null} times
 */
/** @typedef {'jscode2session' | 'subscribeSend' | 'getuserphonenumber' | 'getwxacodeunlimit'} MapSection */
/**
 * @typedef {object} Script
 * @property {{ appid: string | null, secret: string | null }} credentials  null: any non-empty value
 * @property {Map<string, Rule>} jscode2session      by js_code ("*": every code)
 * @property {Rule | null} stableToken
 * @property {SecRule[]} msgSecCheck                 first match wins
 * @property {Map<string, Rule>} subscribeSend       by "touser:template_id", "touser" or "*"
 * @property {Map<string, Rule>} getuserphonenumber  by code ("*": every code)
 * @property {Map<string, Rule>} getwxacodeunlimit   by scene ("*": every scene)
 */
/**
 * A script as read from JSON: what to change. `null` for a section clears it; `null` for an entry
 * of a keyed section removes that entry; msgSecCheck rules go before the existing ones.
 * @typedef {object} Patch
 * @property {Script['credentials'] | null} [credentials]
 * @property {Map<string, Rule | null> | null} [jscode2session]
 * @property {Rule | null} [stableToken]
 * @property {SecRule[] | null} [msgSecCheck]
 * @property {Map<string, Rule | null> | null} [subscribeSend]
 * @property {Map<string, Rule | null> | null} [getuserphonenumber]
 * @property {Map<string, Rule | null> | null} [getwxacodeunlimit]
 */
/**
 * @typedef {object} CallRecord
 * @property {number} seq
 * @property {string} at          ISO time
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {unknown} body       parsed JSON, else the raw text, else null
 * @property {number} status      HTTP status
 * @property {number | null} errcode  0 for successes (also images), null for non-JSON failures
 */
/**
 * @typedef {object} SentMessage
 * @property {number} msgid
 * @property {string} at
 * @property {string} touser
 * @property {string} template_id
 * @property {string | null} page
 * @property {string | null} miniprogram_state
 * @property {string | null} lang
 * @property {Record<string, { value: string }>} data
 */
/**
 * @typedef {object} StandinHandle
 * @property {string} baseUrl   e.g. http://127.0.0.1:4100 (use as WX_API_BASE)
 * @property {number} port
 * @property {() => Promise<void>} close
 * @property {(path?: string) => CallRecord[]} calls          recorded WeChat calls, newest last
 * @property {(touser?: string) => SentMessage[]} messages    accepted subscribe messages, newest last
 * @property {(patch: unknown) => void} script                 merge a script (throws on a bad one)
 * @property {() => Promise<void>} reset                      reload the script file, forget calls and tokens
 * @property {(errcode?: 40001 | 42001) => number} invalidateToken  current tokens now answer errcode
 */
/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {string} contentType
 * @property {Buffer | string} body
 * @property {number | null} errcode
 */
/** @typedef {{ appid: string, expiresAt: number, revoked: number }} TokenInfo */
/** @typedef {{ bytes: Buffer, tooLarge: boolean }} RawBody */
/** @typedef {Record<string, unknown>} Json */

// ---------------------------------------------------------------------------------------------
// Script: parse, merge, show
// ---------------------------------------------------------------------------------------------

const MAP_SECTIONS = /** @type {const} */ (['jscode2session', 'subscribeSend', 'getuserphonenumber', 'getwxacodeunlimit']);
const SUGGESTS = /** @type {const} */ (['pass', 'review', 'risky']);

/** @returns {Script} */
function emptyScript() {
  return {
    credentials: { appid: null, secret: null },
    jscode2session: new Map(),
    stableToken: null,
    msgSecCheck: [],
    subscribeSend: new Map(),
    getuserphonenumber: new Map(),
    getwxacodeunlimit: new Map(),
  };
}

/**
 * @param {unknown} value
 * @returns {value is Json}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {number | null}
 */
function parseTimes(value, where) {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || /** @type {number} */ (value) < 1) {
    throw new Error(`${where}.times: expected a positive integer`);
  }
  return /** @type {number} */ (value);
}

/**
 * An errcode (`45011`) or `{ "errcode": 45011, "errmsg"?: "…", "times"?: 1 }`.
 * @param {unknown} value
 * @param {string} where
 * @returns {Rule}
 */
function parseRule(value, where) {
  const errcode = isObject(value) ? value.errcode : value;
  if (!Number.isInteger(errcode) || errcode === 0) {
    throw new Error(`${where}: expected a non-zero integer errcode or { "errcode", "errmsg"?, "times"? }`);
  }
  const code = /** @type {number} */ (errcode);
  if (!isObject(value)) return { errcode: code, errmsg: ERRMSG[code] ?? 'scripted error', times: null };
  for (const key of Object.keys(value)) {
    if (!['errcode', 'errmsg', 'times'].includes(key)) throw new Error(`${where}: unknown field "${key}"`);
  }
  if (value.errmsg !== undefined && typeof value.errmsg !== 'string') throw new Error(`${where}.errmsg: expected a string`);
  return {
    errcode: code,
    errmsg: typeof value.errmsg === 'string' ? value.errmsg : (ERRMSG[code] ?? 'scripted error'),
    times: parseTimes(value.times, where),
  };
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {SecRule}
 */
function parseSecRule(value, where) {
  if (!isObject(value)) throw new Error(`${where}: expected { "contains", "suggest"?, "label"? } or { "contains", "errcode" }`);
  for (const key of Object.keys(value)) {
    if (!['contains', 'suggest', 'label', 'errcode', 'errmsg', 'times'].includes(key)) {
      throw new Error(`${where}: unknown field "${key}"`);
    }
  }
  if (typeof value.contains !== 'string') throw new Error(`${where}.contains: expected a string`);
  const suggest = value.suggest ?? (value.errcode === undefined ? 'risky' : 'pass');
  if (!SUGGESTS.includes(/** @type {Suggest} */ (suggest))) throw new Error(`${where}.suggest: expected pass, review or risky`);
  if (value.label !== undefined && !Number.isInteger(value.label)) throw new Error(`${where}.label: expected an integer`);
  const label = /** @type {number | undefined} */ (value.label) ?? (suggest === 'pass' ? 100 : 21000);
  const error = value.errcode === undefined ? null : parseRule({ errcode: value.errcode, errmsg: value.errmsg }, where);
  if (error === null && value.errmsg !== undefined) throw new Error(`${where}.errmsg: only with errcode`);
  return { contains: value.contains, suggest: /** @type {Suggest} */ (suggest), label, error, times: parseTimes(value.times, where) };
}

/**
 * Reads a script (file contents or a run-time patch). Strict: an unknown key is an error, because
 * a typo would otherwise silently script nothing. Keys starting with "$" ("$comment") are ignored.
 * @param {unknown} input
 * @param {string} where  names the source in error messages
 * @returns {Patch}
 */
export function parseScript(input, where = 'script') {
  if (!isObject(input)) throw new Error(`${where}: expected a JSON object`);
  /** @type {Patch} */
  const patch = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('$')) continue;
    const at = `${where}.${key}`;
    switch (key) {
      case 'credentials': {
        if (value === null) { patch.credentials = null; break; }
        if (!isObject(value)) throw new Error(`${at}: expected { "appid"?, "secret"? } or null`);
        for (const field of Object.keys(value)) {
          if (field !== 'appid' && field !== 'secret') throw new Error(`${at}: unknown field "${field}"`);
          if (value[field] !== null && (typeof value[field] !== 'string' || value[field] === '')) {
            throw new Error(`${at}.${field}: expected a non-empty string or null`);
          }
        }
        patch.credentials = {
          appid: /** @type {string | null | undefined} */ (value.appid) ?? null,
          secret: /** @type {string | null | undefined} */ (value.secret) ?? null,
        };
        break;
      }
      case 'stableToken':
        patch.stableToken = value === null ? null : parseRule(value, at);
        break;
      case 'msgSecCheck':
        if (value === null) { patch.msgSecCheck = null; break; }
        if (!Array.isArray(value)) throw new Error(`${at}: expected an array of rules or null`);
        patch.msgSecCheck = value.map((rule, i) => parseSecRule(rule, `${at}[${i}]`));
        break;
      case 'jscode2session':
      case 'subscribeSend':
      case 'getuserphonenumber':
      case 'getwxacodeunlimit': {
        if (value === null) { patch[key] = null; break; }
        if (!isObject(value)) throw new Error(`${at}: expected an object (key → errcode) or null`);
        /** @type {Map<string, Rule | null>} */
        const entries = new Map();
        for (const [name, rule] of Object.entries(value)) {
          entries.set(name, rule === null ? null : parseRule(rule, `${at}[${JSON.stringify(name)}]`));
        }
        patch[key] = entries;
        break;
      }
      default:
        throw new Error(`${at}: unknown section (known: credentials, jscode2session, stableToken, msgSecCheck, subscribeSend, getuserphonenumber, getwxacodeunlimit)`);
    }
  }
  return patch;
}

/**
 * @param {Script} script  changed in place
 * @param {Patch} patch
 */
function applyPatch(script, patch) {
  if (patch.credentials !== undefined) script.credentials = patch.credentials ?? { appid: null, secret: null };
  if (patch.stableToken !== undefined) script.stableToken = patch.stableToken;
  if (patch.msgSecCheck !== undefined) {
    script.msgSecCheck = patch.msgSecCheck === null ? [] : [...patch.msgSecCheck, ...script.msgSecCheck];
  }
  for (const section of MAP_SECTIONS) {
    const entries = patch[section];
    if (entries === undefined) continue;
    if (entries === null) { script[section].clear(); continue; }
    for (const [key, rule] of entries) {
      if (rule === null) script[section].delete(key);
      else script[section].set(key, rule);
    }
  }
}

/**
 * @param {Rule} rule
 * @returns {unknown}
 */
function ruleToJson(rule) {
  if (rule.times === null && rule.errmsg === (ERRMSG[rule.errcode] ?? 'scripted error')) return rule.errcode;
  return { errcode: rule.errcode, errmsg: rule.errmsg, ...(rule.times === null ? {} : { times: rule.times }) };
}

/**
 * The current script in the file format (what GET /__standin/script shows).
 * @param {Script} script
 */
function scriptToJson(script) {
  /** @param {Map<string, Rule>} map */
  const entries = (map) => Object.fromEntries([...map].map(([key, rule]) => [key, ruleToJson(rule)]));
  return {
    credentials: script.credentials,
    jscode2session: entries(script.jscode2session),
    stableToken: script.stableToken && ruleToJson(script.stableToken),
    msgSecCheck: script.msgSecCheck.map((rule) => ({
      contains: rule.contains,
      ...(rule.error
        ? { errcode: rule.error.errcode, errmsg: rule.error.errmsg }
        : { suggest: rule.suggest, label: rule.label }),
      ...(rule.times === null ? {} : { times: rule.times }),
    })),
    subscribeSend: entries(script.subscribeSend),
    getuserphonenumber: entries(script.getuserphonenumber),
    getwxacodeunlimit: entries(script.getwxacodeunlimit),
  };
}

/**
 * Finds the rule for the first key that has one and counts down its `times`.
 * @param {Map<string, Rule>} map
 * @param {string[]} keys
 * @returns {Rule | null}
 */
function takeRule(map, keys) {
  for (const key of keys) {
    const rule = map.get(key);
    if (!rule) continue;
    if (rule.times !== null && --rule.times <= 0) map.delete(key);
    return rule;
  }
  return null;
}

/**
 * @param {string} file
 * @returns {Promise<Script>}
 */
async function loadScriptFile(file) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read script ${file}: ${/** @type {Error} */ (error).message}`);
  }
  let input;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new Error(`script ${file} is not valid JSON: ${/** @type {Error} */ (error).message}`);
  }
  const script = emptyScript();
  applyPatch(script, parseScript(input, path.basename(file)));
  return script;
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/**
 * @param {unknown} value
 * @param {number} [status]
 * @param {string} [contentType]
 * @returns {Reply}
 */
function json(value, status = 200, contentType = JSON_TYPE) {
  const errcode = isObject(value) && typeof value.errcode === 'number' ? value.errcode : status === 200 ? 0 : null;
  return { status, contentType, body: JSON.stringify(value), errcode };
}

/**
 * @param {number} errcode
 * @param {string} [errmsg]
 * @returns {Reply}
 */
function wxError(errcode, errmsg) {
  return json({ errcode, errmsg: errmsg ?? ERRMSG[errcode] ?? 'scripted error' });
}

/**
 * @param {Rule} rule
 * @returns {Reply}
 */
function ruleError(rule) {
  return wxError(rule.errcode, rule.errmsg);
}

/**
 * WeChat reads POST bodies as JSON whatever the Content-Type says.
 * @param {RawBody} raw
 * @returns {{ body: Json, error?: undefined } | { error: Reply, body?: undefined }}
 */
function jsonBody(raw) {
  if (raw.tooLarge) return { error: wxError(47001) };
  if (raw.bytes.length === 0) return { error: wxError(44002) };
  try {
    const body = JSON.parse(raw.bytes.toString('utf8'));
    return isObject(body) ? { body } : { error: wxError(47001) };
  } catch {
    return { error: wxError(47001) };
  }
}

/**
 * @param {unknown} value
 * @returns {value is string}
 */
function isNonEmptyString(value) {
  return typeof value === 'string' && value !== '';
}

// ---------------------------------------------------------------------------------------------
// Subscribe-message data: WeChat's rules per keyword type (counted in characters, not bytes)
// ---------------------------------------------------------------------------------------------

/** @type {Record<string, (value: string) => boolean>} */
const DATA_RULES = {
  thing: (v) => chars(v) <= 20,
  number: (v) => chars(v) <= 32 && /^[+-]?\d+(\.\d+)?$/.test(v),
  letter: (v) => chars(v) <= 32 && /^[A-Za-z]+$/.test(v),
  symbol: (v) => chars(v) <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  character_string: (v) => chars(v) <= 32 && /^[\x21-\x7e]+$/.test(v),
  time: (v) => chars(v) <= 64 && /\d/.test(v),
  date: (v) => chars(v) <= 64 && /\d/.test(v),
  amount: (v) => /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => chars(v) <= 17 && /^[\d+\-()\s]+$/.test(v),
  car_number: (v) => chars(v) <= 8,
  name: (v) => (/^[A-Za-z .·]+$/.test(v) ? chars(v) <= 20 : chars(v) <= 10),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
};
const DATA_KEY = /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase)\d+$/;

/** @param {string} value */
function chars(value) {
  return [...value].length;
}

/**
 * @param {unknown} data
 * @returns {string | null}  the errmsg of the first invalid entry, or null
 */
function invalidData(data) {
  if (!isObject(data) || Object.keys(data).length === 0) return 'argument invalid! data is empty';
  for (const [key, entry] of Object.entries(data)) {
    const type = DATA_KEY.exec(key)?.[1];
    const value = isObject(entry) ? entry.value : undefined;
    const rule = type === undefined ? undefined : DATA_RULES[type];
    if (!rule || typeof value !== 'string' || value.trim() === '' || !rule(value)) {
      return `argument invalid! data.${key}.value invalid`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Mini-program code image: a real, decodable PNG (grey square, QR-like pattern from the scene)
// ---------------------------------------------------------------------------------------------

/** @type {number[]} */
const CRC_TABLE = [];
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE.push(c >>> 0);
}

/** @param {Buffer} bytes */
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = /** @type {number} */ (CRC_TABLE[(c ^ byte) & 0xff]) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A width × width PNG: a 21 × 21 module pattern with three finder squares (it looks like a code,
 * it is not a scannable one), drawn from sha256 of scene, page and env_version, so the same request
 * gives the same bytes. tEXt chunks carry the request ("wxacode:scene" …) for tests to read back.
 * @param {{ scene: string, page: string, envVersion: string, width: number, transparent: boolean }} spec
 * @returns {Buffer}
 */
export function wxacodePng({ scene, page, envVersion, width, transparent }) {
  const N = 21;
  const seed = `${scene}\n${page}\n${envVersion}`;
  const bits = Buffer.concat([0, 1].map((i) => createHash('sha256').update(`${i}\n${seed}`).digest()));
  /** @param {number} x @param {number} y */
  const finder = (x, y) => {
    for (const [fx, fy] of [[0, 0], [N - 7, 0], [0, N - 7]]) {
      const dx = x - /** @type {number} */ (fx);
      const dy = y - /** @type {number} */ (fy);
      if (dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7) {
        if (dx < 0 || dx > 6 || dy < 0 || dy > 6) return false; // separator
        const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
        return ring !== 2;
      }
    }
    return null;
  };
  /** @param {number} x @param {number} y */
  const dark = (x, y) => {
    const f = finder(x, y);
    if (f !== null) return f;
    if (x === 6 || y === 6) return (x + y) % 2 === 0;
    const i = y * N + x;
    return ((/** @type {number} */ (bits[i >> 3]) >> (i & 7)) & 1) === 1;
  };

  const channels = transparent ? 2 : 1;
  const cell = Math.max(1, Math.floor(width / (N + 4)));
  const origin = Math.floor((width - cell * N) / 2);
  const stride = 1 + width * channels;
  const raw = Buffer.alloc(width * stride);
  const LIGHT = 0xe6;
  const DARK = 0x26;
  for (let y = 0; y < width; y++) {
    const my = Math.floor((y - origin) / cell);
    for (let x = 0; x < width; x++) {
      const mx = Math.floor((x - origin) / cell);
      const inside = y >= origin && x >= origin && mx < N && my < N;
      const isDark = inside && dark(mx, my);
      const at = y * stride + 1 + x * channels;
      raw[at] = isDark ? DARK : LIGHT;
      if (transparent) raw[at + 1] = isDark ? 0xff : 0x00;
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 8; // bit depth
  header[9] = transparent ? 4 : 0; // grey (+ alpha)
  /** @param {string} keyword @param {string} text */
  const text = (keyword, text) =>
    pngChunk('tEXt', Buffer.from(`${keyword}\0${text.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c))}`, 'latin1'));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    text('Software', 'wechat-standin'),
    text('wxacode:scene', scene),
    text('wxacode:page', page),
    text('wxacode:env_version', envVersion),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<RawBody>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

/**
 * @param {RawBody} raw
 * @returns {unknown}
 */
function bodyForRecord(raw) {
  if (raw.tooLarge) return `(more than ${MAX_BODY_BYTES} bytes)`;
  if (raw.bytes.length === 0) return null;
  const text = raw.bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Starts the stand-in on 127.0.0.1.
 * @param {{ port?: number, scriptPath?: string | null, log?: boolean }} [options]
 *   port 0 (default) picks a free port; scriptPath null/undefined starts with an empty script;
 *   log writes one line per request to stderr.
 * @returns {Promise<StandinHandle>}
 */
export async function startStandin({ port = 0, scriptPath = null, log = false } = {}) {
  const scriptFile = scriptPath ? path.resolve(scriptPath) : null;
  let script = scriptFile ? await loadScriptFile(scriptFile) : emptyScript();
  /** @type {CallRecord[]} */
  let calls = [];
  /** @type {SentMessage[]} */
  let messages = [];
  /** @type {Map<string, TokenInfo>} */
  let tokens = new Map();
  /** @type {Map<string, string>} appid → its current token */
  let currentTokens = new Map();
  let seq = 0;
  let msgid = 0;

  /**
   * @param {string} appid
   * @param {string} secret
   * @returns {Reply | null}
   */
  function checkCredentials(appid, secret) {
    const { credentials } = script;
    if (credentials.appid !== null && appid !== credentials.appid) return wxError(40013);
    if (credentials.secret !== null && secret !== credentials.secret) return wxError(40125);
    return null;
  }

  /**
   * @param {URLSearchParams} query
   * @returns {{ token: TokenInfo, error?: undefined } | { error: Reply, token?: undefined }}
   */
  function checkToken(query) {
    const value = query.get('access_token');
    if (!value) return { error: wxError(41001) };
    const token = tokens.get(value);
    if (!token) return { error: wxError(40001) };
    if (token.revoked) return { error: wxError(token.revoked) };
    if (Date.now() >= token.expiresAt) return { error: wxError(42001) };
    return { token };
  }

  /** @param {number} errcode */
  function invalidateToken(errcode = 40001) {
    let count = 0;
    for (const value of currentTokens.values()) {
      const token = tokens.get(value);
      if (token && !token.revoked) {
        token.revoked = errcode;
        count++;
      }
    }
    currentTokens.clear();
    return count;
  }

  /** GET /sns/jscode2session @param {URLSearchParams} query @returns {Reply} */
  function jscode2session(query) {
    const reply = (/** @type {Reply} */ r) => ({ ...r, contentType: JSCODE2SESSION_TYPE });
    const appid = query.get('appid');
    const secret = query.get('secret');
    const code = query.get('js_code');
    if (!appid) return reply(wxError(41002));
    if (!secret) return reply(wxError(41004));
    const bad = checkCredentials(appid, secret);
    if (bad) return reply(bad);
    if (!code) return reply(wxError(41008));
    if (query.get('grant_type') !== 'authorization_code') return reply(wxError(40002));
    const rule = takeRule(script.jscode2session, [code, '*']);
    if (rule) return reply(ruleError(rule));
    const openid = TEST_CODE.exec(code)?.[1];
    if (!openid) return reply(wxError(40029));
    return reply(json({
      session_key: randomBytes(16).toString('base64'),
      openid,
      unionid: `u-${createHash('sha256').update(openid).digest('hex').slice(0, 24)}`,
    }, 200, JSCODE2SESSION_TYPE));
  }

  /** POST /cgi-bin/stable_token @param {Json} body @returns {Reply} */
  function stableToken(body) {
    if (body.grant_type !== 'client_credential') return wxError(40002);
    if (!isNonEmptyString(body.appid)) return wxError(41002);
    if (!isNonEmptyString(body.secret)) return wxError(41004);
    const bad = checkCredentials(body.appid, body.secret);
    if (bad) return bad;
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') return wxError(47001);
    if (script.stableToken) {
      const rule = script.stableToken;
      if (rule.times !== null && --rule.times <= 0) script.stableToken = null;
      return ruleError(rule);
    }
    const now = Date.now();
    const currentValue = currentTokens.get(body.appid);
    const current = currentValue === undefined ? undefined : tokens.get(currentValue);
    let value = currentValue;
    if (!current || !value || current.revoked || now >= current.expiresAt || body.force_refresh === true) {
      if (current && !current.revoked) current.revoked = 40001; // a forced refresh kills the previous token
      value = randomBytes(48).toString('base64url');
      tokens.set(value, { appid: body.appid, expiresAt: now + TOKEN_TTL_SECONDS * 1000, revoked: 0 });
      currentTokens.set(body.appid, value);
    }
    const expiresAt = /** @type {TokenInfo} */ (tokens.get(value)).expiresAt;
    return json({ access_token: value, expires_in: Math.ceil((expiresAt - now) / 1000) });
  }

  /** POST /wxa/msg_sec_check @param {Json} body @returns {Reply} */
  function msgSecCheck(body) {
    if (body.version !== 2) return wxError(40097, 'invalid args: version must be 2');
    if (typeof body.openid !== 'string' || !OPENID.test(body.openid)) return wxError(40003);
    if (![1, 2, 3, 4].includes(/** @type {number} */ (body.scene))) return wxError(40097, 'invalid args: scene must be 1, 2, 3 or 4');
    if (typeof body.content !== 'string') return wxError(47001);
    if (chars(body.content) > MSG_SEC_MAX_CHARS) return wxError(40097, `invalid args: content longer than ${MSG_SEC_MAX_CHARS} characters`);
    for (const field of ['title', 'nickname', 'signature']) {
      if (body[field] !== undefined && typeof body[field] !== 'string') return wxError(47001);
    }
    const text = ['content', 'title', 'nickname', 'signature'].map((f) => body[f] ?? '').join('\n');
    const index = script.msgSecCheck.findIndex((rule) => text.includes(rule.contains));
    const rule = index < 0 ? null : /** @type {SecRule} */ (script.msgSecCheck[index]);
    if (rule && rule.times !== null && --rule.times <= 0) script.msgSecCheck.splice(index, 1);
    if (rule?.error) return ruleError(rule.error);
    const suggest = rule ? rule.suggest : 'pass';
    const label = rule ? rule.label : 100;
    /** @type {Json[]} */
    const detail = [{ strategy: 'content_model', errcode: 0, suggest, label, prob: suggest === 'pass' ? 0 : 90 }];
    if (rule) detail.push({ strategy: 'keyword', errcode: 0, suggest, label, level: 20, keyword: rule.contains });
    const trace = randomBytes(12).toString('hex');
    return json({
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
      detail,
      trace_id: `${trace.slice(0, 8)}-${trace.slice(8, 16)}-${trace.slice(16)}`,
    });
  }

  /** POST /cgi-bin/message/subscribe/send @param {Json} body @returns {Reply} */
  function subscribeSend(body) {
    const { touser, template_id: templateId, page, miniprogram_state: state, lang, data } = body;
    if (typeof touser !== 'string' || !OPENID.test(touser)) return wxError(40003);
    if (!isNonEmptyString(templateId)) return wxError(40037);
    if (page !== undefined && typeof page !== 'string') return wxError(47003, 'argument invalid! page invalid');
    if (state !== undefined && !['developer', 'trial', 'formal'].includes(/** @type {string} */ (state))) {
      return wxError(47003, 'argument invalid! miniprogram_state invalid');
    }
    if (lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(/** @type {string} */ (lang))) {
      return wxError(47003, 'argument invalid! lang invalid');
    }
    const invalid = invalidData(data);
    if (invalid) return wxError(47003, invalid);
    const rule = takeRule(script.subscribeSend, [`${touser}:${templateId}`, touser, '*']);
    if (rule) return ruleError(rule);
    const sent = {
      msgid: 3_000_000_000 + ++msgid,
      at: new Date().toISOString(),
      touser,
      template_id: templateId,
      page: /** @type {string | undefined} */ (page) ?? null,
      miniprogram_state: /** @type {string | undefined} */ (state) ?? null,
      lang: /** @type {string | undefined} */ (lang) ?? null,
      data: /** @type {Record<string, { value: string }>} */ (structuredClone(data)),
    };
    messages.push(sent);
    if (messages.length > MAX_RECORDS) messages.shift();
    return json({ errcode: 0, errmsg: 'ok', msgid: sent.msgid });
  }

  /** POST /wxa/business/getuserphonenumber @param {Json} body @param {TokenInfo} token @returns {Reply} */
  function getUserPhoneNumber(body, token) {
    if (!isNonEmptyString(body.code)) return wxError(41008);
    const rule = takeRule(script.getuserphonenumber, [body.code, '*']);
    if (rule) return ruleError(rule);
    const phone = PHONE_CODE.exec(body.code)?.[1];
    if (!phone) return wxError(40029);
    return json({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: token.appid },
      },
    });
  }

  /** POST /wxa/getwxacodeunlimit @param {Json} body @returns {Reply} */
  function getWxaCodeUnlimit(body) {
    const { scene, page, width, check_path: checkPath, env_version: envVersion, is_hyaline: hyaline, auto_color: autoColor } = body;
    if (typeof scene !== 'string' || !SCENE.test(scene)) return wxError(40169);
    if (page !== undefined && (typeof page !== 'string' || page === '' || page.startsWith('/') || page.includes('?'))) {
      return wxError(41030);
    }
    if (width !== undefined && (typeof width !== 'number' || !Number.isFinite(width))) return wxError(47001);
    for (const flag of [checkPath, hyaline, autoColor]) {
      if (flag !== undefined && typeof flag !== 'boolean') return wxError(47001);
    }
    if (envVersion !== undefined && !['release', 'trial', 'develop'].includes(/** @type {string} */ (envVersion))) {
      return wxError(40097, 'invalid args: env_version must be release, trial or develop');
    }
    const rule = takeRule(script.getwxacodeunlimit, [scene, '*']);
    if (rule) return ruleError(rule);
    const size = Math.min(1280, Math.max(280, Math.round(/** @type {number | undefined} */ (width) ?? 430)));
    const png = wxacodePng({
      scene,
      page: /** @type {string | undefined} */ (page) ?? '',
      envVersion: /** @type {string | undefined} */ (envVersion) ?? 'release',
      width: size,
      transparent: hyaline === true,
    });
    return { status: 200, contentType: 'image/png', body: png, errcode: 0 };
  }

  /**
   * @typedef {object} Route
   * @property {'GET' | 'POST'} method
   * @property {boolean} token
   * @property {(input: { query: URLSearchParams, body: Json, token: TokenInfo | null }) => Reply} handle
   */
  /** @type {Record<string, Route>} */
  const routes = {
    '/sns/jscode2session': { method: 'GET', token: false, handle: ({ query }) => jscode2session(query) },
    '/cgi-bin/stable_token': { method: 'POST', token: false, handle: ({ body }) => stableToken(body) },
    '/wxa/msg_sec_check': { method: 'POST', token: true, handle: ({ body }) => msgSecCheck(body) },
    '/cgi-bin/message/subscribe/send': { method: 'POST', token: true, handle: ({ body }) => subscribeSend(body) },
    '/wxa/business/getuserphonenumber': {
      method: 'POST',
      token: true,
      handle: ({ body, token }) => getUserPhoneNumber(body, /** @type {TokenInfo} */ (token)),
    },
    '/wxa/getwxacodeunlimit': { method: 'POST', token: true, handle: ({ body }) => getWxaCodeUnlimit(body) },
  };

  /**
   * @param {string} method
   * @param {URL} url
   * @param {RawBody} raw
   * @returns {Reply}
   */
  function wechat(method, url, raw) {
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) return json({ errcode: -1, errmsg: `wechat-standin: no such API ${url.pathname}` }, 404);
    if (method !== route.method) return wxError(route.method === 'GET' ? 43001 : 43002);
    /** @type {TokenInfo | null} */
    let token = null;
    if (route.token) {
      const checked = checkToken(url.searchParams);
      if (checked.error) return checked.error;
      token = checked.token;
    }
    /** @type {Json} */
    let body = {};
    if (route.method === 'POST') {
      const parsed = jsonBody(raw);
      if (parsed.error) return parsed.error;
      body = parsed.body;
    }
    return route.handle({ query: url.searchParams, body, token });
  }

  /** @param {string} [filter] */
  const listCalls = (filter) => structuredClone(filter ? calls.filter((c) => c.path === filter) : calls);
  /** @param {string} [touser] */
  const listMessages = (touser) => structuredClone(touser ? messages.filter((m) => m.touser === touser) : messages);
  /** @param {unknown} input */
  const mergeScript = (input) => applyPatch(script, parseScript(input));
  const reset = async () => {
    script = scriptFile ? await loadScriptFile(scriptFile) : emptyScript();
    calls = [];
    messages = [];
    tokens = new Map();
    currentTokens = new Map();
  };

  /**
   * The test controls under /__standin/ (not WeChat's; never recorded as calls).
   * @param {string} method
   * @param {URL} url
   * @param {RawBody} raw
   * @returns {Promise<Reply>}
   */
  async function control(method, url, raw) {
    const name = url.pathname.slice('/__standin/'.length);
    const GET = ['calls', 'messages', 'script'];
    const POST = ['script', 'reset', 'invalidate-token'];
    if (!GET.includes(name) && !POST.includes(name)) {
      return json({ ok: false, error: `no such control ${url.pathname}` }, 404);
    }
    if (!(method === 'GET' ? GET : method === 'POST' ? POST : []).includes(name)) {
      return json({ ok: false, error: `${method} not allowed on ${url.pathname}` }, 405);
    }
    /** @type {unknown} */
    let body = {};
    if (method === 'POST' && raw.bytes.length > 0) {
      try {
        body = JSON.parse(raw.bytes.toString('utf8'));
      } catch {
        return json({ ok: false, error: 'body is not valid JSON' }, 400);
      }
    }
    if (method === 'GET') {
      if (name === 'calls') return json({ calls: listCalls(url.searchParams.get('path') ?? undefined) });
      if (name === 'messages') return json({ messages: listMessages(url.searchParams.get('touser') ?? undefined) });
      return json({ script: scriptToJson(script), file: scriptFile });
    }
    try {
      switch (name) {
        case 'script':
          mergeScript(body);
          return json({ ok: true, script: scriptToJson(script) });
        case 'reset':
          await reset();
          return json({ ok: true, file: scriptFile });
        default: {
          const errcode = isObject(body) && body.errcode !== undefined ? body.errcode : 40001;
          if (errcode !== 40001 && errcode !== 42001) return json({ ok: false, error: 'errcode must be 40001 or 42001' }, 400);
          return json({ ok: true, invalidated: invalidateToken(errcode) });
        }
      }
    } catch (error) {
      return json({ ok: false, error: /** @type {Error} */ (error).message }, 400);
    }
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function serve(req, res) {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const raw = await readBody(req);
    const isControl = url.pathname.startsWith('/__standin/');
    const reply = isControl ? await control(method, url, raw) : wechat(method, url, raw);
    if (!isControl) {
      calls.push({
        seq: ++seq,
        at: new Date().toISOString(),
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: bodyForRecord(raw),
        status: reply.status,
        errcode: reply.errcode,
      });
      if (calls.length > MAX_RECORDS) calls.shift();
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': body.length });
    res.end(body);
    if (log) {
      const outcome = isControl
        ? `HTTP ${reply.status}`
        : reply.contentType.startsWith('image/')
          ? `${reply.contentType} ${body.length} B`
          : `errcode ${reply.errcode}`;
      const status = reply.status === 200 || isControl ? '' : ` HTTP ${reply.status}`;
      process.stderr.write(`wechat-standin: ${method} ${url.pathname} -> ${outcome}${status} (${(performance.now() - started).toFixed(1)} ms)\n`);
    }
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((/** @type {Error} */ error) => {
      process.stderr.write(`wechat-standin: ${error.stack ?? error.message}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': JSON_TYPE });
      res.end(JSON.stringify({ errcode: -1, errmsg: 'system error' }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('wechat-standin: no TCP address');

  return {
    baseUrl: `http://${HOST}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open for seconds
      }),
    calls: listCalls,
    messages: listMessages,
    script: mergeScript,
    reset,
    invalidateToken: (errcode = 40001) => invalidateToken(errcode),
  };
}

// ---------------------------------------------------------------------------------------------
// Program
// ---------------------------------------------------------------------------------------------

const USAGE = `usage: node tools/wechat-standin/server.mjs [--port N] [--script FILE | --script none]
  --port    port on 127.0.0.1 (default: env WX_STANDIN_PORT, else 0 = any free port)
  --script  script file (default: env WX_STANDIN_SCRIPT, else script.example.json beside this file)`;

async function main() {
  /** @type {{ port?: string, script?: string, help?: boolean }} */
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, script: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`wechat-standin: ${/** @type {Error} */ (error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const portText = values.port ?? process.env.WX_STANDIN_PORT ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    process.stderr.write(`wechat-standin: bad port "${portText}" (--port or WX_STANDIN_PORT)\n`);
    process.exitCode = 2;
    return;
  }
  const scriptArg = values.script ?? process.env.WX_STANDIN_SCRIPT ?? DEFAULT_SCRIPT;
  const scriptPath = scriptArg === '' || scriptArg === 'none' ? null : scriptArg;

  /** @type {StandinHandle} */
  let standin;
  try {
    standin = await startStandin({ port, scriptPath, log: true });
  } catch (error) {
    process.stderr.write(`wechat-standin: ${/** @type {Error} */ (error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`wechat-standin: script ${scriptPath ? path.resolve(scriptPath) : '(none)'}\n`);
  process.stdout.write(`wechat-standin: ready ${standin.baseUrl}\n`);

  let stopping = false;
  /** @param {NodeJS.Signals} signal */
  const stop = (signal) => {
    if (stopping) process.exit(1); // a second signal: do not wait
    stopping = true;
    process.stderr.write(`wechat-standin: ${signal}, stopping\n`);
    setTimeout(() => process.exit(0), 3000).unref();
    standin.close().then(
      () => { process.exitCode = 0; },
      (/** @type {Error} */ error) => {
        process.stderr.write(`wechat-standin: ${error.message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const isMain = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
})();
if (isMain) void main();
