/**
 * Drill mode on real (fake-indexeddb) databases: the drill works on a sandbox copy, nothing reaches
 * the live database or its outbox, the report counts what was done at the desk, and the copy is gone
 * when the drill ends.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../shared/clock';
import { A320, flight, passenger } from '../../../tests/support/fixtures';
import { lease, seedFlight } from '../../../tests/support/memory-db';
import { openDatabase, type BackstopDB } from '../../db/schema';
import { staffActions } from '../actions';
import { drillRefusal, endDrill, startDrill, useDrill } from './drill-store';
import { copyToSandbox, discardLeftoverSandboxes, SANDBOX_PREFIX } from './sandbox';

const supervisor = { id: 'SU9001', name: 'Sam Supervisor', role: 'supervisor' as const, at: '2026-11-26T12:00:00.000Z' };
const agent = { id: 'AG1001', name: 'Ola Nordmann', role: 'agent' as const, at: '2026-11-26T12:00:00.000Z' };
let n = 0;
let live: BackstopDB;

async function liveStation() {
  live = openDatabase(`live-${++n}`);
  const f = flight();
  await seedFlight(live, {
    flight: f,
    seatMap: A320,
    passengers: [passenger({ id: 'P1', flightId: f.id }), passenger({ id: 'P2', flightId: f.id })],
    leases: [lease(f.id, 100, 199)],
  });
  await live.audit.add({
    at: '2026-11-26T11:00:00.000Z',
    staffId: 'AG1001',
    action: 'signin',
    flightId: null,
    passengerId: null,
    mutationId: null,
    summary: 'x',
    prevHash: '0'.repeat(64),
    hash: 'h',
  });
  const clock = manualClock('2026-11-26T12:00:00.000Z');
  return { f, clock, services: { db: live, clock: clock.now, info: { station: 'LHR', workstation: 'GATE-B32-1' } } };
}

async function sandboxes(): Promise<string[]> {
  return (await indexedDB.databases()).flatMap((d) => (d.name?.startsWith(SANDBOX_PREFIX) ? [d.name] : []));
}

afterEach(() => {
  useDrill.setState({ active: null, busy: false, lastReport: null, problem: null });
  live?.close();
});

describe('drill mode', () => {
  it('works on a sandbox copy: nothing reaches the live data, the report adds up, and the copy is discarded', async () => {
    const { f, clock, services } = await liveStation();
    await startDrill(services, supervisor);
    const active = useDrill.getState().active!;
    expect(active.sandbox.name.startsWith(SANDBOX_PREFIX)).toBe(true);
    expect(await sandboxes()).toEqual([active.sandbox.name]);

    clock.advance(95_000);
    const desk = staffActions(
      { db: active.sandbox, sync: { localWrite: () => undefined }, clock: clock.now, drill: { refused: drillRefusal } },
      agent,
    );
    const accepted = await desk.checkIn({
      flightId: f.id,
      passengerId: 'P1',
      seat: '10A',
      bags: { count: 0, weightKg: 0 },
      docsChecked: true,
      standby: false,
    });
    expect(accepted.ok).toBe(true);
    const again = await desk.checkIn({
      flightId: f.id,
      passengerId: 'P1',
      seat: '10B',
      bags: { count: 0, weightKg: 0 },
      docsChecked: true,
      standby: false,
    });
    expect(again.ok).toBe(false);
    await active.sandbox.prints.put({
      id: 'JOB1',
      at: clock.now().toISOString(),
      document: 'boarding-pass',
      flightId: f.id,
      passengerId: 'P1',
      staffId: 'AG1001',
      destination: 'dialog',
      status: 'printed',
      error: null,
      archiveRef: null,
      attempts: 1,
    });
    await desk.perform({
      type: 'print.logged',
      args: {
        printJobId: 'JOB1',
        document: 'boarding-pass',
        flightId: f.id,
        passengerId: 'P1',
        copies: 1,
        destination: 'dialog',
        reprint: false,
        seat: '10A',
        seqNo: 100,
      },
    });
    clock.advance(60_000);
    expect((await desk.perform({ type: 'passenger.board', args: { flightId: f.id, passengerId: 'P1', via: 'scan', seqNo: 100 } })).ok).toBe(
      true,
    );

    // The live database saw none of it.
    expect(await live.outbox.count()).toBe(0);
    expect((await live.manifests.get(f.id))!.passengers.find((p) => p.id === 'P1')!.status).toBe('booked');

    clock.advance(240_000);
    await endDrill(agent);
    expect(useDrill.getState().problem).toMatch(/supervisor/);
    await endDrill(supervisor);
    expect(useDrill.getState().active).toBeNull();
    const report = useDrill.getState().lastReport!;
    expect(report).toMatchObject({
      passengers: 1,
      checkIns: 1,
      boardings: 1,
      passesPrinted: 1,
      firstPassAt: '2026-11-26T12:01:35.000Z',
      desks: [{ desk: 'GATE-B32-1', checkIns: 1, boardings: 1 }],
      agents: [{ staffId: 'AG1001', checkIns: 1, boardings: 1 }],
      problems: [{ what: 'Refused: Already checked in', count: 1 }],
    });
    expect(report.desks[0]!.perMinute).toBeCloseTo(2 / 6.583, 2);
    expect(await sandboxes()).toEqual([]);
    // Audited in the live log, which still verifies.
    const actions = (await live.audit.toArray()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['drill.start', 'drill.end']));
  });

  it('only a supervisor starts one', async () => {
    const { services } = await liveStation();
    await startDrill(services, agent);
    expect(useDrill.getState().active).toBeNull();
    expect(useDrill.getState().problem).toMatch(/supervisor/);
  });

  it('the copy keeps the audit chain as it was, and a copy left by an interrupted drill is discarded', async () => {
    await liveStation();
    const sandbox = await copyToSandbox(live, `${SANDBOX_PREFIX}left`);
    expect((await sandbox.audit.toArray()).map((e) => e.n)).toEqual((await live.audit.toArray()).map((e) => e.n));
    sandbox.close();
    expect(await discardLeftoverSandboxes()).toBe(1);
    expect(await sandboxes()).toEqual([]);
    await expect(copyToSandbox(live, 'backstop')).rejects.toThrow(/sandbox/);
  });
});
