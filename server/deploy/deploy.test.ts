/**
 * The deployment examples stay true to the server: the systemd unit starts the real CLI with
 * settings it knows, stops it with the signal it handles, keeps its data where it may write, and
 * the reverse-proxy example in server/README.md forwards to the address the unit listens on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../config';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const unitFile = path.join(here, 'backstop-server.service');
const unit = readFileSync(unitFile, 'utf8');

/** key → values of the unit file (a key may repeat, e.g. Environment). */
function keys(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

describe('systemd unit (server/deploy/backstop-server.service)', () => {
  const k = keys(unit);
  const env = new Map((k.get('Environment') ?? []).map((e) => e.split('=', 2) as [string, string]));

  it('starts the server CLI of this repository', () => {
    const exec = k.get('ExecStart')![0]!;
    expect(exec).toMatch(/ server\/cli\.ts$/);
    expect(existsSync(path.join(root, 'server/cli.ts'))).toBe(true);
    expect(k.get('WorkingDirectory')).toEqual(['/opt/backstop']);
  });

  it('sets only settings the server knows', () => {
    const known = new Set<string>(Object.values(ENV_VARS));
    for (const name of env.keys()) if (name.startsWith('BACKSTOP_')) expect(known, name).toContain(name);
  });

  it('listens on loopback behind the proxy, keeps its data in its state directory, and stops with SIGTERM', () => {
    expect(env.get('BACKSTOP_HOST')).toBe('127.0.0.1');
    expect(env.get('BACKSTOP_DATA_DIR')).toBe(`/var/lib/${k.get('StateDirectory')![0]}`);
    expect(k.get('KillSignal')).toEqual(['SIGTERM']);
    expect(readFileSync(path.join(root, 'server/cli.ts'), 'utf8')).toContain("process.on('SIGTERM'");
  });

  it('runs unprivileged on a read-only system', () => {
    expect(k.get('DynamicUser') ?? k.get('User')).toBeDefined();
    expect(k.get('User') ?? []).not.toContain('root');
    expect(k.get('NoNewPrivileges')).toEqual(['yes']);
    expect(k.get('ProtectSystem')).toEqual(['strict']);
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify (unknown keys included)', () => {
    // With this machine's node in place of /usr/bin/node, which verify checks exists.
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'backstop-unit-')), 'backstop-server.service');
    writeFileSync(copy, unit.replace('/usr/bin/node ', `${process.execPath} `));
    const run = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(run.stderr + run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  it('is what the reverse-proxy example in server/README.md forwards to', () => {
    const readme = readFileSync(path.join(root, 'server/README.md'), 'utf8');
    expect(readme).toContain(`proxy_pass http://${env.get('BACKSTOP_HOST')}:${env.get('BACKSTOP_PORT')};`);
    expect(readme).toContain('server/deploy/backstop-server.service');
  });
});
