/**
 * The browser host names each browser profile's workstation itself (unless config.json pins a
 * name), keeps that name, lets it be renamed, and starts from the last config.json it read when
 * the UI server cannot be reached (the page came from the service worker).
 */
import { describe, expect, it } from 'vitest';
import { BrowserHost, CONFIG_KEY, newWorkstationId, WORKSTATION_KEY } from './browser-host';
import { MemoryPrintHistory } from './browser-print-history';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
}

const config = (o: object) =>
  `data:application/json,${encodeURIComponent(JSON.stringify({ backendUrl: 'http://127.0.0.1:9', station: 'LHR', ...o }))}`;
const host = (configUrl: string, storage: MemoryStorage) => new BrowserHost({ configUrl, storage, history: new MemoryPrintHistory() });

describe("a browser profile's workstation name", () => {
  it('is made once from crypto randomness, kept, and the same for every tab of the profile', async () => {
    const storage = new MemoryStorage();
    const first = await host(config({}), storage).info();
    expect(first.workstation).toMatch(/^BROWSER-[A-HJ-NP-Z2-9]{6}$/);
    expect(storage.getItem(WORKSTATION_KEY)).toBe(first.workstation);
    expect((await host(config({}), storage).info()).workstation).toBe(first.workstation);
    expect((await host(config({}), new MemoryStorage()).info()).workstation).not.toBe(first.workstation);
  });

  it('draws its letters evenly from the bytes it is given', () => {
    expect(newWorkstationId((b) => b.fill(0))).toBe('BROWSER-AAAAAA');
    expect(newWorkstationId((b) => b.fill(31))).toBe('BROWSER-999999');
    expect(newWorkstationId((b) => b.fill(32))).toBe('BROWSER-AAAAAA');
  });

  it('can be renamed by Settings, to a name fit for documents, and is used from the next start', async () => {
    const storage = new MemoryStorage();
    const h = host(config({}), storage);
    const before = (await h.info()).workstation;
    expect(await h.workstation()).toEqual({ ok: true, value: { name: before, source: 'profile', editable: true } });
    expect(await h.renameWorkstation('x')).toMatchObject({ ok: false, code: 'INVALID_NAME' });
    expect(await h.renameWorkstation('desk 12')).toMatchObject({ ok: false, code: 'INVALID_NAME' });
    expect(await h.renameWorkstation(' desk-12 ')).toEqual({ ok: true, value: { name: 'DESK-12', source: 'profile', editable: true } });
    expect((await h.info()).workstation).toBe(before);
    expect((await host(config({}), storage).info()).workstation).toBe('DESK-12');
  });

  it('is the one config.json pins, when it pins one, and then cannot be renamed here', async () => {
    const storage = new MemoryStorage();
    const h = host(config({ workstation: 'GATE-B32' }), storage);
    expect((await h.info()).workstation).toBe('GATE-B32');
    expect(await h.workstation()).toEqual({ ok: true, value: { name: 'GATE-B32', source: 'config', editable: false } });
    expect(await h.renameWorkstation('DESK-1')).toMatchObject({ ok: false, code: 'NOT_EDITABLE' });
    expect(storage.getItem(WORKSTATION_KEY)).toBeNull();
  });
});

describe('starting without the UI server', () => {
  it('uses the last config.json read when the server does not answer', async () => {
    const storage = new MemoryStorage();
    await host(config({ station: 'MAD', clockOffsetMs: 1234 }), storage).info();
    expect(JSON.parse(storage.getItem(CONFIG_KEY)!)).toMatchObject({ station: 'MAD' });
    const offline = await host('http://127.0.0.1:9/config.json', storage).info();
    expect(offline).toMatchObject({ station: 'MAD', backendUrl: 'http://127.0.0.1:9', clockOffsetMs: 1234 });
  });

  it('answers the printer list and the job list as values', async () => {
    const h = host(config({}), new MemoryStorage());
    expect(await h.printers()).toMatchObject({ ok: true, value: [{ target: { kind: 'dialog' } }, { target: { kind: 'download' } }] });
    expect(await h.jobs()).toEqual({ ok: true, value: [] });
    expect(await h.reprint('missing-job-1', { staffId: 'AG1001' })).toMatchObject({ ok: false, code: 'JOB_NOT_FOUND' });
  });
});
