import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../shared/ipc/channels';
import { createIpcRouter, registerIpc, sendEvent, type IpcHandlers, type SenderInfo } from './ipc';

vi.mock('electron', () => ({}));

const info = {
  version: '1.0.0',
  platform: 'linux',
  workstation: 'GATE-12',
  backendUrl: 'http://127.0.0.1:8787',
  station: 'LHR',
  demoEnrolment: false,
  notice: null,
  clockOffsetMs: 0,
};

const notUsed = () => {
  throw new Error('not used in these tests');
};

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    'app:info': vi.fn(() => info),
    'print:document': notUsed,
    'print:printers': notUsed,
    'print:jobs': notUsed,
    'print:reprint': notUsed,
    'print:cancel': notUsed,
    'print:retry': notUsed,
    'app:status': notUsed,
    'app:diagnostics': notUsed,
    'app:export-diagnostics': notUsed,
    'app:install-update': notUsed,
    'device:enrol': notUsed,
    'vault:open': notUsed,
    'vault:accept-risk': notUsed,
    'app:wipe': notUsed,
    'relay:status': notUsed,
    'relay:issue-code': notUsed,
    ...overrides,
  };
}

const fromApp: SenderInfo = { senderFrame: { url: 'app://backstop/index.html', parent: null } };

describe('IPC router', () => {
  it('answers a well-formed call from the app page', async () => {
    const route = createIpcRouter(handlers(), () => {});
    await expect(route('app:info', fromApp, null)).resolves.toEqual({ ok: true, value: info });
  });

  it.each<[string, SenderInfo]>([
    ['a remote page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file:// page', { senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['an iframe inside the app', { senderFrame: { url: 'app://backstop/frame.html', parent: {} } }],
    ['a frame that is gone', { senderFrame: null }],
    ['another app:// host', { senderFrame: { url: 'app://other/index.html', parent: null } }],
  ])('refuses a call from %s without running the handler', async (_name, sender) => {
    const h = handlers();
    const log = vi.fn();
    const route = createIpcRouter(h, log);
    const result = await route('app:info', sender, null);
    expect(result).toMatchObject({ ok: false, code: 'BAD_SENDER' });
    expect(h['app:info']).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('refuses a malformed payload with a typed error naming the problem', async () => {
    const h = handlers();
    const route = createIpcRouter(h, () => {});
    const result = await route('app:info', fromApp, { sneaky: true });
    expect(result).toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    expect(result.ok ? '' : result.message).toMatch(/app:info/);
    expect(h['app:info']).not.toHaveBeenCalled();
  });

  it('refuses an unknown channel', async () => {
    const route = createIpcRouter(handlers(), () => {});
    await expect(route('fs:read', fromApp, '/etc/passwd')).resolves.toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' });
  });

  it('turns a handler exception into a typed error and logs it', async () => {
    const log = vi.fn();
    const route = createIpcRouter(
      handlers({
        'app:info': () => {
          throw new Error('disk full');
        },
      }),
      log,
    );
    await expect(route('app:info', fromApp, null)).resolves.toEqual({ ok: false, code: 'FAILED', message: 'disk full' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('disk full'));
  });

  it('refuses a handler answer that breaks the contract instead of passing it to the page', async () => {
    const route = createIpcRouter(handlers({ 'app:info': () => ({ ...info, station: 'not a station' }) }), () => {});
    await expect(route('app:info', fromApp, null)).resolves.toMatchObject({ ok: false, code: 'FAILED' });
  });

  it('registers one ipcMain handler per contract channel', async () => {
    const registered = new Map<string, (event: SenderInfo, payload: unknown) => unknown>();
    registerIpc({ handle: (channel, listener) => registered.set(channel, listener as never) }, handlers(), () => {});
    expect([...registered.keys()]).toEqual([...CHANNELS]);
    await expect(registered.get('app:info')!(fromApp, null)).resolves.toMatchObject({ ok: true });
  });

  it('checks a status report from the page before main acts on it', async () => {
    const report = vi.fn(() => null);
    const route = createIpcRouter(handlers({ 'app:status': report }), () => {});
    const status = {
      link: 'online',
      dcs: 'up',
      fallback: false,
      drill: false,
      pending: 2,
      lastSyncAt: '2026-11-26T10:00:00.000Z',
      lastAttemptAt: null,
    };
    await expect(route('app:status', fromApp, status)).resolves.toEqual({ ok: true, value: null });
    await expect(route('app:status', fromApp, { ...status, pending: -1 })).resolves.toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    await expect(route('app:status', fromApp, { ...status, link: 'great' })).resolves.toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('saves only a JSON diagnostics bundle under a plain file name', async () => {
    const save = vi.fn(() => ({ saved: true }));
    const route = createIpcRouter(handlers({ 'app:export-diagnostics': save }), () => {});
    await expect(route('app:export-diagnostics', fromApp, { fileName: 'backstop-GATE12.json', content: '{}' })).resolves.toMatchObject({
      ok: true,
    });
    for (const bad of [
      { fileName: '../../.bashrc', content: '{}' },
      { fileName: 'x.sh', content: '{}' },
      { fileName: 'x.json', content: 'echo hi' },
    ]) {
      await expect(route('app:export-diagnostics', fromApp, bad)).resolves.toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    }
    expect(save).toHaveBeenCalledTimes(1);
  });
});

describe('events to the page', () => {
  it('sends a contract event with a checked payload, and nothing to a page that is gone', () => {
    const send = vi.fn();
    expect(sendEvent({ send, isDestroyed: () => false }, 'sync:now', null)).toBe(true);
    expect(send).toHaveBeenCalledWith('sync:now', null);
    expect(sendEvent({ send, isDestroyed: () => true }, 'sync:now', null)).toBe(false);
    expect(sendEvent(null, 'sync:now', null)).toBe(false);
    expect(() => sendEvent({ send, isDestroyed: () => false }, 'sync:now', { evil: true } as never)).toThrow();
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('IPC failures the page sees', () => {
  it('carry no stack and no file paths; the log gets the whole error', async () => {
    const log = vi.fn();
    const error = new Error("ENOENT: no such file or directory, open '/home/agent/.config/Backstop/prints/2027-03-27/x.pdf'");
    error.stack = `${error.message}\n    at readFile (/usr/lib/backstop/resources/app.asar/out/main/index.js:812:11)`;
    const route = createIpcRouter(
      handlers({
        'app:info': () => {
          throw error;
        },
      }),
      log,
    );
    const answer = await route('app:info', fromApp, null);
    expect(answer).toMatchObject({ ok: false, code: 'FAILED' });
    const message = answer.ok ? '' : answer.message;
    expect(message).not.toMatch(/\/home|\.config|app\.asar|\n|\bat readFile/);
    expect(message).toContain('ENOENT');
    expect(log.mock.lastCall?.[0]).toContain('app.asar/out/main/index.js:812');
  });
});
