/**
 * Packs the app with electron-builder exactly as `npm run dist` would (linux, unpacked dir) but
 * with a stub in place of the Electron binary, which cannot be downloaded here. The stub carries
 * Electron's fuse sentinel, so the fuse settings of electron-builder.yml are checked as well.
 */
import { listPackage } from '@electron/asar';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's stock fuse wire (version 1, 8 fuses): RunAsNode on, cookie encryption off, NODE_OPTIONS on,
// inspect flags on, asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
const STOCK_WIRE = '10110001';

describe('packaged app (electron-builder --linux dir)', () => {
  let files: string[];
  let packagedBinary: Buffer;
  let fontLicence: string;

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before this test');
    const work = await mkdtemp(path.join(os.tmpdir(), 'backstop-pack-'));
    const stubDist = path.join(work, 'electron-dist');
    await mkdir(stubDist);
    const stub = Buffer.concat([
      Buffer.from(`#!/bin/sh\necho "stub electron"\n# `),
      Buffer.from(FUSE_SENTINEL),
      Buffer.from([1, STOCK_WIRE.length]),
      Buffer.from(STOCK_WIRE),
      Buffer.from('\n'),
    ]);
    await writeFile(path.join(stubDist, 'electron'), stub);
    await chmod(path.join(stubDist, 'electron'), 0o755);
    const output = path.join(work, 'dist');
    await promisify(execFile)(
      path.join(root, 'node_modules/.bin/electron-builder'),
      ['--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${stubDist}`, `-c.directories.output=${output}`],
      { cwd: root, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, maxBuffer: 16 * 1024 * 1024 },
    );
    const unpacked = path.join(output, 'linux-unpacked');
    files = listPackage(path.join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.split(path.sep).join('/'));
    packagedBinary = await readFile(path.join(unpacked, 'backstop'));
    fontLicence = await readFile(path.join(unpacked, 'resources/licenses/fonts-OFL.txt'), 'utf8');
  }, 180_000);

  it('ships the licence of the bundled fonts', () => {
    expect(fontLicence).toContain('SIL Open Font License');
  });

  it('holds the built main process, preload and renderer', () => {
    expect(files).toEqual(
      expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/preload/preload.cjs', '/out/renderer/index.html']),
    );
    expect(files.some((f) => /^\/out\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  });

  it('holds the station relay the app can host, bundled whole and with no native module (it runs on node:sqlite)', () => {
    expect(files).toContain('/out/relay/index.cjs');
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
  });

  it('holds no sources, tests, source maps or node_modules', () => {
    const offenders = files.filter(
      (f) =>
        /\.(ts|tsx|map)$/.test(f) ||
        /\.(test|spec)\./.test(f) ||
        f.includes('/node_modules') ||
        /^\/(main|renderer|shared|server|e2e|bench|scripts|tools|build)(\/|$)/.test(f),
    );
    expect(offenders).toEqual([]);
  });

  it('flips the Electron fuses that harden the packaged app', () => {
    const at = packagedBinary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    const wire = packagedBinary.subarray(at + 2, at + 2 + STOCK_WIRE.length).toString();
    const [runAsNode, cookieEncryption, nodeOptions, inspect, asarIntegrity, onlyAsar, , fileProtocol] = [...wire];
    expect({ runAsNode, cookieEncryption, nodeOptions, inspect, asarIntegrity, onlyAsar, fileProtocol }).toEqual({
      runAsNode: '0',
      cookieEncryption: '1',
      nodeOptions: '0',
      inspect: '0',
      asarIntegrity: '1',
      onlyAsar: '1',
      fileProtocol: '0',
    });
  });
});
