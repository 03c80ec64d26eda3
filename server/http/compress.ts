/**
 * HTTP compression of the pull answers, negotiated as browsers do (Accept-Encoding → Content-Encoding).
 * A hub's first fill is ~190 MB of JSON; the page text repeats its keys and ids so much that Brotli at
 * its fastest setting shrinks it ~12× at ~800 MB/s, on a worker thread of zlib's pool, so the event
 * loop keeps answering. Higher settings shrink it a little more for 5–20× the CPU: on the day the
 * backend serves many desks at once, and the link, not the CPU, is what Brotli is for.
 * Chromium's fetch asks for `gzip, deflate, br, zstd` and decodes natively; Node's fetch (the relay's
 * upstream client, the tests) asks for `gzip, deflate`.
 * Bulk pages of a first fill are the exception: their documents are stored compressed, and a client
 * that takes `deflate` gets them as they are, in one zlib stream (server/sync/bulk.ts,
 * deflate-pieces.ts), with nothing compressed at serve time but the envelope around them.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

/** Below this, compressing costs more than the bytes it saves. */
export const COMPRESS_MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The codings a client takes (a coding listed with q=0 is refused, RFC 9110 §12.5.3), lower-cased. */
export function acceptedEncodings(acceptEncoding: string | string[] | undefined): Set<string> {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const accepted = new Set<string>();
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';');
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(coding.trim());
  }
  return accepted;
}

/** The encoding to answer in: br if the client takes it, else gzip, else none. Weights do not change the order, ours is by cost. */
export function pickEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
  const accepted = acceptedEncodings(acceptEncoding);
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

export function compress(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzip(body, { level: 1 });
}
