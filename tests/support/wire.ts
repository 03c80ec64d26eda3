/**
 * Answers as they cross the wire: POSTs over node:http, which (unlike fetch) sends only the
 * Accept-Encoding it is given and hands back the body still compressed; and bulk pages
 * (server/sync/bulk.ts) asked for both ways.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { BULK_NEXT_HEADER, decodeBulkPage, type BulkResponse } from '../../shared/protocol/bulk';
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

export interface BulkAsk {
  cursor: string | null;
  maxFlights?: number;
  maxBytes?: number;
}

interface Desk {
  url: string;
  token: string;
  deviceId: string;
  station: string;
}

export function rawBulk(ws: Desk, ask: BulkAsk, acceptEncoding: string | null): Promise<WireResponse> {
  return rawPost(ws, '/v1/sync/bulk', { clientId: ws.deviceId, station: ws.station, ...ask }, acceptEncoding);
}

/** A bulk page's JSON, checked in full as a workstation checks it. */
export function bulkPageOf(body: Buffer): BulkResponse {
  const page = decodeBulkPage(JSON.parse(body.toString('utf8')));
  if (!page.ok) throw new Error(page.message);
  return page.value.page;
}

/**
 * The same bulk page asked for as Chromium asks (deflate) and with no coding at all, checked to be
 * the same text byte for byte (zlib checks the stream's Adler-32 as it inflates), with the same headers.
 */
export async function bulkBothWays(ws: Desk, ask: BulkAsk): Promise<{ deflated: WireResponse; plain: Buffer; page: BulkResponse }> {
  const deflated = await rawBulk(ws, ask, CHROMIUM_ACCEPT_ENCODING);
  const identity = await rawBulk(ws, ask, null);
  expect([deflated.status, identity.status]).toEqual([200, 200]);
  expect(deflated.headers['content-encoding']).toBe('deflate');
  expect(deflated.headers.vary).toMatch(/accept-encoding/i);
  expect(deflated.headers['server-timing']).toMatch(/^app;dur=\d/);
  expect(deflated.headers['content-type']).toMatch(/^application\/json/);
  expect(identity.headers['content-encoding']).toBeUndefined();
  expect(deflated.headers[BULK_NEXT_HEADER]).toBe(identity.headers[BULK_NEXT_HEADER]);
  expect(zlib.inflateSync(deflated.wire).equals(identity.wire)).toBe(true);
  return { deflated, plain: identity.wire, page: bulkPageOf(identity.wire) };
}
