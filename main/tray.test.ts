import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { UpdateSummary, WorkstationStatus } from '../shared/ipc/contract';
import { formatAge } from './strings';
import { createTray, keepInTray, showWindow, trayView, type TrayInput } from './tray';

vi.mock('electron', () => ({}));

const now = new Date('2026-11-26T10:00:00Z');
const status: WorkstationStatus = {
  link: 'online',
  dcs: 'up',
  fallback: false,
  drill: false,
  pending: 0,
  lastSyncAt: '2026-11-26T09:48:00.000Z',
  lastAttemptAt: '2026-11-26T09:48:00.000Z',
};
const idle: UpdateSummary = {
  phase: 'idle',
  version: null,
  action: 'hold',
  reason: 'not-due',
  lastCheckAt: null,
  progressPercent: null,
  feedUrl: null,
  lastError: null,
};

const view = (over: Partial<TrayInput> = {}) =>
  trayView({ report: { status, fresh: true }, update: idle, installAllowed: false, now, timeZone: 'UTC', ...over });

describe('tray view', () => {
  it('says how old the data is, when sync was tried and whether actions wait to be sent', () => {
    expect(view().tooltip).toBe('Backstop\nData from 09:48 (12 min old)\nAll actions sent');
    const trying = view({ report: { status: { ...status, pending: 3, lastAttemptAt: '2026-11-26T09:58:30.000Z' }, fresh: true } });
    expect(trying.tooltip).toBe('Backstop\nData from 09:48 (12 min old)\nLast sync attempt 09:58\n3 actions not sent yet');
  });

  it('says so in an outage, in a drill, before any data and when the window stopped reporting', () => {
    expect(view({ report: { status: { ...status, fallback: true, link: 'offline' }, fresh: true } }).tooltip).toContain('OUTAGE MODE');
    expect(view({ report: { status: { ...status, fallback: true, drill: true }, fresh: true } }).tooltip).toContain('DRILL');
    expect(view({ report: { status: { ...status, lastSyncAt: null }, fresh: true } }).tooltip).toContain('No data synced yet');
    expect(view({ report: { status, fresh: false } }).tooltip).toContain('Window not responding');
    expect(view({ report: null }).tooltip).toBe('Backstop\nStarting…');
  });

  it('offers open, sync now and quit; sync only once the page has reported', () => {
    expect(view().menu).toEqual([
      { id: 'open', label: 'Open Backstop', enabled: true },
      { id: 'sync', label: 'Sync now', enabled: true },
      { id: 'separator' },
      { id: 'quit', label: 'Quit Backstop', enabled: true },
    ]);
    expect(view({ report: null }).menu[1]).toMatchObject({ id: 'sync', enabled: false });
  });

  it('offers a downloaded update only when installing is allowed, and otherwise says what it waits for', () => {
    const downloaded = { ...idle, phase: 'downloaded' as const, version: '1.4.0', reason: 'unsent-actions' };
    expect(view({ update: downloaded, installAllowed: false }).menu[2]).toEqual({
      id: 'update',
      label: 'Update 1.4.0 waits: actions are not sent yet',
      enabled: false,
    });
    expect(view({ update: { ...downloaded, reason: 'awaiting-consent' }, installAllowed: true }).menu[2]).toEqual({
      id: 'update',
      label: 'Restart to install update 1.4.0',
      enabled: true,
    });
    expect(view({ update: { ...idle, phase: 'downloading', version: '1.4.0', progressPercent: 41.6 } }).menu[2]).toMatchObject({
      label: 'Downloading update 1.4.0 (42%)',
      enabled: false,
    });
  });

  it('formats ages for people', () => {
    expect([0, 59_000, 60_000, 119 * 60_000, 125 * 60_000, 50 * 3_600_000].map(formatAge)).toEqual([
      'less than a minute',
      'less than a minute',
      '1 min',
      '119 min',
      '2 h 05 min',
      '2 days',
    ]);
  });
});

describe('tray binding', () => {
  it('creates the tray with tooltip and menu, wires clicks, and redraws on refresh', () => {
    const trays: { tooltip: string; menu: { id?: string; click?: () => void }[]; clicks: (() => void)[] }[] = [];
    class Tray {
      record = { tooltip: '', menu: [] as never[], clicks: [] as (() => void)[] };
      constructor() {
        trays.push(this.record);
      }
      setToolTip(t: string) {
        this.record.tooltip = t;
      }
      setContextMenu(m: never[]) {
        this.record.menu = m;
      }
      on(_e: string, fn: () => void) {
        this.record.clicks.push(fn);
      }
      destroy() {}
    }
    const actions = { open: vi.fn(), sync: vi.fn(), update: vi.fn(), quit: vi.fn() };
    let pending = 0;
    const handle = createTray({
      Tray: Tray as never,
      Menu: { buildFromTemplate: (t: unknown) => t as never },
      icon: '/x/tray.png',
      view: () => view({ report: { status: { ...status, pending }, fresh: true } }),
      actions,
    });
    const tray = trays[0]!;
    expect(tray.tooltip).toContain('All actions sent');
    tray.menu.find((i) => i.id === 'sync')!.click!();
    tray.menu.find((i) => i.id === 'quit')!.click!();
    tray.clicks[0]!();
    expect(actions.sync).toHaveBeenCalledTimes(1);
    expect(actions.quit).toHaveBeenCalledTimes(1);
    expect(actions.open).toHaveBeenCalledTimes(1);
    pending = 5;
    handle.refresh();
    expect(tray.tooltip).toContain('5 actions not sent yet');
    handle.destroy();
  });
});

describe('close to tray', () => {
  it('hides the window instead of closing it unless the app is quitting', () => {
    const win = Object.assign(new EventEmitter(), { hide: vi.fn() });
    let quitting = false;
    keepInTray(win as never, () => quitting);
    const first = { preventDefault: vi.fn() };
    win.emit('close', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(win.hide).toHaveBeenCalledTimes(1);
    quitting = true;
    const second = { preventDefault: vi.fn() };
    win.emit('close', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(win.hide).toHaveBeenCalledTimes(1);
  });

  it('brings a hidden or minimised window back', () => {
    const win = { isMinimized: () => true, restore: vi.fn(), isVisible: () => false, show: vi.fn(), focus: vi.fn() };
    showWindow(win);
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(() => showWindow(null)).not.toThrow();
  });
});
