import { mockApi, type Call, type Reply } from './http';

type Handler = (call: Call) => Reply | Promise<Reply>;

/** A file route's answer: the file's bytes, or (like any route) a JSON error or a network failure. */
export type FileReply = { status?: number; bytes: Uint8Array; contentType?: string } | Reply;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * mockApi plus routes that answer with a file, read by the browser download as a
 * Blob (jsdom's fetch mock has no bodies of its own). File calls are recorded in
 * the same `calls`, with their headers.
 */
export function mockApiWithDownloads(routes: Record<string, Handler | Reply>, files: Record<string, (call: Call) => FileReply | Promise<FileReply>>) {
  const m = mockApi(routes);
  const inner = m.fetchMock as unknown as (url: string, init?: Record<string, unknown>) => Promise<unknown>;
  const outer = jest.fn(async (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => {
    const u = new URL(url, window.location.href);
    const method = (init.method ?? 'GET').toUpperCase();
    const file = files[`${method} ${u.pathname}`];
    if (!file) return inner(url, init);
    const call: Call = { method, url, path: u.pathname, headers: init.headers ?? {}, body: undefined };
    m.calls.push(call);
    const reply = await file(call);
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    if ('bytes' in reply) {
      const status = reply.status ?? 200;
      return {
        ok: status >= 200 && status < 300,
        status,
        headers: new Map([['content-type', reply.contentType ?? XLSX]]),
        blob: async () => new Blob([reply.bytes], { type: reply.contentType ?? XLSX }),
        text: async () => '',
      };
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      headers: new Map([['content-type', 'application/json']]),
      json: async () => JSON.parse(text),
      text: async () => text,
      blob: async () => new Blob([text], { type: 'application/json' }),
    };
  });
  (window as unknown as { fetch: unknown }).fetch = outer;
  (globalThis as unknown as { fetch: unknown }).fetch = outer;
  return { calls: m.calls, fetchMock: outer };
}

export interface Saved {
  filename: string;
  href: string;
  size: number;
}

/**
 * What the browser was asked to save: jsdom has no URL.createObjectURL and does
 * not download on <a download>.click(), so both are recorded here. Call restore() after.
 */
export function captureSaves() {
  const saved: Saved[] = [];
  const blobs = new Map<string, Blob>();
  const revoked: string[] = [];
  let n = 0;
  const urls = URL as unknown as { createObjectURL?: unknown; revokeObjectURL?: unknown };
  const before = { create: urls.createObjectURL, revoke: urls.revokeObjectURL };
  urls.createObjectURL = jest.fn((blob: Blob) => {
    const href = `blob:http://localhost/${++n}`;
    blobs.set(href, blob);
    return href;
  });
  urls.revokeObjectURL = jest.fn((href: string) => void revoked.push(href));
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ filename: this.download, href: this.href, size: blobs.get(this.href)?.size ?? -1 });
  });
  return {
    saved,
    revoked,
    restore() {
      click.mockRestore();
      urls.createObjectURL = before.create;
      urls.revokeObjectURL = before.revoke;
    },
  };
}
