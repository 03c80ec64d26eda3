/**
 * The `app://backstop/` protocol that serves the built renderer instead of file://, so the page has
 * a real origin (for CSP, CORS and storage) and can never read files outside the renderer folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from '../shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'backstop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export const SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true, codeCache: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$|\?|#)/i;
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

/**
 * Maps a request URL to a file under `root`, or null when the URL is not ours or would escape
 * `root` (`..`, encoded separators, absolute paths, other hosts).
 */
export function resolveAppPath(root: string, url: string): string | null {
  // Refuse before parsing: URL parsing would quietly fold `..` away and hide the attempt.
  if (DOT_SEGMENT.test(url) || ENCODED_SEPARATOR.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || path.isAbsolute(s) || /^[a-zA-Z]:/.test(s))) return null;
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const resolvedRoot = path.resolve(root);
  const full = path.resolve(resolvedRoot, rel);
  if (full !== resolvedRoot && !full.startsWith(resolvedRoot + path.sep)) return null;
  return full;
}

/**
 * The request handler for `protocol.handle`, kept free of Electron so it is tested directly.
 * `backendUrls`: every backend the page may reach (its CSP's connect-src).
 */
export function createAppProtocolHandler(root: string, backendUrls: string | readonly string[]) {
  const csp = contentSecurityPolicy(backendUrls);
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppPath(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': type,
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
