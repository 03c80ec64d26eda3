/**
 * Bugs the station simulator found, pinned down as small reproductions so they stay fixed.
 *
 * 1. A desk's view of a passenger who lost their seat in a reconciliation (RESEAT with the seat lost
 *    and a free one suggested) never converged with the backend: the desk folds its pending actions
 *    over the backend's reconciled state with the same ledger, and folding that state again rewrote
 *    the flag to "RESEAT, no seat lost, nothing suggested". After the desk's push, the backend's row
 *    had not changed, so no pull ever corrected it (sim: `--seed 7 --hours 30 --workstations 3`
 *    before the fix in shared/domain/ledger.ts).
 * 2. The same pattern for a passenger checked in under a supervisor's vetting override and then
 *    offloaded at the gate: the backend keeps the override on the offloaded passenger, but folding
 *    that state again (no acceptance left to decide from) dropped it, so the gate's copy never
 *    converged (CI batch seed 33: `--seed 33 --hours 30 --workstations 2`).
 */
import { describe, expect, it } from 'vitest';
import { foldLedger } from '../shared/domain/ledger';
import type { Mutation } from '../shared/domain/mutations';
import { A320, checkedIn, flight } from '../tests/support/fixtures';

describe('found by the simulator', () => {
  it('folding the backend’s reconciled state again keeps a RESEAT flag’s lost and suggested seat', () => {
    const f = flight();
    const loser = {
      ...checkedIn({ id: 'P1', flightId: f.id, seat: null, seqNo: 5 }),
      flags: [{ code: 'RESEAT' as const, lostSeat: '10A', suggested: '10B' }],
    };
    const reprint: Mutation = {
      id: '00000000-0000-4000-8000-000000000001',
      seq: 1,
      at: '2026-11-26T12:10:00.000Z',
      staffId: 'AG1001',
      type: 'print.logged',
      args: {
        printJobId: 'J1',
        document: 'boarding-pass',
        flightId: f.id,
        passengerId: 'P1',
        copies: 1,
        destination: 'ATB',
        reprint: true,
        seat: null,
        seqNo: 5,
      },
    };
    const base = { flight: f, passengers: [loser] };
    for (const facts of [[], [{ mutation: reprint, origin: 'DESK-1' }]]) {
      const { view } = foldLedger({ base, seatMap: A320, facts, roleOf: () => 'agent' });
      expect(view.passengers[0]!.flags).toEqual([{ code: 'RESEAT', lostSeat: '10A', suggested: '10B' }]);
    }
    // Once reseated, the flag goes.
    const reseat: Mutation = {
      ...reprint,
      id: '00000000-0000-4000-8000-000000000002',
      type: 'passenger.assignSeat',
      args: { flightId: f.id, passengerId: 'P1', seat: '10C' },
    };
    const { view } = foldLedger({ base, seatMap: A320, facts: [{ mutation: reseat, origin: 'DESK-1' }], roleOf: () => 'agent' });
    expect(view.passengers[0]!.flags?.some((x) => x.code === 'RESEAT') ?? false).toBe(false);
  });

  it('folding the backend’s state again keeps the vetting override and standby acceptance of an offloaded passenger', () => {
    const f = flight();
    const offloaded = {
      ...checkedIn({ id: 'P2', flightId: f.id, seat: null, seqNo: 66, vetting: 'pending' as const }),
      status: 'offloaded' as const,
      remark: 'Unwell, taken off the aircraft',
      acceptedAsStandby: true,
      vettingOverride: { by: 'SU9001', at: '2026-11-26T12:00:00.000Z', reason: 'Documents checked by the duty supervisor' },
    };
    const { view } = foldLedger({ base: { flight: f, passengers: [offloaded] }, seatMap: A320, facts: [], roleOf: () => 'agent' });
    expect(view.passengers[0]).toEqual(offloaded);
  });
});
