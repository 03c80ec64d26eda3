/** Bulk pages (server/sync/bulk.ts) asked for over the wire, both ways (raw-http.ts). */
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { BULK_NEXT_HEADER, decodeBulkPage, type BulkResponse } from '../../shared/protocol/bulk';
import { CHROMIUM_ACCEPT_ENCODING, rawPost, type WireResponse } from './raw-http';

export { CHROMIUM_ACCEPT_ENCODING, decoded, rawPost, type WireResponse } from './raw-http';

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
