// @ts-check
/**
 * Load generation and statistics for `npm run bench`. Every target, HTTP
 * (autocannon) or the database driver loop, is measured the same way:
 *   - each request's latency in ms (autocannon's own per-response timing, from
 *     process.hrtime; performance.now around one driver iteration);
 *   - requests/s = completed requests ÷ seconds from the start of the run to
 *     the last completion;
 *   - p50 / p99 = nearest-rank percentiles of those latencies.
 * autocannon's own summary is kept next to it for HTTP targets (its requests/s
 * is the mean of whole-second samples, so a run that ends 0.2 s into a second
 * counts that second in full; its percentiles are whole milliseconds).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../lib.mjs';

const requireFromRoot = createRequire(path.join(repoRoot, 'package.json'));
/** @type {(opts: Record<string, unknown>, cb?: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance} */
const autocannon = requireFromRoot('autocannon');

/**
 * @typedef {{ on: (event: string, fn: (...args: any[]) => void) => void, stop: () => void }} AutocannonInstance
 * @typedef {{ requests: { average: number, total: number, sent: number }, latency: { p50: number, p99: number, average: number },
 *   errors: number, timeouts: number, non2xx: number, resets: number, duration: number, samples: number,
 *   statusCodeStats: Record<string, { count: number }> }} AutocannonResult
 * @typedef {{ amount: number, seconds: number, connections: number }} Bound
 * @typedef {{ requests: number, errors: number, non2xx: number, seconds: number, rps: number, p50: number, p99: number,
 *   mean: number, max: number, statusCodes?: Record<string, number>, autocannon?: { rps: number, p50: number, p99: number, samples: number },
 *   stoppedBy: 'amount' | 'seconds' }} Measured
 */

/**
 * Nearest-rank percentile of an ascending array.
 * @param {number[]} sorted @param {number} p 0–100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/** @param {number} x */
const round2 = (x) => Math.round(x * 100) / 100;

/**
 * @param {number[]} latencies ms @param {number} seconds
 * @returns {Pick<Measured, 'rps' | 'p50' | 'p99' | 'mean' | 'max'>}
 */
export function summarize(latencies, seconds) {
  const sorted = Float64Array.from(latencies).sort();
  const arr = Array.from(sorted);
  const sum = arr.reduce((a, b) => a + b, 0);
  return {
    rps: seconds > 0 ? Math.round(arr.length / seconds) : 0,
    p50: round2(percentile(arr, 50)),
    p99: round2(percentile(arr, 99)),
    mean: round2(arr.length ? sum / arr.length : 0),
    max: round2(arr.length ? arr[arr.length - 1] ?? 0 : 0),
  };
}

/** The runs in progress, so Ctrl-C can stop them. */
const running = new Set();
export function stopRunning() {
  for (const stop of running) stop();
}

/**
 * Runs autocannon against one URL on 127.0.0.1 until `amount` requests are
 * done or `seconds` have passed, whichever comes first (autocannon itself
 * ignores `duration` once `amount` is set, hence the timer).
 * @param {string} url @param {Bound} bound @param {Record<string, string>} [headers]
 * @returns {Promise<Measured>}
 */
export function runHttp(url, bound, headers = {}) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') throw new Error(`bench sends traffic to 127.0.0.1 only, not ${hostname}`);
  return new Promise((resolve, reject) => {
    /** @type {number[]} */
    const latencies = [];
    let last = 0;
    let stoppedBy = /** @type {'amount' | 'seconds'} */ ('amount');
    const started = performance.now();
    const instance = autocannon(
      { url, connections: bound.connections, amount: bound.amount, headers, timeout: 10 },
      (err, result) => {
        clearTimeout(timer);
        running.delete(stop);
        if (err) return reject(err);
        const seconds = ((last || performance.now()) - started) / 1000;
        /** @type {Record<string, number>} */
        const statusCodes = {};
        for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;
        resolve({
          requests: result.requests.total,
          errors: result.errors,
          non2xx: result.non2xx,
          seconds: round2(seconds),
          ...summarize(latencies, seconds),
          statusCodes,
          autocannon: { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, samples: result.samples },
          stoppedBy,
        });
      },
    );
    const stop = () => instance.stop();
    running.add(stop);
    const timer = setTimeout(() => {
      stoppedBy = 'seconds';
      instance.stop();
    }, bound.seconds * 1000);
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(/** @type {number} */ (responseTime));
      last = performance.now();
    });
  });
}

/**
 * Runs `iteration` with `connections` of them in flight until `amount` are done
 * or `seconds` have passed, timing each one with performance.now. Iterations
 * still in flight at the time bound are awaited but not counted (autocannon
 * drops them too).
 * @param {() => Promise<void>} iteration @param {Bound} bound
 * @returns {Promise<Measured>}
 */
export async function runLoop(iteration, bound) {
  /** @type {number[]} */
  const latencies = [];
  let issued = 0;
  let errors = 0;
  let last = 0;
  let halted = false;
  let stoppedBy = /** @type {'amount' | 'seconds'} */ ('amount');
  const stop = () => {
    halted = true;
  };
  running.add(stop);
  const started = performance.now();
  const timer = setTimeout(() => {
    stoppedBy = 'seconds';
    halted = true;
  }, bound.seconds * 1000);
  /** @type {unknown} */
  let firstError;
  const worker = async () => {
    while (!halted && issued < bound.amount) {
      issued++;
      const t0 = performance.now();
      try {
        await iteration();
        // Like autocannon, what completes after the run was stopped is not counted.
        if (halted) break;
        last = performance.now();
        latencies.push(last - t0);
      } catch (error) {
        if (halted) break;
        last = performance.now();
        errors++;
        firstError ??= error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: bound.connections }, worker));
  } finally {
    clearTimeout(timer);
    running.delete(stop);
  }
  if (firstError) process.stderr.write(`driver loop: first error: ${String(/** @type {Error} */ (firstError).message ?? firstError)}\n`);
  const seconds = ((last || performance.now()) - started) / 1000;
  return { requests: latencies.length + errors, errors, non2xx: 0, seconds: round2(seconds), ...summarize(latencies, seconds), stoppedBy };
}
