import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from './protocol';

describe('resolveAppPath', () => {
  const root = path.resolve('/srv/renderer');

  it('maps the app origin to index.html and files below the root', () => {
    expect(resolveAppPath(root, 'app://backstop/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://backstop/assets/index-1.js')).toBe(path.join(root, 'assets/index-1.js'));
  });

  it.each([
    'app://backstop/../secret.txt',
    'app://backstop/%2e%2e/secret.txt',
    'app://backstop/assets/%2e%2e/%2e%2e/etc/passwd',
    'app://backstop/..%2f..%2fetc%2fpasswd',
    'app://backstop/%2Fetc%2Fpasswd',
    'app://backstop/C:%5CWindows%5Cwin.ini',
    'app://backstop/assets%5C..%5C..%5Csecret',
    'app://backstop/a%00.js',
    'app://evil/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });
});

describe('app:// protocol handler', () => {
  let root: string;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'backstop-proto-'));
    root = path.join(dir, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><p>hi</p>');
    await writeFile(path.join(root, 'assets/app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'top secret');
  });

  it('serves files with a strict CSP that only allows the configured backend', async () => {
    const handler = createAppProtocolHandler(root, 'http://127.0.0.1:8787/');
    const response = await handler(new Request('app://backstop/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8787");
    expect(csp).not.toContain('unsafe-eval');
    expect(await response.text()).toContain('hi');
  });

  it('answers 404 for a path that climbs out of the renderer folder, and never returns the file', async () => {
    const handler = createAppProtocolHandler(root, 'http://127.0.0.1:8787');
    const response = await handler(new Request('app://backstop/%2e%2e/secret.txt'));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('top secret');
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    const handler = createAppProtocolHandler(root, 'http://127.0.0.1:8787');
    expect((await handler(new Request('app://backstop/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://backstop/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
