/**
 * Installers: electron-builder.yml as electron-builder itself reads and validates it (targets,
 * versioned artifact names, per-machine NSIS, icons, update feed), the icons in build/, and a real
 * .deb built by `electron-builder --linux deb` and inspected with dpkg-deb.
 *
 * The deb: electron-builder would download fpm (a Ruby build, from GitHub) to assemble it, which
 * this machine cannot, so fpm's part is played by tools/packaging/fpm-deb.ts through
 * electron-builder's CUSTOM_FPM_PATH: everything in the package — name, version, dependencies,
 * maintainer scripts, files, icons, desktop entry — is what electron-builder decided from our
 * configuration; dpkg-deb packs it. The Electron binary is a stub, as in package.test.ts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, iconFiles, LINUX_SIZES, PNG_SIGNATURE, renderIcon } from './icons/generate';
import { parseFpmArgs } from './packaging/fpm-deb';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Width, height and straight RGBA pixels of one of our PNGs (8-bit RGBA, filter 0 rows). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(zlib.crc32(png.subarray(at + 4, at + 8 + length))).toBe(png.readUInt32BE(at + 8 + length));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('installer configuration (as electron-builder reads it)', () => {
  let config: Configuration;

  beforeAll(async () => {
    config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    // The same schema check electron-builder runs before it packs anything.
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('builds AppImage and deb on Linux, NSIS on Windows and a dmg on macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('puts the version in every artifact name', () => {
    for (const name of [config.artifactName, config.deb?.artifactName, config.nsis?.artifactName, config.dmg?.artifactName]) {
      expect(name).toContain('${version}');
    }
    expect(config.deb?.artifactName).toBe('${name}_${version}_${arch}.${ext}');
  });

  it('installs per machine on Windows (shared gate PCs), with a choice of folder', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true });
  });

  it('has an icon for every platform, in the format each needs', () => {
    expect(config.win?.icon).toBe('build/icon.ico');
    expect(config.mac?.icon).toBe('build/icon.icns');
    expect(config.linux?.icon).toBe('build/icons');
    for (const file of ['build/icon.ico', 'build/icon.icns', 'build/icon.png', ...LINUX_SIZES.map((s) => `build/icons/${s}x${s}.png`)]) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
  });

  it('ships the tray icon and publishes to a generic update feed (latest*.yml next to the installers)', () => {
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        { from: 'build/icons/32x32.png', to: 'tray.png' },
        { from: 'build/icons/64x64.png', to: 'tray@2x.png' },
      ]),
    );
    expect(config.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^https:\/\//) as unknown }]);
  });

  it("keeps Electron's own runtime libraries in the deb's dependencies (a depends list replaces electron-builder's)", () => {
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['cups-client', 'libgtk-3-0', 'libnss3', 'libxss1', 'xdg-utils']));
  });
});

describe('icons (npm run icons)', () => {
  const generated = iconFiles();

  it('are what the generator draws, pixel for pixel', () => {
    for (const [file] of generated) {
      if (!file.endsWith('.png')) continue;
      const png = decodePng(readFileSync(path.join(root, file)));
      expect(png.width, file).toBe(png.height);
      expect(png.rgba.equals(renderIcon(png.width)), file).toBe(true);
    }
  });

  it('has a Windows .ico with PNG entries from 16 to 256 px', () => {
    const ico = readFileSync(path.join(root, 'build/icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    const sizes = ICO_SIZES.map((_s, i) => {
      const e = 6 + 16 * i;
      const png = decodePng(ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8)));
      expect(ico[e] === 0 ? 256 : ico[e]).toBe(png.width);
      return png.width;
    });
    expect(sizes).toEqual([...ICO_SIZES]);
  });

  it('has a macOS .icns with PNG entries from 16 to 1024 px', () => {
    const icns = readFileSync(path.join(root, 'build/icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, number][] = [];
    for (let at = 8; at < icns.length;) {
      const length = icns.readUInt32BE(at + 4);
      found.push([icns.toString('ascii', at, at + 4), decodePng(icns.subarray(at + 8, at + length)).width]);
      at += length;
    }
    expect(found).toEqual(ICNS_TYPES.map(([type, size]) => [type, size]));
  });
});

describe('deb package (electron-builder --linux deb, inspected with dpkg-deb)', () => {
  let deb: string;
  const dpkg = (...args: string[]) => execFileSync('dpkg-deb', args, { maxBuffer: 64 * 1024 * 1024 });

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before this test');
    const work = await mkdtemp(path.join(os.tmpdir(), 'backstop-deb-'));
    const stubDist = path.join(work, 'electron-dist');
    await mkdir(stubDist);
    const stub = Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stub electron"\n# '),
      Buffer.from(FUSE_SENTINEL),
      Buffer.from([1, 8]),
      Buffer.from('10110001\n'),
    ]);
    await writeFile(path.join(stubDist, 'electron'), stub);
    await chmod(path.join(stubDist, 'electron'), 0o755);
    const fpm = path.join(work, 'fpm');
    await writeFile(fpm, `#!/bin/sh\ncd '${root}' && exec '${process.execPath}' --import tsx tools/packaging/fpm-deb.ts "$@"\n`);
    await chmod(fpm, 0o755);
    const output = path.join(work, 'dist');
    await promisify(execFile)(
      path.join(root, 'node_modules/.bin/electron-builder'),
      ['--linux', 'deb', '--config', 'electron-builder.yml', `-c.electronDist=${stubDist}`, `-c.directories.output=${output}`],
      {
        cwd: root,
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', CUSTOM_FPM_PATH: fpm },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    deb = path.join(output, `${pkg.name}_${pkg.version}_amd64.deb`);
  }, 240_000);

  it('is named the Debian way, with the version', () => {
    expect(existsSync(deb)).toBe(true);
  });

  it('says what it is, whose it is and what it needs', () => {
    const field = (name: string) => dpkg('-f', deb, name).toString().trim();
    expect(field('Package')).toBe('backstop');
    expect(field('Version')).toBe(pkg.version);
    expect(field('Architecture')).toBe('amd64');
    expect(field('Maintainer')).toBe('Backstop team <team@backstop.invalid>');
    expect(field('Depends').split(/,\s*/)).toEqual(expect.arrayContaining(['cups-client', 'libgtk-3-0', 'libnss3']));
    expect(field('Description')).toMatch(/^Offline fallback operations for airline departures\n/);
  });

  it('installs the app under /opt with its resources, icons at every size and a desktop entry', () => {
    const files = dpkg('-c', deb)
      .toString()
      .split('\n')
      .map((line) =>
        line
          .split(/\s+/)
          .slice(5)
          .join(' ')
          .replace(/ -> .*$/, ''),
      )
      .filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        './opt/Backstop/backstop',
        './opt/Backstop/resources/app.asar',
        './opt/Backstop/resources/app-update.yml',
        './opt/Backstop/resources/tray.png',
        './opt/Backstop/resources/licenses/fonts-OFL.txt',
        './usr/share/applications/backstop.desktop',
        ...LINUX_SIZES.map((s) => `./usr/share/icons/hicolor/${s}x${s}/apps/backstop.png`),
      ]),
    );
    const owners = dpkg('-c', deb)
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/\s+/)[1]);
    expect(new Set(owners)).toEqual(new Set(['root/root']));
  });

  it('starts Backstop from its desktop entry, with its icon', () => {
    const tar = dpkg('--fsys-tarfile', deb);
    const desktop = execFileSync('tar', ['-xO', './usr/share/applications/backstop.desktop'], { input: tar }).toString();
    expect(desktop).toMatch(/^Exec="?\/opt\/Backstop\/backstop"? %U$/m);
    expect(desktop).toMatch(/^Icon=backstop$/m);
    expect(desktop).toMatch(/^Name=Backstop$/m);
    expect(desktop).toMatch(/^Categories=Office;?$/m);
  });

  it('is listed, with its checksum, in the update feed file electron-updater reads (latest-linux.yml)', () => {
    const feed = readFileSync(path.join(path.dirname(deb), 'latest-linux.yml'), 'utf8');
    const sha512 = createHash('sha512').update(readFileSync(deb)).digest('base64');
    expect(feed).toMatch(new RegExp(`^version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    expect(feed).toContain(`path: ${path.basename(deb)}`);
    expect(feed).toContain(`sha512: ${sha512}`);
  });

  it('has a root directory every user can enter', () => {
    expect(dpkg('-c', deb).toString().split('\n')[0]).toMatch(/^drwxr-xr-x root\/root .* \.\/$/);
  });

  it('links the command and sets up the sandbox helper when installed', () => {
    const postinst = dpkg('-I', deb, 'postinst').toString();
    expect(postinst).toContain('/usr/bin/backstop');
    expect(postinst).toContain('chrome-sandbox');
  });
});

describe('fpm stand-in', () => {
  it('refuses an option it does not know instead of building another package', () => {
    const base = ['-s', 'dir', '-t', 'deb', '--name', 'x', '--version', '1', '--architecture', 'amd64', '--package', '/tmp/x.deb'];
    expect(() => parseFpmArgs([...base, '--rpm-sign'])).toThrow(/unknown option --rpm-sign/);
    expect(() => parseFpmArgs(['-s', 'dir', '-t', 'rpm'])).toThrow(/only -s dir -t deb/);
    expect(parseFpmArgs([...base, '-d', 'a', '-d', 'b', '/src/=/opt/X']).multi.get('-d')).toEqual(['a', 'b']);
  });
});
