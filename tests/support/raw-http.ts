/**
 * Answers as they cross the wire: POSTs over node:http, which (unlike fetch) sends only the
 * Accept-Encoding it is given and hands back the body still compressed, and the body decoded again.
 * No test runner here: the benchmarks use it too.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol/v1';

/** What Chromium's fetch sends. */
export const CHROMIUM_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface WireResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent. */
  wire: Buffer;
}

/** POSTs `body` as JSON with the workstation's token; `acceptEncoding` null sends no Accept-Encoding at all. */
export function rawPost(
  ws: { url: string; token: string },
  pathname: string,
  body: unknown,
  acceptEncoding: string | null,
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(pathname, ws.url),
      {
        method: 'POST',
        headers: {
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          authorization: `Bearer ${ws.token}`,
          'content-type': 'application/json',
          ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, wire: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The body with its Content-Encoding undone (zlib checks each coding's own checksum, where it has one). */
export function decoded(res: WireResponse): Buffer {
  switch (res.headers['content-encoding']) {
    case undefined:
      return res.wire;
    case 'deflate':
      return zlib.inflateSync(res.wire);
    case 'gzip':
      return zlib.gunzipSync(res.wire);
    case 'br':
      return zlib.brotliDecompressSync(res.wire);
    default:
      throw new Error(`unexpected content-encoding ${res.headers['content-encoding']}`);
  }
}
