import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthResponse } from '../../shared/protocol/v1';
import { ADMIN_TOKEN, Synced, errorOf, request, startTestServer, type TestServer } from '../../tests/support/server-harness';
import type { DcsEvent } from './simulator';

let server: TestServer;
const admin = (path: string, body: unknown, token = ADMIN_TOKEN) =>
  request(`${server.url}/v1/admin${path}`, 'POST', body, { authorization: `Bearer ${token}` });

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.cleanup());

describe('DCS simulator', () => {
  it('keeps the admin routes behind the admin token', async () => {
    expect((await admin('/dcs', { status: 'down' }, 'wrong-token')).status).toBe(401);
    expect((await request(`${server.url}/v1/admin/dcs/step`, 'POST', {})).status).toBe(401);
    const res = await admin('/dcs', { status: 'sideways' });
    expect(res.status).toBe(400);
    expect(errorOf(res).field).toBe('status');
  });

  it('checks passengers in upstream with numbers no workstation holds, and workstations receive it', async () => {
    const s = await Synced.enrol(server.url);
    const leased = s.replica.of<{ flightId: string; from: number; to: number }>('lease');
    const checkIns: DcsEvent[] = [];
    for (let i = 0; i < 5 && checkIns.length < 3; i++) {
      const res = await admin('/dcs/step', {});
      expect(res.status).toBe(200);
      checkIns.push(...(JSON.parse(res.text) as { events: DcsEvent[] }).events.filter((e) => e.kind === 'checkIn'));
    }
    expect(checkIns.length).toBeGreaterThan(0);
    await s.sync();
    for (const e of checkIns) {
      const p = s.replica.passenger(e.passengerId ?? '');
      expect(p).toMatchObject({ status: 'checked-in', checkedInBy: 'DCS', docsChecked: true });
      expect(p.seat).not.toBeNull();
      const clash = leased.find((l) => l.flightId === p.flightId && p.seqNo !== null && p.seqNo >= l.from && p.seqNo <= l.to);
      expect(clash, `DCS used leased number ${p.seqNo}`).toBeUndefined();
      const same = s.replica.passengers(p.flightId).filter((o) => o.seqNo === p.seqNo);
      expect(same).toHaveLength(1);
    }
  });

  it('goes down on request: health says so, nothing changes upstream, and it comes back', async () => {
    const s = await Synced.enrol(server.url);
    expect((await admin('/dcs', { status: 'down' })).status).toBe(200);
    const health = HealthResponse.parse(JSON.parse((await request(`${server.url}/v1/health`, 'GET')).text));
    expect(health.dcs).toBe('down');
    const step = await admin('/dcs/step', {});
    expect(step.status).toBe(409);
    expect(errorOf(step).code).toBe('DCS_DOWN');
    expect(await server.dcs.step()).toEqual([]);
    const page = await s.ws.pull(s.cursor);
    expect(page.dcs).toBe('down');
    expect(page.changes).toEqual([]);

    expect((await admin('/dcs', { status: 'up' })).status).toBe(200);
    expect((await s.ws.pull(s.cursor)).dcs).toBe('up');
  });

  it('answers 403 on admin routes when no admin token is configured', async () => {
    const bare = await startTestServer({ adminToken: null, flights: 0 });
    try {
      const res = await request(`${bare.url}/v1/admin/dcs`, 'POST', { status: 'down' }, { authorization: 'Bearer anything' });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('ADMIN_DISABLED');
    } finally {
      await bare.cleanup();
    }
  });

  it('runs on a timer while up and rests while down', async () => {
    const timed = await startTestServer({ dcsSimulator: true, dcsIntervalMs: 40 });
    try {
      const s = await Synced.enrol(timed.url);
      await new Promise((r) => setTimeout(r, 400));
      expect((await s.sync()).length).toBeGreaterThan(0);
      await timed.dcs.setStatus('down');
      await new Promise((r) => setTimeout(r, 100));
      await s.sync();
      await new Promise((r) => setTimeout(r, 300));
      expect(await s.sync()).toEqual([]);
    } finally {
      await timed.cleanup();
    }
  });
});
