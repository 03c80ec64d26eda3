import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../shared/clock';
import type { WorkstationStatus } from '../../shared/ipc/contract';
import { electronUpdaterPort } from './electron-updater';
import { UpdateController, type UpdaterEvent, type UpdaterPort } from './updater';

vi.mock('electron', () => ({}));

const calm: WorkstationStatus = {
  link: 'online',
  dcs: 'up',
  fallback: false,
  drill: false,
  pending: 0,
  lastSyncAt: '2026-11-26T09:59:00.000Z',
  lastAttemptAt: '2026-11-26T09:59:00.000Z',
};

/** An updater that answers only when the test says so. */
function fakePort() {
  let emit: (e: UpdaterEvent) => void = () => {};
  const downloads: { cancel: ReturnType<typeof vi.fn>; reject: (e: Error) => void }[] = [];
  const order: string[] = [];
  const port: UpdaterPort & { checks: number; installs: number } = {
    checks: 0,
    installs: 0,
    check: () => {
      port.checks++;
      return new Promise(() => {});
    },
    download: () => {
      let reject: (e: Error) => void = () => {};
      const done = new Promise((_r, j) => (reject = j));
      const entry = { cancel: vi.fn(() => reject(new Error('cancelled'))), reject };
      downloads.push(entry);
      return { done, cancel: entry.cancel };
    },
    quitAndInstall: () => {
      port.installs++;
      order.push('quitAndInstall');
    },
    subscribe: (listener) => (emit = listener),
  };
  return { port, emit: (e: UpdaterEvent) => emit(e), downloads, order };
}

function setup(initial: WorkstationStatus | null = calm) {
  const clock = manualClock('2026-11-26T10:00:00Z');
  const fake = fakePort();
  let status: WorkstationStatus | null = initial;
  const beforeInstall = vi.fn(() => fake.order.push('beforeInstall'));
  const controller = new UpdateController({
    port: fake.port,
    feedUrl: 'https://updates.example.net/backstop/',
    checkIntervalMs: 4 * 3_600_000,
    clock: clock.now,
    status: () => status,
    log: () => {},
    beforeInstall,
  });
  return { ...fake, clock, controller, beforeInstall, setStatus: (s: WorkstationStatus | null) => (status = s) };
}

describe('update controller', () => {
  it('checks, downloads what is on offer, and restarts into it only when the agent asks', () => {
    const t = setup();
    expect(t.controller.tick()).toMatchObject({ action: 'check' });
    expect(t.port.checks).toBe(1);
    expect(t.controller.tick()).toMatchObject({ action: 'hold', reason: 'busy' });
    t.emit({ type: 'available', version: '1.4.0' });
    expect(t.downloads).toHaveLength(1);
    expect(t.controller.summary()).toMatchObject({ phase: 'downloading', version: '1.4.0' });
    t.emit({ type: 'progress', percent: 40 });
    expect(t.controller.summary().progressPercent).toBe(40);
    t.emit({ type: 'downloaded', version: '1.4.0' });
    expect(t.controller.tick()).toMatchObject({ action: 'hold', reason: 'awaiting-consent' });
    expect(t.port.installs).toBe(0);
    expect(t.controller.installAllowed()).toBe(true);
    expect(t.controller.requestInstall()).toEqual({ started: true, reason: 'consented' });
    // The window must be allowed to close (not hide to the tray) before the updater quits the app.
    expect(t.order).toEqual(['beforeInstall', 'quitAndInstall']);
  });

  it('does not check again before the interval, and returns to idle when nothing is on offer', () => {
    const t = setup();
    t.controller.tick();
    t.emit({ type: 'not-available' });
    expect(t.controller.tick()).toMatchObject({ action: 'hold', reason: 'not-due' });
    t.clock.advance(4 * 3_600_000);
    expect(t.controller.tick()).toMatchObject({ action: 'check' });
    expect(t.port.checks).toBe(2);
  });

  it('stops a download the moment an outage starts and resumes it when it is over', async () => {
    const t = setup();
    t.controller.tick();
    t.emit({ type: 'available', version: '1.4.0' });
    t.setStatus({ ...calm, fallback: true, link: 'offline' });
    expect(t.controller.tick()).toEqual({ action: 'cancel-download', reason: 'fallback' });
    expect(t.downloads[0]!.cancel).toHaveBeenCalled();
    await Promise.resolve();
    expect(t.controller.summary()).toMatchObject({ phase: 'available', lastError: null });
    expect(t.controller.tick()).toMatchObject({ action: 'hold', reason: 'fallback' });
    t.setStatus(calm);
    expect(t.controller.tick()).toMatchObject({ action: 'download' });
    expect(t.downloads).toHaveLength(2);
  });

  it('refuses to restart with unsent actions, in a drill or when the page stopped reporting', () => {
    const t = setup();
    t.controller.tick();
    t.emit({ type: 'available', version: '1.4.0' });
    t.emit({ type: 'downloaded', version: '1.4.0' });
    for (const [status, reason] of [
      [{ ...calm, pending: 4 }, 'unsent-actions'],
      [{ ...calm, drill: true }, 'drill'],
      [null, 'status-unknown'],
    ] as const) {
      t.setStatus(status);
      expect(t.controller.installAllowed()).toBe(false);
      expect(t.controller.requestInstall()).toEqual({ started: false, reason });
    }
    expect(t.beforeInstall).not.toHaveBeenCalled();
    expect(t.port.installs).toBe(0);
  });

  it('keeps a failed download as an error and tries again after the interval', async () => {
    const t = setup();
    t.controller.tick();
    t.emit({ type: 'available', version: '1.4.0' });
    t.downloads[0]!.reject(new Error('sha512 checksum mismatch'));
    await new Promise((r) => setTimeout(r, 0));
    expect(t.controller.summary()).toMatchObject({ phase: 'error', lastError: 'sha512 checksum mismatch' });
    expect(t.controller.tick()).toMatchObject({ action: 'hold', reason: 'not-due' });
  });

  it('is switched off without a feed (or in an unpacked build)', () => {
    const controller = new UpdateController({
      port: null,
      feedUrl: null,
      checkIntervalMs: 60_000,
      clock: () => new Date('2026-11-26T10:00:00Z'),
      status: () => calm,
      log: () => {},
      beforeInstall: () => {},
    });
    expect(controller.tick()).toEqual({ action: 'hold', reason: 'disabled' });
    expect(controller.summary()).toMatchObject({ phase: 'disabled', feedUrl: null });
    expect(controller.requestInstall()).toEqual({ started: false, reason: 'disabled' });
  });
});

describe('electron-updater adapter', () => {
  function fakeAppUpdater() {
    return Object.assign(new EventEmitter(), {
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowDowngrade: false,
      logger: null,
      setFeedURL: vi.fn(),
      checkForUpdates: vi.fn(() => Promise.resolve(null)),
      downloadUpdate: vi.fn(() => Promise.resolve([])),
      quitAndInstall: vi.fn(),
    });
  }

  it('reads a generic feed, downloads nothing by itself, never installs on quit, and allows a rollback to an older version', () => {
    const updater = fakeAppUpdater();
    electronUpdaterPort(updater as never, () => ({ cancel: vi.fn() }) as never, 'https://updates.example.net/backstop/', console);
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://updates.example.net/backstop/' });
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: true });
  });

  it('translates electron-updater events and passes a cancellation token to each download', () => {
    const updater = fakeAppUpdater();
    const token = { cancel: vi.fn() };
    const port = electronUpdaterPort(updater as never, () => token as never, 'https://u.example.net/', console);
    const events: UpdaterEvent[] = [];
    port.subscribe((e) => events.push(e));
    updater.emit('checking-for-update');
    updater.emit('update-available', { version: '1.4.0' });
    updater.emit('download-progress', { percent: 12.5 });
    updater.emit('update-downloaded', { version: '1.4.0' });
    updater.emit('update-not-available', { version: '1.3.0' });
    updater.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    expect(events).toEqual([
      { type: 'checking' },
      { type: 'available', version: '1.4.0' },
      { type: 'progress', percent: 12.5 },
      { type: 'downloaded', version: '1.4.0' },
      { type: 'not-available' },
      { type: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' },
    ]);
    port.download().cancel();
    expect(updater.downloadUpdate).toHaveBeenCalledWith(token);
    expect(token.cancel).toHaveBeenCalled();
    port.quitAndInstall();
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });
});
