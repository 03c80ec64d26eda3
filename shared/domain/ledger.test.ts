/**
 * The ledger on the field trial's outage: two desks offline on one flight, then both reconnect.
 * Every case is checked in both reconnect orders (and the property tests try every other order).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { A320, checkedIn, flight, passenger } from '../../tests/support/fixtures';
import { headcount } from './headcount';
import { compareFacts, foldLedger, type Fact } from './ledger';
import type { MutationInput } from './mutations';
import type { FlightView } from './replay';
import type { Passenger, StaffRole } from './schemas';

const F = flight({ id: 'F1' });
const roles: Record<string, StaffRole> = { SU9001: 'supervisor' };
const roleOf = (id: string): StaffRole => roles[id] ?? 'agent';

let seq = 0;
function fact(origin: string, at: string, input: MutationInput, staffId = 'AG1001'): Fact {
  return { origin, mutation: { id: randomUUID(), seq: ++seq, at: `2026-11-26T${at}:00.000Z`, staffId, ...input } };
}

const pax = (id: string, over: Partial<Passenger> = {}) => passenger({ id, flightId: F.id, lastName: id.replace(/\d/g, 'X'), ...over });
const checkIn = (p: string, seat: string | null, seqNo: number, extra: { infantSeqNo?: number } = {}): MutationInput => ({
  type: 'passenger.checkIn',
  args: {
    flightId: F.id,
    passengerId: p,
    seat,
    seqNo,
    infantSeqNo: extra.infantSeqNo ?? null,
    bags: { count: 1, weightKg: 20 },
    docsChecked: true,
    standby: seat === null,
  },
});
const board = (p: string, seqNo: number | null = null): MutationInput => ({
  type: 'passenger.board',
  args: { flightId: F.id, passengerId: p, via: seqNo ? 'scan' : 'manual', seqNo },
});

function fold(base: FlightView, facts: Fact[]) {
  return foldLedger({ base, seatMap: A320, facts, roleOf });
}

/** Folds desk 1's facts and desk 2's facts, arriving in both orders; both must give the same state. */
function bothOrders(base: FlightView, desk1: Fact[], desk2: Fact[]) {
  const a = fold(base, [...desk1, ...desk2]);
  const b = fold(base, [...desk2, ...desk1]);
  expect(b.view).toEqual(a.view);
  return a;
}

const byId = (view: FlightView, id: string) => view.passengers.find((p) => p.id === id)!;

describe('the ledger keeps facts and resolves claims', () => {
  it('keeps both passengers when two desks give away the same seat: the boarded one keeps it, the other is flagged with a free seat', () => {
    const base = { flight: F, passengers: [pax('W'), pax('G', { infantId: 'GI' }), pax('GI', { paxType: 'INF', infantOf: 'G' })] };
    const desk2 = [fact('DESK-2', '09:00', checkIn('W', '10A', 201))];
    const desk1 = [fact('DESK-1', '09:05', checkIn('G', '10A', 101, { infantSeqNo: 102 })), fact('DESK-1', '09:30', board('G', 101))];
    const { view, outcomes } = bothOrders(base, desk1, desk2);
    expect(byId(view, 'G')).toMatchObject({ status: 'boarded', seat: '10A', seqNo: 101 });
    expect(byId(view, 'GI')).toMatchObject({ status: 'boarded', seqNo: 102 });
    expect(byId(view, 'W')).toMatchObject({ status: 'checked-in', seat: null, seqNo: 201 });
    expect(byId(view, 'W').flags).toEqual([
      { code: 'RESEAT', lostSeat: '10A', suggested: '10B' },
      { code: 'REPRINT', printedSeat: '10A', printedSeq: 201 },
    ]);
    expect(headcount(view.passengers).soulsOnBoard).toBe(2);
    expect(outcomes.get(desk2[0]!.mutation.id)).toEqual({ kind: 'applied', flags: ['RESEAT', 'REPRINT'] });
  });

  it('gives the seat to the earlier check-in when neither passenger has boarded', () => {
    const base = { flight: F, passengers: [pax('A'), pax('B')] };
    const { view } = bothOrders(
      base,
      [fact('DESK-1', '09:10', checkIn('A', '11C', 101))],
      [fact('DESK-2', '09:02', checkIn('B', '11C', 201))],
    );
    expect(byId(view, 'B').seat).toBe('11C');
    expect(byId(view, 'A')).toMatchObject({ seat: null, status: 'checked-in' });
    expect(byId(view, 'A').flags?.[0]).toMatchObject({ code: 'RESEAT', lostSeat: '11C' });
  });

  it('lets one check-in stand when a passenger was accepted at two desks, and records the other pass as void', () => {
    const base = { flight: F, passengers: [pax('O')] };
    const desk1 = [fact('DESK-1', '09:00', checkIn('O', '10C', 101))];
    const desk2 = [fact('DESK-2', '09:03', checkIn('O', '14A', 201)), fact('DESK-2', '09:40', board('O', 201))];
    const { view } = bothOrders(base, desk1, desk2);
    // The pass that boarded stands, although it was issued later.
    expect(byId(view, 'O')).toMatchObject({ status: 'boarded', seqNo: 201, seat: '14A' });
    expect(byId(view, 'O').flags).toEqual([{ code: 'VOID_PASS', seqNo: 101, seat: '10C' }]);
    // Nobody holds 10C any more: it is free for someone else.
    expect(view.passengers.filter((p) => p.seat === '10C')).toEqual([]);
  });

  it('keeps the earlier acceptance of a passenger accepted twice when neither pass boarded', () => {
    const base = { flight: F, passengers: [pax('O')] };
    const { view } = bothOrders(
      base,
      [fact('DESK-1', '09:00', checkIn('O', '10C', 101))],
      [fact('DESK-2', '09:03', checkIn('O', '14A', 201))],
    );
    expect(byId(view, 'O')).toMatchObject({ status: 'checked-in', seqNo: 101, seat: '10C' });
    expect(byId(view, 'O').flags).toEqual([{ code: 'VOID_PASS', seqNo: 201, seat: '14A' }]);
  });

  it('settles a passenger boarded on one desk and offloaded on another by which happened last', () => {
    const base = {
      flight: F,
      passengers: [checkedIn({ id: 'P', flightId: F.id, seat: '11A', seqNo: 7, checkedInAt: '2026-11-26T08:00:00.000Z' })],
    };
    const offloadLater = bothOrders(
      base,
      [fact('GATE', '09:30', board('P', 7))],
      [fact('DESK-2', '09:35', { type: 'passenger.offload', args: { flightId: F.id, passengerId: 'P', reason: 'unwell' } })],
    );
    expect(byId(offloadLater.view, 'P')).toMatchObject({ status: 'offloaded', seat: null });
    const boardLater = bothOrders(
      base,
      [fact('GATE', '09:40', board('P', 7))],
      [fact('DESK-2', '09:35', { type: 'passenger.offload', args: { flightId: F.id, passengerId: 'P', reason: 'unwell' } })],
    );
    expect(byId(boardLater.view, 'P')).toMatchObject({ status: 'boarded' });
    expect(headcount(boardLater.view.passengers).soulsOnBoard).toBe(1);
  });

  it('records boardings and check-ins made after a close elsewhere, and asks for a revised close-out', () => {
    const base = {
      flight: F,
      passengers: [checkedIn({ id: 'A', flightId: F.id, seat: '10A', seqNo: 1, checkedInAt: '2026-11-26T08:00:00.000Z' }), pax('W')],
    };
    const closer = [fact('DESK-1', '10:00', { type: 'flight.close', args: { flightId: F.id } })];
    const late = [fact('DESK-2', '10:05', checkIn('W', '11B', 201)), fact('GATE-2', '10:06', board('A', 1))];
    const { view, outcomes } = bothOrders(base, closer, late);
    expect(view.flight).toMatchObject({
      status: 'closed',
      flags: [{ code: 'CHANGED_AFTER_CLOSE', closedAt: '2026-11-26T10:00:00.000Z', changes: 2 }],
    });
    expect(byId(view, 'W').status).toBe('checked-in');
    expect(byId(view, 'A').status).toBe('boarded');
    expect(outcomes.get(late[1]!.mutation.id)).toEqual({ kind: 'applied', flags: ['AFTER_CLOSE'] });
    // Printing the revised close-out settles it.
    const printed = fact('DESK-1', '10:20', {
      type: 'print.logged',
      args: { printJobId: 'job-1', document: 'closeout', flightId: F.id, passengerId: null, copies: 1, destination: 'PDF', reprint: false },
    });
    expect(fold(base, [...closer, ...late, printed]).view.flight.flags).toBeUndefined();
  });

  it('boards a lap infant with the adult whose check-in was made at the other desk', () => {
    const base = { flight: F, passengers: [pax('M', { infantId: 'MI' }), pax('MI', { paxType: 'INF', infantOf: 'M' })] };
    const { view } = bothOrders(
      base,
      [fact('DESK-1', '09:00', checkIn('M', '14A', 101, { infantSeqNo: 102 }))],
      [fact('GATE', '09:50', board('M', 101))],
    );
    expect(byId(view, 'M')).toMatchObject({ status: 'boarded', seqNo: 101 });
    expect(byId(view, 'MI')).toMatchObject({ status: 'boarded', seqNo: 102, seat: null });
    expect(headcount(view.passengers).soulsOnBoard).toBe(2);
  });

  it('counts a passenger boarded by a gate that never saw the check-in, and flags the missing record until it arrives', () => {
    const base = { flight: F, passengers: [pax('X')] };
    const gate = [fact('GATE', '09:50', board('X', 205))];
    const alone = fold(base, gate);
    expect(byId(alone.view, 'X')).toMatchObject({
      status: 'boarded',
      flags: [{ code: 'NO_CHECK_IN_RECORD' }, { code: 'RESEAT', lostSeat: null, suggested: null }],
    });
    const { view } = bothOrders(base, gate, [fact('DESK-2', '09:00', checkIn('X', '14C', 205))]);
    expect(byId(view, 'X')).toMatchObject({ status: 'boarded', seat: '14C', seqNo: 205 });
    expect(byId(view, 'X').flags).toBeUndefined();
  });

  it('keeps two lap infants out of one oxygen block: the later claim moves', () => {
    const base = {
      flight: F,
      passengers: [
        pax('A', { infantId: 'AI' }),
        pax('AI', { paxType: 'INF', infantOf: 'A' }),
        pax('B', { infantId: 'BI' }),
        pax('BI', { paxType: 'INF', infantOf: 'B' }),
      ],
    };
    const { view } = bothOrders(
      base,
      [fact('DESK-1', '09:00', checkIn('A', '11A', 101, { infantSeqNo: 102 }))],
      [fact('DESK-2', '09:01', checkIn('B', '11C', 201, { infantSeqNo: 202 }))],
    );
    expect(byId(view, 'A').seat).toBe('11A');
    expect(byId(view, 'B')).toMatchObject({ seat: null, flags: [{ code: 'RESEAT', lostSeat: '11C' }, { code: 'REPRINT' }] });
    expect(byId(view, 'B').flags?.[0]).not.toMatchObject({ suggested: '11B' });
  });

  it('rejects only what is invalid in itself: an unknown passenger, a seat the aircraft lacks, an agent reopening a flight', () => {
    const base = {
      flight: { ...F, status: 'closed' as const, closedAt: '2026-11-26T09:00:00.000Z', closedBy: 'AG1001' },
      passengers: [pax('A')],
    };
    const facts = [
      fact('D', '09:10', checkIn('NOBODY', '10A', 1)),
      fact('D', '09:11', checkIn('A', '40A', 2)),
      fact('D', '09:12', { type: 'flight.reopen', args: { flightId: F.id, reason: 'late pax' } }),
      fact('D', '09:13', { type: 'flight.reopen', args: { flightId: F.id, reason: 'late pax' } }, 'SU9001'),
    ];
    const { outcomes, view } = fold(base, facts);
    expect(facts.map((f) => outcomes.get(f.mutation.id)?.kind)).toEqual(['rejected', 'rejected', 'rejected', 'applied']);
    expect(view.flight.status).toBe('scheduled');
  });

  it('clears a reconciliation flag when a person settles it, and not one raised again later', () => {
    const base = { flight: F, passengers: [pax('O')] };
    const accepted = [fact('DESK-1', '09:00', checkIn('O', '10C', 101)), fact('DESK-2', '09:03', checkIn('O', '14A', 201))];
    const collected = fact('DESK-1', '09:30', {
      type: 'passenger.resolve',
      args: { flightId: F.id, passengerId: 'O', flag: 'VOID_PASS', note: 'pass taken back' },
    });
    expect(byId(fold(base, [...accepted, collected]).view, 'O').flags).toBeUndefined();
    const third = fact('DESK-3', '09:45', checkIn('O', '11F', 301));
    expect(byId(fold(base, [...accepted, collected, third]).view, 'O').flags?.map((f) => f.code)).toEqual(['VOID_PASS', 'VOID_PASS']);
  });

  it("honours a supervisor's vetting override and flags an acceptance of a passenger vetting has not cleared otherwise", () => {
    const base = {
      flight: F,
      passengers: [pax('P', { vetting: 'pending' }), pax('Q', { vetting: 'pending' }), pax('R', { vetting: 'inhibited' })],
    };
    const withOverride = (input: MutationInput): MutationInput =>
      input.type === 'passenger.checkIn' ? { ...input, args: { ...input.args, vettingOverride: 'Checked by phone' } } : input;
    const bySupervisor = fact('DESK-1', '09:00', withOverride(checkIn('P', '10C', 101)), 'SU9001');
    // An agent's override does not count (the desk would not offer it): the acceptance stands, flagged.
    const byAgent = fact('DESK-2', '09:01', withOverride(checkIn('Q', '11C', 201)));
    const inhibited = fact('DESK-2', '09:02', withOverride(checkIn('R', '12C', 202)), 'SU9001');
    const { view, outcomes } = bothOrders(base, [bySupervisor], [byAgent, inhibited]);
    expect(byId(view, 'P')).toMatchObject({ status: 'checked-in', vettingOverride: { by: 'SU9001', reason: 'Checked by phone' } });
    expect(byId(view, 'P').flags).toBeUndefined();
    expect(byId(view, 'Q').vettingOverride).toBeUndefined();
    expect(byId(view, 'Q').flags).toEqual([{ code: 'VETTING_REVIEW' }]);
    expect(byId(view, 'R').flags).toEqual([{ code: 'VETTING_REVIEW' }]);
    expect(outcomes.get(bySupervisor.mutation.id)).toEqual({ kind: 'applied', flags: [] });
  });

  it('sorts facts by time, then workstation, then sequence', () => {
    const a = fact('B', '09:00', board('X'));
    const b = fact('A', '09:00', board('X'));
    const c = fact('A', '08:59', board('X'));
    expect([a, b, c].sort(compareFacts)).toEqual([c, b, a]);
  });
});

describe('bag tags and travel documents in the ledger', () => {
  const piece = (tag: string, weightKg = 20) => ({ tag, weightKg, destination: 'MAD' });
  const taggedCheckIn = (p: string, seat: string, seqNo: number, tags: string[]): MutationInput => {
    const c = checkIn(p, seat, seqNo);
    if (c.type !== 'passenger.checkIn') throw new Error('check-in expected');
    const pieces = tags.map((t) => piece(t));
    return { ...c, args: { ...c.args, bags: { count: pieces.length, weightKg: pieces.length * 20, pieces } } };
  };
  const offload = (p: string): MutationInput => ({ type: 'passenger.offload', args: { flightId: F.id, passengerId: p, reason: 'unwell' } });
  const doc = (number: string, recordedAt: string) => ({
    type: 'P',
    format: 'TD3' as const,
    number,
    issuingState: 'GBR',
    nationality: 'GBR',
    lastName: 'AX',
    firstName: 'ANNA',
    birthDate: '1985-02-03',
    expiryDate: '2031-05-17',
    sex: 'F' as const,
    source: 'reader' as const,
    nameMismatch: false,
    recordedAt,
    recordedBy: 'AG1001',
  });

  it('keeps the tags both desks printed when two desks accepted the same passenger, in either reconnect order', () => {
    const base = { flight: F, passengers: [pax('A1')] };
    const desk1 = [fact('DESK-1', '09:00', taggedCheckIn('A1', '10A', 101, ['1934000101', '1934000102']))];
    const desk2 = [fact('DESK-2', '09:02', taggedCheckIn('A1', '11A', 201, ['1934000250']))];
    const { view } = bothOrders(base, desk1, desk2);
    const a = byId(view, 'A1');
    expect(a.seqNo).toBe(101);
    expect(a.bags.pieces?.map((b) => b.tag)).toEqual(['1934000101', '1934000102', '1934000250']);
    expect(a.bags).toMatchObject({ count: 3, weightKg: 60 });
    expect(a.flags?.map((f) => f.code)).toContain('VOID_PASS');
  });

  it('brings every tag up for removal after an offload, whichever desk printed it', () => {
    const base = { flight: F, passengers: [pax('A1'), pax('B1')] };
    const desk1 = [
      fact('DESK-1', '09:00', taggedCheckIn('A1', '10A', 101, ['1934000101'])),
      fact('DESK-1', '09:01', taggedCheckIn('B1', '10B', 102, ['1934000103'])),
      fact('DESK-1', '09:30', board('B1', 102)),
    ];
    const desk2 = [fact('DESK-2', '09:05', taggedCheckIn('A1', '11C', 201, ['1934000250'])), fact('DESK-2', '09:40', offload('A1'))];
    const { view } = bothOrders(base, desk1, desk2);
    const r = headcount(view.passengers).bagReconciliation;
    expect(r.removal.map((x) => ({ id: x.passenger.id, why: x.why, tags: x.tags }))).toEqual([
      { id: 'A1', why: 'offloaded', tags: ['1934000101', '1934000250'] },
    ]);
    expect(r.tagsOfBoarded).toEqual(['1934000103']);
    expect(r.ofOffloaded).toEqual({ count: 2, weightKg: 40 });
  });

  it('keeps the latest reading of a travel document, whichever desk sends it first', () => {
    const base = { flight: F, passengers: [pax('A1')] };
    const read = (number: string, at: string) =>
      fact('DESK-1', at, {
        type: 'passenger.recordDocument',
        args: { flightId: F.id, passengerId: 'A1', document: doc(number, `2026-11-26T${at}:00.000Z`) },
      });
    const early = read('111111111', '09:00');
    const late = { ...read('222222222', '09:10'), origin: 'DESK-2' };
    const { view, outcomes } = bothOrders(base, [early], [late]);
    expect(byId(view, 'A1').document?.number).toBe('222222222');
    expect(outcomes.get(early.mutation.id)?.kind).toBe('applied');
  });

  it('records a document read after close without marking the close-out changed', () => {
    const closed = { ...F, status: 'closed' as const, closedAt: '2026-11-26T09:00:00.000Z', closedBy: 'AG1001' };
    const base = { flight: closed, passengers: [checkedIn({ id: 'A1', flightId: F.id, status: 'boarded' })] };
    const f = fact('DESK-1', '09:10', {
      type: 'passenger.recordDocument',
      args: { flightId: F.id, passengerId: 'A1', document: doc('333', '2026-11-26T09:10:00.000Z') },
    });
    const { view, outcomes } = fold(base, [f]);
    expect(view.flight.flags).toBeUndefined();
    expect(outcomes.get(f.mutation.id)).toEqual({ kind: 'applied', flags: [] });
  });

  it('records a flight message as a fact that changes nothing', () => {
    const base = { flight: F, passengers: [pax('A1')] };
    const m = fact('DESK-1', '09:00', {
      type: 'flight.message',
      args: { flightId: F.id, kind: 'LDM', text: 'LDM\nBQ123/26', to: 'LOADCONTROL' },
    });
    const { view, outcomes } = fold(base, [m]);
    expect(view).toEqual(fold(base, []).view);
    expect(outcomes.get(m.mutation.id)?.kind).toBe('applied');
  });

  it('keeps a standby acceptance as a go-show once the passenger is seated', () => {
    const base = { flight: F, passengers: [pax('A1')] };
    const facts = [
      fact('DESK-1', '09:00', checkIn('A1', null, 101)),
      fact('DESK-1', '09:05', { type: 'passenger.clearStandby', args: { flightId: F.id, passengerId: 'A1', seat: '10A' } }),
      fact('DESK-1', '09:10', board('A1', 101)),
    ];
    expect(byId(fold(base, facts).view, 'A1')).toMatchObject({ status: 'boarded', seat: '10A', standby: false, acceptedAsStandby: true });
  });
});
