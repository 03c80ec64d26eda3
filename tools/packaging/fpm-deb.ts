/**
 * A stand-in for fpm's `-s dir -t deb`, for machines that cannot download fpm (electron-builder
 * fetches a Ruby build of it from GitHub on first use). electron-builder runs it through
 * CUSTOM_FPM_PATH with exactly the arguments it would give fpm — package name, version,
 * dependencies, maintainer scripts, the unpacked app, icons and desktop entry — and this assembles
 * the .deb from them with dpkg-deb. tools/installers.test.ts uses it to check what our
 * electron-builder.yml makes of a deb; releases are built with the real fpm (`npm run dist`).
 *
 * Any argument it does not know is an error: if electron-builder starts passing something new,
 * the test says so instead of building a different package quietly.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const VALUED = new Set([
  '-s',
  '-t',
  '-d',
  '--deb-recommends',
  '--deb-compression',
  '--architecture',
  '--after-install',
  '--after-remove',
  '--description',
  '--version',
  '--package',
  '--name',
  '--maintainer',
  '--vendor',
  '--url',
  '--deb-priority',
  '--license',
]);
const MULTI = new Set(['-d', '--deb-recommends']);
const FLAGS = new Set(['--force']);

export interface FpmArgs {
  single: Map<string, string>;
  multi: Map<string, string[]>;
  mappings: { from: string; to: string }[];
}

export function parseFpmArgs(argv: readonly string[]): FpmArgs {
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  const mappings: { from: string; to: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FLAGS.has(arg)) continue;
    if (VALUED.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`fpm-deb: ${arg} needs a value`);
      if (MULTI.has(arg)) multi.set(arg, [...(multi.get(arg) ?? []), value]);
      else single.set(arg, value);
      continue;
    }
    if (arg.startsWith('-')) throw new Error(`fpm-deb: unknown option ${arg}`);
    const eq = arg.lastIndexOf('=');
    if (eq <= 0) throw new Error(`fpm-deb: expected source=destination, got ${arg}`);
    mappings.push({ from: arg.slice(0, eq), to: arg.slice(eq + 1) });
  }
  if (single.get('-s') !== 'dir' || single.get('-t') !== 'deb') throw new Error('fpm-deb: only -s dir -t deb');
  for (const required of ['--name', '--version', '--architecture', '--package']) {
    if (!single.has(required)) throw new Error(`fpm-deb: ${required} is required`);
  }
  return { single, multi, mappings };
}

function sizeKb(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return Math.ceil(bytes / 1024);
}

/** The control file: fields as fpm writes them, the description's further lines indented. */
export function controlFile(args: FpmArgs, installedKb: number): string {
  const s = (k: string) => args.single.get(k);
  const [summary = '', ...rest] = (s('--description') ?? 'no description').split('\n');
  const fields: [string, string | undefined][] = [
    ['Package', s('--name')],
    ['Version', s('--version')],
    ['License', s('--license')],
    ['Vendor', s('--vendor')],
    ['Architecture', s('--architecture')],
    ['Maintainer', s('--maintainer')],
    ['Installed-Size', String(installedKb)],
    ['Depends', args.multi.get('-d')?.join(', ')],
    ['Recommends', args.multi.get('--deb-recommends')?.join(', ')],
    ['Section', 'default'],
    ['Priority', s('--deb-priority') ?? 'optional'],
    ['Homepage', s('--url')],
    ['Description', [summary.trim(), ...rest.map((l) => ` ${l.trim() === '' ? '.' : l.trim()}`)].join('\n')],
  ];
  return `${fields
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n`;
}

export function buildDeb(argv: readonly string[]): string {
  const args = parseFpmArgs(argv);
  const staging = mkdtempSync(path.join(os.tmpdir(), 'fpm-deb-'));
  // The package's root directory is the system's /: not the private mode of a temp dir.
  chmodSync(staging, 0o755);
  try {
    for (const { from, to } of args.mappings) {
      const dest = path.join(staging, to);
      if (statSync(from).isDirectory()) {
        mkdirSync(dest, { recursive: true });
        cpSync(from, dest, { recursive: true, verbatimSymlinks: true });
      } else {
        mkdirSync(path.dirname(dest), { recursive: true });
        copyFileSync(from, dest);
      }
    }
    const debian = path.join(staging, 'DEBIAN');
    mkdirSync(debian);
    writeFileSync(path.join(debian, 'control'), controlFile(args, sizeKb(staging)));
    for (const [option, script] of [
      ['--after-install', 'postinst'],
      ['--after-remove', 'postrm'],
    ] as const) {
      const from = args.single.get(option);
      if (!from) continue;
      copyFileSync(from, path.join(debian, script));
      chmodSync(path.join(debian, script), 0o755);
    }
    const out = args.single.get('--package')!;
    const compression = args.single.get('--deb-compression') ?? 'xz';
    execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', staging, out], { stdio: 'pipe' });
    return out;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && /fpm-deb\.ts$/.test(process.argv[1])) {
  try {
    console.log(`fpm-deb: wrote ${buildDeb(process.argv.slice(2))}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
