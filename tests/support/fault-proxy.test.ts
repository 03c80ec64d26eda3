import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** 256 KiB of bytes that do not repeat in any simple way, so a mangled copy cannot pass for the original. */
const BODY = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));

let origin: http.Server;
let originUrl: string;

beforeAll(async () => {
  origin = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'br' });
      res.end(BODY);
    });
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const address = origin.address();
  originUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())));

function fetchRaw(url: string): Promise<{ body: Buffer; headers: http.IncomingHttpHeaders; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), headers: res.headers, ms: performance.now() - started }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('the fault proxy as a slow station link', () => {
  let proxy: FaultProxy;
  afterAll(() => proxy.close());

  it('delivers every byte and header as the backend sent them, never faster than the link carries them', async () => {
    // 256 KiB at 4 Mbit/s is 524 ms on the wire, plus 2 × 50 ms latency: a floor a busy machine can only exceed.
    proxy = await startFaultProxy(originUrl, () => 'pass', 0, { bitsPerSecond: 4_000_000, latencyMs: 50 });
    const answer = await fetchRaw(`${proxy.url}/v1/sync/pull`);
    expect(answer.body.equals(BODY)).toBe(true);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.ms).toBeGreaterThanOrEqual(((BODY.length * 8) / 4_000_000) * 1000 + 2 * 50 - 30);
  });
});
