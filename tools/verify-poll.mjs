#!/usr/bin/env node
// @ts-check
/**
 * Checks a poll's published result from the public chain alone, with nothing
 * of this project but its published format (docs/ballot-chain.md):
 *
 *   node tools/verify-poll.mjs http://127.0.0.1:3000 <pollId>
 *
 * Fetches every chain entry (a batch of ballots as sums; a named poll's also
 * lists its ballot), recomputes the genesis and each hash and link, adds up
 * every option's sums (heads and, for owner votes, area) and both art. 278
 * tests with integer arithmetic, and compares all of it with what was published.
 * Exits 0 when everything agrees, 1 otherwise.
 */
import { createHash } from 'node:crypto';

const [base, pollId] = process.argv.slice(2);
if (!base || !pollId || !/^[0-9a-f]{24}$/.test(pollId)) {
  process.stderr.write('usage: node tools/verify-poll.mjs <api base, e.g. http://127.0.0.1:3000> <pollId>\n');
  process.exit(2);
}

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** @param {string} url */
async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/** "part ≥ p/q of whole" (or "> p/q" when strict), decided on integers; an empty whole meets nothing. */
function meets(/** @type {number} */ part, /** @type {number} */ whole, /** @type {{numerator:number,denominator:number,strict:boolean}} */ rule) {
  if (whole === 0) return false;
  const left = BigInt(part) * BigInt(rule.denominator);
  const right = BigInt(whole) * BigInt(rule.numerator);
  return rule.strict ? left > right : left >= right;
}

const problems = [];
/** @type {any[]} */
const entries = [];
let first;
for (let after = 0; ; ) {
  const page = await get(`${base.replace(/\/$/, '')}/api/v1/polls/${pollId}/chain?after=${after}&limit=1000`);
  first ??= page;
  entries.push(...page.entries);
  if (page.nextSeq === null) break;
  after = page.nextSeq;
}
const definition = JSON.parse(first.definition);
if (sha256(`genesis\n${pollId}\n${first.definition}`) !== first.genesis) problems.push('genesis does not match the definition');

/** The entry's content rebuilt field by field in the published order (docs/ballot-chain.md). */
const n = (/** @type {unknown} */ v) => (typeof v === 'number' ? v : 0);
/** @param {any} e */
function canonical(e) {
  const ch = e.channels ?? {};
  return {
    count: n(e.count),
    heads: n(e.heads),
    area: n(e.area),
    channels: { online: n(ch.online), paper: n(ch.paper), door: n(ch.door) },
    questions: (e.questions ?? []).map((/** @type {any} */ q) => ({ options: (q.options ?? []).map((/** @type {any} */ o) => ({ heads: n(o.heads), area: n(o.area) })) })),
    receiptHashes: (e.receiptHashes ?? []).map(String),
    ballots: Array.isArray(e.ballots)
      ? e.ballots.map((/** @type {any} */ b) => ({ answers: b.answers, area: n(b.area), heads: n(b.heads), channel: String(b.channel), receiptHash: String(b.receiptHash) }))
      : null,
  };
}

const secret = definition.secrecy === 'secret';
const seen = new Set();
let prev = first.genesis;
entries.forEach((e, i) => {
  if (e.seq !== i + 1) problems.push(`entry ${i + 1} has seq ${e.seq}`);
  if (e.prev !== prev) problems.push(`entry ${e.seq} does not link to the one before`);
  const hash = sha256(JSON.stringify([pollId, e.seq, e.prev, canonical(e)]));
  if (hash !== e.hash) problems.push(`entry ${e.seq}: hash mismatch`);
  if (secret && e.ballots !== null) problems.push(`entry ${e.seq}: a secret poll's entry lists single ballots`);
  if (e.receiptHashes.length !== e.count) problems.push(`entry ${e.seq}: ${e.receiptHashes.length} receipts for ${e.count} ballots`);
  for (const h of e.receiptHashes) {
    if (seen.has(h)) problems.push(`entry ${e.seq}: a receipt counted twice`);
    seen.add(h);
  }
  // A named entry's sums must be its ballots' sums.
  if (Array.isArray(e.ballots)) {
    const sums = e.questions.map((/** @type {any} */ q) => q.options.map(() => ({ heads: 0, area: 0 })));
    for (const b of e.ballots) b.answers.forEach((/** @type {number[]} */ picks, /** @type {number} */ qi) => {
      for (const p of picks) if (sums[qi]?.[p]) { sums[qi][p].heads += b.heads; sums[qi][p].area += b.area; }
    });
    if (JSON.stringify(sums) !== JSON.stringify(e.questions.map((/** @type {any} */ q) => q.options))) problems.push(`entry ${e.seq}: sums differ from its ballots`);
  }
  prev = e.hash;
});
const head = entries.at(-1)?.hash ?? first.genesis;
const ballots = entries.reduce((s, e) => s + e.count, 0);

const owner = definition.countingUnit === 'owner';
const recount = definition.questions.map((/** @type {any} */ q, /** @type {number} */ qi) => {
  const labels = q.kind === 'yesno' ? ['同意', '反对', '弃权'] : q.options;
  const options = labels.map((/** @type {string} */ label) => ({ label, heads: 0, area: owner ? 0 : null }));
  for (const e of entries) (e.questions[qi]?.options ?? []).forEach((/** @type {any} */ sum, /** @type {number} */ oi) => {
    if (!options[oi]) return;
    options[oi].heads += sum.heads;
    if (owner) options[oi].area += sum.area;
  });
  return options;
});

if (!first.published) {
  process.stdout.write(`Poll ${pollId}: ${ballots} ballots in ${entries.length} entries, head ${head}; no result published yet.\n`);
} else {
  if (first.published.head !== head) problems.push('the published head is not the end of the chain');
  first.published.questions.forEach((/** @type {any} */ q, /** @type {number} */ qi) => {
    const mine = recount[qi];
    q.options.forEach((/** @type {any} */ o, /** @type {number} */ oi) => {
      if (o.heads !== mine[oi].heads || o.area !== mine[oi].area) problems.push(`question ${qi + 1}, "${o.label}": published ${o.heads}/${o.area}, recounted ${mine[oi].heads}/${mine[oi].area}`);
    });
    if (q.owner) {
      const partHeads = entries.reduce((s, e) => s + e.heads, 0);
      const partArea = entries.reduce((s, e) => s + e.area, 0);
      const [yes] = mine;
      const p = q.owner.participation;
      const a = q.owner.approval;
      const checks = [
        [p.headsPart, partHeads, 'participating owners'],
        [p.areaPart, partArea, 'participating area'],
        [p.headsWhole, definition.roll.heads, 'owners on the roll'],
        [p.areaWhole, definition.roll.area, 'area on the roll'],
        [a.headsPart, yes.heads, 'yes owners'],
        [a.areaPart, yes.area, 'yes area'],
        [p.met, meets(partHeads, definition.roll.heads, p.rule) && meets(partArea, definition.roll.area, p.rule), 'participation test'],
        [a.met, meets(yes.heads, partHeads, a.rule) && meets(yes.area, partArea, a.rule), 'approval test'],
      ];
      for (const [published, computed, what] of checks) if (published !== computed) problems.push(`question ${qi + 1}: ${what} published ${published}, recomputed ${computed}`);
      if (q.owner.passed !== (p.met && a.met)) problems.push(`question ${qi + 1}: outcome does not follow from the two tests`);
    }
  });
  process.stdout.write(`Poll ${pollId} "${definition.title}": ${ballots} ballots in ${entries.length} entries, head ${head}\n`);
  for (const [qi, q] of first.published.questions.entries()) {
    process.stdout.write(`  ${qi + 1}. ${q.title}: ${q.options.map((/** @type {any} */ o) => `${o.label} ${o.heads}`).join('，')}${q.owner ? (q.owner.passed ? ' → 通过' : ' → 未通过') : ''}\n`);
  }
}
if (problems.length) {
  process.stdout.write(`NOT VERIFIED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('Verified: the chain is intact and the published result is what it adds up to.\n');
