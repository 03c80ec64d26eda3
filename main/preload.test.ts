import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENTS } from '../shared/ipc/channels';
import type { BackstopBridge } from '../shared/ipc/contract';

const h = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  emitter: null as null | EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const ipcRenderer = new Emitter();
  h.emitter = ipcRenderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => h.exposed.set(key, api) },
    ipcRenderer: Object.assign(ipcRenderer, {
      invoke: (channel: string, request: unknown) => {
        h.invoked.push([channel, request]);
        return Promise.resolve({ ok: true, value: null });
      },
    }),
  };
});

let bridge: BackstopBridge;

beforeAll(async () => {
  await import('./preload');
  bridge = h.exposed.get('backstop') as BackstopBridge;
});

describe('preload bridge', () => {
  it('exposes window.backstop with invoke and on, and nothing else', () => {
    expect([...h.exposed.keys()]).toEqual(['backstop']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards every contract channel and refuses any other without calling main', async () => {
    for (const channel of CHANNELS) await bridge.invoke(channel, null);
    expect(h.invoked.map(([c]) => c)).toEqual([...CHANNELS]);
    await expect(bridge.invoke('fs:read' as never, '/etc/passwd' as never)).resolves.toMatchObject({ ok: false, code: 'UNKNOWN_CHANNEL' });
    expect(h.invoked).toHaveLength(CHANNELS.length);
  });

  it('passes a contract event on with its payload only (never the IpcRendererEvent), until unsubscribed', () => {
    const emitter = h.emitter as EventEmitter;
    for (const event of EVENTS) {
      const listener = vi.fn();
      const off = bridge.on(event, listener);
      emitter.emit(event, { sender: 'the IpcRendererEvent' }, null);
      expect(listener).toHaveBeenCalledWith(null);
      expect(listener.mock.calls[0]).toHaveLength(1);
      off();
      emitter.emit(event, {}, null);
      expect(listener).toHaveBeenCalledTimes(1);
      expect(emitter.listenerCount(event)).toBe(0);
    }
  });

  it('refuses to listen to anything that is not a contract event', () => {
    expect(() => bridge.on('ipc-message' as never, () => {})).toThrow(/No such event/);
    expect(h.emitter!.listenerCount('ipc-message')).toBe(0);
  });

  it('stays tiny: the sandboxed preload takes channel names only, never the schemas', () => {
    const source = readFileSync(path.join(import.meta.dirname, 'preload.ts'), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?.*from\s+'([^']+)';$/gm)].map((m) => `${m[1] ? 'type ' : ''}${m[2]}`);
    expect(imports).toEqual(['electron', '../shared/ipc/channels', 'type ../shared/ipc/contract']);
  });
});
