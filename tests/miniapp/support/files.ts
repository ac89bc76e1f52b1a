import { TextDecoder } from 'node:util';
import { mockApi, type Call, type Reply } from './http';

type Handler = (call: Call) => Reply | Promise<Reply>;

/**
 * mockApi for requests whose body is a file's bytes (an ArrayBuffer), not JSON:
 * such a call is recorded with body `{ bytes, text }` (the byte count and the
 * bytes read as UTF-8), so tests can check what was sent. JSON bodies are as before.
 */
export function mockApiWithFiles(routes: Record<string, Handler | Reply>) {
  const m = mockApi(routes);
  const inner = m.fetchMock as unknown as (url: string, init?: Record<string, unknown>) => Promise<unknown>;
  const outer = jest.fn(async (url: string, init: Record<string, unknown> = {}) => {
    const body = init.body;
    if (body !== undefined && typeof body !== 'string') {
      const bytes = new Uint8Array(body as ArrayBuffer);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      return inner(url, { ...init, body: JSON.stringify({ bytes: bytes.byteLength, text }) });
    }
    return inner(url, init);
  });
  (window as unknown as { fetch: unknown }).fetch = outer;
  (globalThis as unknown as { fetch: unknown }).fetch = outer;
  return { calls: m.calls, fetchMock: outer };
}
