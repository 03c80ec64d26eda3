import { describe, expect, it } from 'vitest';
import { passenger } from '../../tests/support/fixtures';
import { describeMutation } from './describe';
import type { Mutation, MutationInput } from './mutations';

const m = (input: MutationInput, staffId = 'SU9001'): Mutation => ({
  ...input,
  id: '00000000-0000-4000-8000-000000000001',
  seq: 1,
  at: '2026-11-26T13:00:00.000Z',
  staffId,
});

describe('the audit trail in words', () => {
  it('keeps the reason a supervisor gave for accepting a passenger whose vetting was pending', () => {
    const p = passenger({ lastName: 'ODE', firstName: 'ADA', title: 'MS' });
    const text = describeMutation(
      m({
        type: 'passenger.checkIn',
        args: {
          flightId: p.flightId,
          passengerId: p.id,
          seat: '12C',
          seqNo: 40,
          infantSeqNo: null,
          bags: { count: 0, weightKg: 0 },
          docsChecked: true,
          standby: false,
          vettingOverride: 'Checked by phone',
        },
      }),
      p,
      'BQ1840 on 2 Dec',
    );
    expect(text).toBe(
      'Checked in ODE/ADA MS on BQ1840 on 2 Dec: seat 12C, seq 40, 0 bag(s) 0 kg; vetting pending, accepted by supervisor: Checked by phone',
    );
  });

  it('says why a flight closed with accepted passengers left behind', () => {
    const close = m({ type: 'flight.close', args: { flightId: 'F1', notBoardedReason: 'Too unwell to fly' } });
    expect(describeMutation(close, undefined, 'BQ1840 on 2 Dec')).toBe(
      'Closed BQ1840 on 2 Dec leaving accepted passengers behind: Too unwell to fly',
    );
    expect(describeMutation(m({ type: 'flight.close', args: { flightId: 'F1' } }), undefined, 'BQ1840 on 2 Dec')).toBe(
      'Closed BQ1840 on 2 Dec',
    );
  });
});
