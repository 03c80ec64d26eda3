import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { manualClock } from '../shared/clock';
import type { WorkstationStatus } from '../shared/ipc/contract';
import { CRASH_FILE, CrashLog, crashOf, ErrorRing, textOf } from './diagnostics';
import { applyLaunchAtLogin, autostartEntry, quoteExec } from './login-item';
import { StatusBoard } from './status';

vi.mock('electron', () => ({}));

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'backstop-diag-'));

describe('crash log', () => {
  it('keeps the last crash across restarts, and only the last', () => {
    const dir = tmp();
    const clock = manualClock('2026-11-26T10:00:00Z');
    new CrashLog(dir, clock.now).record({ kind: 'renderer', reason: 'oom', exitCode: -1, detail: null });
    clock.advance(60_000);
    new CrashLog(dir, clock.now).record({ kind: 'main', reason: 'Unhandled', exitCode: null, detail: 'TypeError: x is undefined' });
    expect(new CrashLog(dir, clock.now).last()).toEqual({
      at: '2026-11-26T10:01:00.000Z',
      kind: 'main',
      reason: 'Unhandled',
      exitCode: null,
      detail: 'TypeError: x is undefined',
    });
  });

  it('answers null for no crash or a damaged file, and never throws while recording', () => {
    const dir = tmp();
    const log = new CrashLog(dir, manualClock('2026-11-26T10:00:00Z').now);
    expect(log.last()).toBeNull();
    writeFileSync(path.join(dir, CRASH_FILE), '{"at":');
    expect(log.last()).toBeNull();
    const complaints: string[] = [];
    const broken = new CrashLog(path.join(dir, CRASH_FILE, 'not-a-dir'), manualClock('2026-11-26T10:00:00Z').now, (m) =>
      complaints.push(m),
    );
    expect(() => broken.record({ kind: 'child', reason: 'GPU: crashed', exitCode: 1, detail: null })).not.toThrow();
    expect(complaints).toHaveLength(1);
  });

  it('records crashes but not clean exits', () => {
    expect(crashOf('renderer', { reason: 'clean-exit', exitCode: 0 })).toBeNull();
    expect(crashOf('renderer', { reason: 'crashed', exitCode: 139 })).toEqual({
      kind: 'renderer',
      reason: 'crashed',
      exitCode: 139,
      detail: null,
    });
    expect(crashOf('child', { reason: 'killed', exitCode: 9, type: 'GPU' })).toMatchObject({ reason: 'GPU: killed' });
  });
});

describe('recent errors', () => {
  it('keeps the newest few, with time and source', () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const ring = new ErrorRing(clock.now, 3);
    for (let i = 1; i <= 5; i++) ring.add('main', `error ${i}`);
    expect(ring.list().map((e) => e.message)).toEqual(['error 3', 'error 4', 'error 5']);
    expect(ring.list()[0]).toMatchObject({ at: '2026-11-26T10:00:00.000Z', source: 'main' });
    expect(textOf(['print failed:', new Error('boom'), { code: 7 }])).toMatch(/^print failed: Error: boom[\s\S]*\{"code":7\}$/);
  });
});

describe('launch at login', () => {
  it('uses the login item API on Windows and macOS', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const set = vi.fn();
      applyLaunchAtLogin(true, { platform, setLoginItemSettings: set, executable: 'C:\\Backstop\\Backstop.exe', configHome: '/nope' });
      expect(set).toHaveBeenCalledWith({ openAtLogin: true });
    }
  });

  it('writes and removes an XDG autostart entry on Linux, starting the AppImage or executable', () => {
    const home = tmp();
    const deps = { platform: 'linux' as const, setLoginItemSettings: vi.fn(), executable: '/opt/Backstop/backstop', configHome: home };
    const file = applyLaunchAtLogin(true, deps);
    expect(file).toBe(path.join(home, 'autostart', 'backstop.desktop'));
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Backstop/backstop"');
    applyLaunchAtLogin(false, deps);
    expect(existsSync(file)).toBe(false);
    applyLaunchAtLogin(false, deps);
    expect(deps.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('quotes an executable path the way desktop entries need', () => {
    expect(quoteExec('/home/agent/Apps/Backstop 1.4.0 "x".AppImage')).toBe('"/home/agent/Apps/Backstop 1.4.0 \\"x\\".AppImage"');
    expect(autostartEntry('/a/$b')).toContain('Exec="/a/\\$b"');
  });
});

describe('status board', () => {
  const report: WorkstationStatus = {
    link: 'online',
    dcs: 'up',
    fallback: false,
    drill: false,
    pending: 1,
    lastSyncAt: null,
    lastAttemptAt: null,
  };

  it('acts on a recent report only, but still shows an old one as not current', () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const board = new StatusBoard(clock.now, 90_000);
    const changed = vi.fn();
    board.onChange(changed);
    expect(board.current()).toBeNull();
    board.report(report);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(board.current()).toEqual(report);
    clock.advance(90_001);
    expect(board.current()).toBeNull();
    expect(board.last()).toEqual({ status: report, fresh: false });
  });
});
