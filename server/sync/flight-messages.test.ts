/**
 * Messages after close over real HTTP and a real database: a supervisor closes a flight, sends its
 * PFS and PTM as actions, and the backend keeps each one exactly as sent, once, in the flight's
 * ledger; the PFS it keeps, read back, agrees with the headcount of the flight as the backend has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headcount } from '../../shared/domain/headcount';
import { parsePfs, parsePtm, pfsText, ptmText } from '../../shared/domain/messages';
import { CABINS } from '../../shared/domain/schemas';
import {
  Synced,
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  startTestServer,
  type TestServer,
} from '../../tests/support/server-harness';
import { DEMO_SUPERVISOR_PIN } from '../demo/staff';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.cleanup());

describe('PFS and PTM sent after close', () => {
  it('are kept exactly as sent, once, and agree with the headcount of the flight as the backend has it', async () => {
    const desk = await Synced.enrol(server.url, 'DESK-MESSAGES');
    const flight = openFlights(desk.replica)[0]!;
    const message = (kind: 'PFS' | 'PTM', text: string) =>
      desk.ws.mutation('flight.message', { flightId: flight.id, kind, text, to: 'QRTBQRM' }, 'SU9001');

    // A go-show checked in on standby and boarded, so the lists have a name on them.
    const [goShow] = bookable(desk.replica, flight.id);
    const checkIn = desk.checkIn(goShow!, null);
    const signIn = await desk.ws.signIn('SU9001', { pin: DEMO_SUPERVISOR_PIN });
    const first = await desk.ws.push([signIn, checkIn]);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    await desk.sync();

    const seat = freeSeats(desk.replica, flight)[0]!;
    const [cleared, boarded] = (
      await desk.ws.push([
        desk.ws.mutation('passenger.clearStandby', { flightId: flight.id, passengerId: goShow!.id, seat }),
        desk.ws.mutation('passenger.board', { flightId: flight.id, passengerId: goShow!.id, via: 'scan' }),
      ])
    ).results;
    expect([cleared?.status, boarded?.status]).toEqual(['applied', 'applied']);
    const close = desk.ws.mutation(
      'flight.close',
      { flightId: flight.id, notBoardedReason: 'Gate closed on time', ...(flight.apis ? { apisReason: 'Documents held by the DCS' } : {}) },
      'SU9001',
    );
    expect((await desk.ws.push([close])).results[0]).toMatchObject({ status: 'applied' });
    await desk.sync();

    const closed = desk.replica.flights().find((f) => f.id === flight.id)!;
    expect(closed.status).toBe('closed');
    const passengers = desk.replica.passengers(flight.id);
    const pfs = pfsText(closed, passengers);
    const ptm = ptmText(closed, passengers);
    const sent = [message('PFS', pfs), message('PTM', ptm)];
    expect((await desk.ws.push(sent)).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // The same actions again (an answer lost on the way back): the same answer, and nothing kept twice.
    expect((await desk.ws.push(sent)).results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const db = await inspectDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    try {
      const rows = await db.all<{ mutation: string }>('SELECT mutation FROM ledger_fact WHERE flight_id = ?', flight.id);
      const kept = rows
        .map((r) => JSON.parse(r.mutation) as { id: string; type: string; args: { kind?: string; text?: string } })
        .filter((m) => m.type === 'flight.message' && sent.some((x) => x.id === m.id));
      expect(kept.map((m) => m.args.kind).sort()).toEqual(['PFS', 'PTM']);
      expect(rows.filter((r) => r.mutation.includes('"flight.message"'))).toHaveLength(2);
      const keptPfs = parsePfs(kept.find((m) => m.args.kind === 'PFS')!.args.text!)!;
      expect(kept.find((m) => m.args.kind === 'PTM')!.args.text).toBe(ptm);
      expect(parsePtm(ptm)).not.toBeNull();
      // Read back, the PFS the backend holds agrees with the flight's headcount.
      const h = headcount(passengers);
      for (const c of CABINS) expect(keptPfs.boarded[c]).toBe(h.cabins.find((x) => x.cabin === c)?.boarded ?? 0);
      expect(keptPfs.lists.GOSHO.flatMap((l) => l.names)).toContain(`${goShow!.lastName}/${goShow!.firstName}${goShow!.title ?? ''}`);
      expect(keptPfs.lists.OFFLK.reduce((n, l) => n + l.names.length, 0)).toBe(h.offloaded + h.total.notBoarded + h.infants.notBoarded);
    } finally {
      await db.close();
    }
  });
});
