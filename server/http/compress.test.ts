import type http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../shared/protocol/v1';
import { startTestServer, Workstation, type TestServer } from '../../tests/support/server-harness';
import { rawPost } from '../../tests/support/wire';
import { pickEncoding } from './compress';

let server: TestServer;
let ws: Workstation;

beforeAll(async () => {
  server = await startTestServer();
  ws = await Workstation.enrol(server.url);
});
afterAll(() => server.cleanup());

/** A first pull as it crossed the wire. */
async function rawPull(acceptEncoding: string | null): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  const res = await rawPost(ws, '/v1/sync/pull', { clientId: ws.deviceId, station: 'LHR', cursor: null }, acceptEncoding);
  return { headers: res.headers, body: res.wire };
}

const changesOf = (text: string) => PullResponse.parse(JSON.parse(text)).changes;

describe('compressed pull answers', () => {
  it('sends a first fill Brotli-compressed to a client that takes br, several times smaller, with the same changes', async () => {
    const plain = await rawPull(null);
    const br = await rawPull('gzip, deflate, br, zstd');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length * 5).toBeLessThan(plain.body.length);
    expect(changesOf(zlib.brotliDecompressSync(br.body).toString())).toEqual(changesOf(plain.body.toString()));
  });

  it('falls back to gzip, and to none when the client refuses every coding it knows', async () => {
    const gz = await rawPull('gzip;q=0.8, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(changesOf(zlib.gunzipSync(gz.body).toString()).length).toBeGreaterThan(100);
    const refused = await rawPull('br;q=0, gzip;q=0, identity');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(changesOf(refused.body.toString()).length).toBeGreaterThan(100);
  });

  it("is read transparently by fetch, as the workstation's client reads it", async () => {
    const page = await ws.pull(null);
    expect(page.raw.headers.get('content-encoding')).toBe('gzip');
    expect(page.changes.length).toBeGreaterThan(100);
  });

  it('leaves a small answer uncompressed', async () => {
    const first = await ws.pullAll(null);
    const raw = await ws.post(
      '/v1/sync/pull',
      { clientId: ws.deviceId, station: 'LHR', cursor: first.cursor },
      { 'accept-encoding': 'br' },
    );
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-encoding')).toBeNull();
  });
});

describe('pickEncoding', () => {
  it('prefers br, then gzip, honours q=0, and ignores codings it does not speak', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding(['gzip', 'br;q=0.1'])).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, GZIP')).toBe('gzip');
    expect(pickEncoding('br;q=0.0, gzip;q=0')).toBeNull();
    expect(pickEncoding('zstd, deflate')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding('')).toBeNull();
  });
});
