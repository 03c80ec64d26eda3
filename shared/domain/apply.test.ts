import { describe, expect, it } from 'vitest';
import { A320, checkedIn, flight, passenger } from '../../tests/support/fixtures';
import { applyMutation, type Actor, type FlightState, type Outcome } from './apply';
import type { Mutation, MutationInput } from './mutations';
import type { Passenger } from './schemas';

const agent: Actor = { staffId: 'AG1001', role: 'agent', leases: [{ from: 100, to: 149 }] };
const supervisor: Actor = { ...agent, staffId: 'SU9001', role: 'supervisor' };
let seq = 0;

function mutation(input: MutationInput, staffId = 'AG1001'): Mutation {
  seq += 1;
  return { ...input, id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, seq, at: '2026-11-26T13:00:00.000Z', staffId };
}

function state(passengers: Passenger[], f = flight()): FlightState {
  return { flight: f, seatMap: A320, passengers };
}

const FID = flight().id;

function checkInArgs(passengerId: string, seat: string | null, seqNo = 100, extra: object = {}) {
  return {
    flightId: FID,
    passengerId,
    seat,
    seqNo,
    infantSeqNo: null,
    bags: { count: 1, weightKg: 20 },
    docsChecked: true,
    standby: false,
    ...extra,
  };
}

function expectRefused(outcome: Outcome, kind: 'rejected' | 'conflict', code: string) {
  expect(outcome).toMatchObject({ kind, code });
}

describe('check-in', () => {
  it('accepts a booked, cleared passenger into a free seat with a leased sequence number', () => {
    const p = passenger();
    const out = applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C') }), agent);
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.passengers[0]).toMatchObject({
      id: p.id,
      status: 'checked-in',
      seat: '10C',
      seqNo: 100,
      checkedInBy: 'AG1001',
      docsChecked: true,
      bags: { count: 1, weightKg: 20 },
    });
  });

  it('refuses a seat held by someone else, naming who holds it', () => {
    const holder = checkedIn({ seat: '10C', lastName: 'JONES', firstName: 'BOB', title: 'MR' });
    const p = passenger();
    const out = applyMutation(state([holder, p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C') }), agent);
    expectRefused(out, 'conflict', 'SEAT_TAKEN');
    expect(out.kind !== 'applied' && 'message' in out ? out.message : '').toContain('JONES/BOB MR');
  });

  it.each([
    ['inhibited', 'VETTING_HOLD'],
    ['pending', 'VETTING_HOLD'],
  ] as const)('refuses a passenger whose vetting is %s', (vetting, code) => {
    const p = passenger({ vetting });
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C') }), agent),
      'conflict',
      code,
    );
  });

  it('says plainly that an inhibited passenger cannot fly, whoever asks and whatever the reason', () => {
    const p = passenger({ vetting: 'inhibited' });
    const m = mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100, { vettingOverride: 'Supervisor call' }) });
    const out = applyMutation(state([p]), m, supervisor);
    expectRefused(out, 'conflict', 'VETTING_HOLD');
    expect(out.kind !== 'applied' && out.message).toContain('cannot fly');
  });

  it('lets a supervisor, and only a supervisor, accept a passenger whose vetting is pending, recording who, when and why', () => {
    const p = passenger({ vetting: 'pending' });
    const args = checkInArgs(p.id, '10C', 100, { vettingOverride: 'Vetting link down; identity and watch list checked by phone' });
    expectRefused(applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args }), agent), 'rejected', 'SUPERVISOR_ONLY');
    const out = applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args }, 'SU9001'), supervisor);
    expect(out.kind).toBe('applied');
    const accepted = out.kind === 'applied' ? out.passengers[0]! : p;
    expect(accepted.vettingOverride).toEqual({
      by: 'SU9001',
      at: '2026-11-26T13:00:00.000Z',
      reason: 'Vetting link down; identity and watch list checked by phone',
    });
    // The override stands at the gate too: the passenger boards.
    const boarded = applyMutation(
      state([accepted]),
      mutation({ type: 'passenger.board', args: { flightId: FID, passengerId: p.id, via: 'manual' } }),
      agent,
    );
    expect(boarded.kind).toBe('applied');
  });

  it('keeps no override for a passenger vetting already cleared', () => {
    const p = passenger({ vetting: 'cleared' });
    const args = checkInArgs(p.id, '10C', 100, { vettingOverride: 'Not needed' });
    const out = applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args }, 'SU9001'), supervisor);
    expect(out.kind === 'applied' && out.passengers[0]?.vettingOverride).toBeUndefined();
  });

  it('accepts a selectee (their pass will carry SSSS)', () => {
    const p = passenger({ vetting: 'selectee' });
    expect(applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C') }), agent).kind).toBe('applied');
  });

  it('refuses a sequence number outside this workstation lease, and one already used', () => {
    const p = passenger();
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 7) }), agent),
      'rejected',
      'SEQ_NOT_LEASED',
    );
    const other = checkedIn({ seqNo: 100, seat: '11A' });
    expectRefused(
      applyMutation(state([other, p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100) }), agent),
      'conflict',
      'SEQ_TAKEN',
    );
  });

  it('keeps children, infant carriers and restricted SSRs out of exit rows', () => {
    const child = passenger({ paxType: 'CHD' });
    const wheelchair = passenger({ ssrs: ['WCHR'] });
    for (const p of [child, wheelchair]) {
      expectRefused(
        applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '12A') }), agent),
        'rejected',
        'EXIT_ROW_RESTRICTED',
      );
    }
  });

  it('refuses blocked, unknown and wrong-cabin seats', () => {
    const p = passenger();
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '14F') }), agent),
      'rejected',
      'SEAT_BLOCKED',
    );
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '40A') }), agent),
      'rejected',
      'SEAT_UNKNOWN',
    );
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '1A') }), agent),
      'rejected',
      'SEAT_WRONG_CABIN',
    );
  });

  it('checks in a lap infant with the adult, with its own sequence number and no seat', () => {
    const adult = passenger({ id: 'AD', infantId: 'IN' });
    const infant = passenger({ id: 'IN', paxType: 'INF', infantOf: 'AD', firstName: 'BABY' });
    const out = applyMutation(
      state([adult, infant]),
      mutation({ type: 'passenger.checkIn', args: checkInArgs('AD', '10A', 100, { infantSeqNo: 101 }) }),
      agent,
    );
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.passengers.map((p) => [p.id, p.status, p.seat, p.seqNo])).toEqual([
      ['AD', 'checked-in', '10A', 100],
      ['IN', 'checked-in', null, 101],
    ]);
  });

  it('allows only one lap infant per row side (one spare oxygen mask)', () => {
    const first = checkedIn({ id: 'A1', infantId: 'I1', seat: '10A' });
    const second = passenger({ id: 'A2', infantId: 'I2' });
    const infants = [passenger({ id: 'I1', paxType: 'INF', infantOf: 'A1' }), passenger({ id: 'I2', paxType: 'INF', infantOf: 'A2' })];
    const all = [first, second, ...infants];
    expectRefused(
      applyMutation(state(all), mutation({ type: 'passenger.checkIn', args: checkInArgs('A2', '10C', 100, { infantSeqNo: 101 }) }), agent),
      'conflict',
      'INFANT_LIMIT',
    );
    expect(
      applyMutation(state(all), mutation({ type: 'passenger.checkIn', args: checkInArgs('A2', '10D', 100, { infantSeqNo: 101 }) }), agent)
        .kind,
    ).toBe('applied');
  });

  it('treats the same check-in sent twice as a duplicate, a different one as a conflict', () => {
    const p = checkedIn({ seat: '10C', seqNo: 100 });
    expect(applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100) }), agent).kind).toBe(
      'duplicate',
    );
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '11C', 101) }), agent),
      'conflict',
      'ALREADY_CHECKED_IN',
    );
  });

  it('requires the document check and a seat unless accepted as standby', () => {
    const p = passenger();
    expectRefused(
      applyMutation(
        state([p]),
        mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100, { docsChecked: false }) }),
        agent,
      ),
      'rejected',
      'DOCS_NOT_CHECKED',
    );
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, null) }), agent),
      'rejected',
      'SEAT_REQUIRED',
    );
    const standby = applyMutation(
      state([p]),
      mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, null, 100, { standby: true }) }),
      agent,
    );
    expect(standby.kind === 'applied' && standby.passengers[0]).toMatchObject({ standby: true, seat: null, status: 'checked-in' });
  });
});

describe('boarding', () => {
  const board = (id: string) => mutation({ type: 'passenger.board', args: { flightId: FID, passengerId: id, via: 'scan' } });

  it('boards a checked-in passenger and records when and by whom', () => {
    const p = checkedIn();
    const out = applyMutation(state([p]), board(p.id), agent);
    expect(out.kind === 'applied' && out.passengers[0]).toMatchObject({
      status: 'boarded',
      boardedBy: 'AG1001',
      boardedAt: '2026-11-26T13:00:00.000Z',
    });
  });

  it('boards a passenger once: a second boarding is a duplicate that says when and by whom', () => {
    const p = checkedIn({ status: 'boarded', boardedAt: '2026-11-26T12:55:00.000Z', boardedBy: 'AG1002' });
    const out = applyMutation(state([p]), board(p.id), agent);
    expect(out).toMatchObject({ kind: 'duplicate', code: 'ALREADY_BOARDED' });
    expect(out.kind === 'duplicate' ? out.message : '').toContain('AG1002');
  });

  it.each([
    ['not checked in', passenger(), 'NOT_CHECKED_IN'],
    ['offloaded', checkedIn({ status: 'offloaded', seat: null }), 'OFFLOADED'],
    ['a no-show', passenger({ status: 'no-show' }), 'NO_SHOW'],
    ['inhibited', checkedIn({ vetting: 'inhibited' }), 'VETTING_HOLD'],
    ['an uncleared standby', checkedIn({ standby: true, seat: null }), 'STANDBY_NOT_CLEARED'],
  ])('refuses a passenger who is %s', (_what, p, code) => {
    expect(applyMutation(state([p]), board(p.id), agent)).toMatchObject({ code });
  });

  it('refuses boarding on a closed flight', () => {
    const p = checkedIn();
    expect(applyMutation(state([p], flight({ status: 'closed' })), board(p.id), agent)).toMatchObject({ code: 'FLIGHT_CLOSED' });
  });

  it('boards and un-boards a lap infant together with its adult', () => {
    const adult = checkedIn({ id: 'AD9', infantId: 'IN9', seat: '11A' });
    const infant = checkedIn({ id: 'IN9', paxType: 'INF', infantOf: 'AD9', seat: null, seqNo: 2 });
    const boarded = applyMutation(state([adult, infant]), board('AD9'), agent);
    expect(boarded.kind === 'applied' && boarded.passengers.map((p) => [p.id, p.status])).toEqual([
      ['AD9', 'boarded'],
      ['IN9', 'boarded'],
    ]);
    const both = boarded.kind === 'applied' ? boarded.passengers : [];
    const off = applyMutation(
      state(both),
      mutation({ type: 'passenger.unboard', args: { flightId: FID, passengerId: 'AD9', reason: 'Wrong flight' } }),
      agent,
    );
    expect(off.kind === 'applied' && off.passengers.map((p) => [p.id, p.status])).toEqual([
      ['AD9', 'checked-in'],
      ['IN9', 'checked-in'],
    ]);
  });

  it('does not board a lap infant whose adult has not boarded', () => {
    const adult = checkedIn({ id: 'AD8', infantId: 'IN8', seat: '11B' });
    const infant = checkedIn({ id: 'IN8', paxType: 'INF', infantOf: 'AD8', seat: null, seqNo: 3 });
    expect(applyMutation(state([adult, infant]), board('IN8'), agent)).toMatchObject({ code: 'INFANT_TRAVELS_WITH_ADULT' });
  });

  it('un-boards with a reason, back to checked-in', () => {
    const p = checkedIn({ status: 'boarded', boardedAt: '2026-11-26T12:55:00.000Z', boardedBy: 'AG1002' });
    const out = applyMutation(
      state([p]),
      mutation({ type: 'passenger.unboard', args: { flightId: FID, passengerId: p.id, reason: 'Wrong aircraft door' } }),
      agent,
    );
    expect(out.kind === 'applied' && out.passengers[0]).toMatchObject({
      status: 'checked-in',
      boardedAt: null,
      remark: 'Wrong aircraft door',
    });
  });
});

describe('offload, no-show, standby and seats', () => {
  it('offloads a passenger with their infant and frees the seat', () => {
    const adult = checkedIn({ id: 'AD2', infantId: 'IN2', seat: '11B' });
    const infant = checkedIn({ id: 'IN2', paxType: 'INF', infantOf: 'AD2', seat: null, seqNo: 2 });
    const out = applyMutation(
      state([adult, infant]),
      mutation({ type: 'passenger.offload', args: { flightId: FID, passengerId: 'AD2', reason: 'Refused travel' } }),
      agent,
    );
    expect(out.kind === 'applied' && out.passengers.map((p) => [p.id, p.status, p.seat])).toEqual([
      ['AD2', 'offloaded', null],
      ['IN2', 'offloaded', null],
    ]);
  });

  it('marks a booked passenger no-show but refuses a checked-in one', () => {
    const booked = passenger({ seat: '10B' });
    const out = applyMutation(
      state([booked]),
      mutation({ type: 'passenger.noShow', args: { flightId: FID, passengerId: booked.id } }),
      agent,
    );
    expect(out.kind === 'applied' && out.passengers[0]).toMatchObject({ status: 'no-show', seat: null });
    const accepted = checkedIn();
    expect(
      applyMutation(state([accepted]), mutation({ type: 'passenger.noShow', args: { flightId: FID, passengerId: accepted.id } }), agent),
    ).toMatchObject({ code: 'ALREADY_CHECKED_IN' });
  });

  it('moves a passenger to standby and clears them into a free seat', () => {
    const p = checkedIn({ seat: '10A' });
    const toStandby = applyMutation(state([p]), mutation({ type: 'passenger.standby', args: { flightId: FID, passengerId: p.id } }), agent);
    expect(toStandby.kind === 'applied' && toStandby.passengers[0]).toMatchObject({ standby: true, seat: null });
    const onStandby = toStandby.kind === 'applied' ? toStandby.passengers[0]! : p;
    const cleared = applyMutation(
      state([onStandby]),
      mutation({ type: 'passenger.clearStandby', args: { flightId: FID, passengerId: p.id, seat: '11F' } }),
      agent,
    );
    expect(cleared.kind === 'applied' && cleared.passengers[0]).toMatchObject({ standby: false, seat: '11F' });
  });

  it('changes a seat, refusing a taken one', () => {
    const a = checkedIn({ seat: '10A' });
    const b = checkedIn({ seat: '10B', seqNo: 2 });
    expect(
      applyMutation(
        state([a, b]),
        mutation({ type: 'passenger.assignSeat', args: { flightId: FID, passengerId: a.id, seat: '10B' } }),
        agent,
      ),
    ).toMatchObject({ code: 'SEAT_TAKEN' });
    const moved = applyMutation(
      state([a, b]),
      mutation({ type: 'passenger.assignSeat', args: { flightId: FID, passengerId: a.id, seat: '11A' } }),
      agent,
    );
    expect(moved.kind === 'applied' && moved.passengers[0]?.seat).toBe('11A');
  });
});

describe('flight close and reopen', () => {
  it('closes a flight, freezing it, and only a supervisor reopens it', () => {
    const closed = applyMutation(state([]), mutation({ type: 'flight.close', args: { flightId: FID } }), agent);
    expect(closed.kind === 'applied' && closed.flight).toMatchObject({ status: 'closed', closedBy: 'AG1001' });
    const closedFlight = flight({ status: 'closed', closedAt: '2026-11-26T14:10:00.000Z', closedBy: 'AG1001' });
    const reopen = mutation({ type: 'flight.reopen', args: { flightId: FID, reason: 'Late passenger' } });
    expect(applyMutation(state([], closedFlight), reopen, agent)).toMatchObject({ kind: 'rejected', code: 'SUPERVISOR_ONLY' });
    const reopened = applyMutation(state([], closedFlight), reopen, supervisor);
    expect(reopened.kind === 'applied' && reopened.flight).toMatchObject({ status: 'scheduled', closedAt: null });
  });

  it('will not close with accepted passengers not on board: each boards or is offloaded, or a supervisor gives the reason', () => {
    const waiting = checkedIn({ id: 'WAIT', seat: '12A', infantId: 'WAITINF' });
    const lap = checkedIn({ id: 'WAITINF', paxType: 'INF', infantOf: 'WAIT', seat: null, seqNo: 101 });
    const onBoard = checkedIn({ id: 'ON', seat: '12B', seqNo: 102, status: 'boarded' });
    const close = (notBoardedReason?: string) =>
      mutation({ type: 'flight.close', args: { flightId: FID, ...(notBoardedReason ? { notBoardedReason } : {}) } });
    const agentTry = applyMutation(state([waiting, lap, onBoard]), close(), agent);
    expectRefused(agentTry, 'conflict', 'NOT_ALL_BOARDED');
    // The lap infant goes with its adult: one passenger is waiting, not two.
    expect(agentTry.kind !== 'applied' && agentTry.message).toMatch(/^1 accepted passenger has not boarded\. Board or offload each/);
    expect(applyMutation(state([waiting, lap, onBoard]), close('Should be enough'), agent)).toMatchObject({ code: 'NOT_ALL_BOARDED' });
    expectRefused(applyMutation(state([waiting, lap, onBoard]), close(), supervisor), 'conflict', 'NOT_ALL_BOARDED');
    const bySupervisor = applyMutation(state([waiting, lap, onBoard]), close('Passenger too unwell to fly'), supervisor);
    expect(bySupervisor.kind === 'applied' && bySupervisor.flight?.status).toBe('closed');
    const offloaded = { ...waiting, status: 'offloaded' as const, seat: null };
    const afterOffload = applyMutation(state([offloaded, { ...lap, status: 'offloaded' }, onBoard]), close(), agent);
    expect(afterOffload.kind === 'applied' && afterOffload.flight?.status).toBe('closed');
  });

  it('refuses a mutation for another flight and for an unknown passenger', () => {
    expect(
      applyMutation(state([]), mutation({ type: 'passenger.board', args: { flightId: 'OTHER', passengerId: 'x', via: 'manual' } }), agent),
    ).toMatchObject({ code: 'FLIGHT_NOT_FOUND' });
    expect(
      applyMutation(state([]), mutation({ type: 'passenger.board', args: { flightId: FID, passengerId: 'nobody', via: 'manual' } }), agent),
    ).toMatchObject({ code: 'PASSENGER_NOT_FOUND' });
  });
});

describe('bag tags, travel documents and APIS', () => {
  const doc = (over: Partial<Record<string, string>> = {}) => ({
    type: 'P',
    format: 'TD3' as const,
    number: '533401372',
    issuingState: 'GBR',
    nationality: 'GBR',
    lastName: 'SMITH',
    firstName: 'ANNA',
    birthDate: '1985-02-03',
    expiryDate: '2031-05-17',
    sex: 'F' as const,
    source: 'reader' as const,
    nameMismatch: false,
    recordedAt: '2026-11-26T13:00:00.000Z',
    recordedBy: 'AG1001',
    ...over,
  });
  const tagged = (tags: string[]) => ({
    count: tags.length,
    weightKg: tags.length * 20,
    pieces: tags.map((tag) => ({ tag, weightKg: 20, destination: 'MAD' })),
  });

  it('accepts a passenger with tagged bags and their document, and keeps both on the passenger', () => {
    const p = passenger();
    const out = applyMutation(
      state([p]),
      mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100, { bags: tagged(['1934000001']), document: doc() }) }),
      agent,
    );
    expect(out).toMatchObject({ kind: 'applied', passengers: [{ bags: tagged(['1934000001']), document: { number: '533401372' } }] });
  });

  it('refuses a tag that is already on another passenger’s bag', () => {
    const holder = checkedIn({ bags: tagged(['1934000001']) });
    const p = passenger();
    const out = applyMutation(
      state([holder, p]),
      mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100, { bags: tagged(['1934000001']) }) }),
      agent,
    );
    expectRefused(out, 'rejected', 'BAG_TAG_INVALID');
  });

  it('refuses an expired document, at check-in and when read later', () => {
    const p = passenger();
    const expired = doc({ expiryDate: '2026-11-25' });
    expectRefused(
      applyMutation(state([p]), mutation({ type: 'passenger.checkIn', args: checkInArgs(p.id, '10C', 100, { document: expired }) }), agent),
      'rejected',
      'DOCUMENT_EXPIRED',
    );
    const c = checkedIn();
    expectRefused(
      applyMutation(
        state([c]),
        mutation({ type: 'passenger.recordDocument', args: { flightId: FID, passengerId: c.id, document: expired } }),
        agent,
      ),
      'rejected',
      'DOCUMENT_EXPIRED',
    );
    // Valid on the day it is read: it expires today.
    const today = doc({ expiryDate: '2026-11-26' });
    expect(
      applyMutation(
        state([c]),
        mutation({ type: 'passenger.recordDocument', args: { flightId: FID, passengerId: c.id, document: today } }),
        agent,
      ).kind,
    ).toBe('applied');
  });

  it('will not close an APIS flight with a boarded passenger whose document was never read, unless a supervisor gives a reason', () => {
    const apis = flight({ apis: true });
    const withDoc = checkedIn({ status: 'boarded', seat: '10A', document: doc() });
    const without = checkedIn({ status: 'boarded', seat: '10B', seqNo: 2 });
    const close = (args: object, by = 'AG1001') => mutation({ type: 'flight.close', args: { flightId: FID, ...args } }, by);
    expectRefused(applyMutation(state([withDoc, without], apis), close({}), agent), 'conflict', 'APIS_MISSING');
    expectRefused(applyMutation(state([withDoc, without], apis), close({}, 'SU9001'), supervisor), 'conflict', 'APIS_MISSING');
    expectRefused(
      applyMutation(state([withDoc, without], apis), close({ apisReason: 'reader broken' }), agent),
      'conflict',
      'APIS_MISSING',
    );
    expect(applyMutation(state([withDoc, without], apis), close({ apisReason: 'reader broken' }, 'SU9001'), supervisor).kind).toBe(
      'applied',
    );
    // A flight that does not need APIS closes as before; so does an APIS flight once every document is read.
    expect(applyMutation(state([withDoc, without]), close({}), agent).kind).toBe('applied');
    expect(applyMutation(state([withDoc, { ...without, document: doc() }], apis), close({}), agent).kind).toBe('applied');
  });

  it('sends the final figures only for a closed flight; the load message may go before', () => {
    const msg = (kind: 'PFS' | 'PTM' | 'LDM') =>
      mutation({ type: 'flight.message', args: { flightId: FID, kind, text: `${kind}\nX`, to: 'RES' } });
    expectRefused(applyMutation(state([]), msg('PFS'), agent), 'rejected', 'FLIGHT_NOT_CLOSED');
    expect(applyMutation(state([]), msg('LDM'), agent).kind).toBe('applied');
    expect(applyMutation(state([], flight({ status: 'closed' })), msg('PTM'), agent).kind).toBe('applied');
  });
});
