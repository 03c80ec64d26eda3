/**
 * Random outages for property tests: several desks, all cut off from each other, each working a flight
 * from the same starting state with the strict desk rules (shared/domain/apply.ts), as agents would.
 * What they record becomes the facts; a physical-truth model says who is on the aircraft at the end.
 */
import { randomUUID } from 'node:crypto';
import { applyMutation } from '../../shared/domain/apply';
import { compareFacts, type Fact } from '../../shared/domain/ledger';
import type { Mutation, MutationInput } from '../../shared/domain/mutations';
import { mergePassengers, type FlightView } from '../../shared/domain/replay';
import { holdsSeat } from '../../shared/domain/rules';
import type { Passenger, SeatMap, StaffRole } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import { A320, flight, passenger } from './fixtures';
import type { SeededRandom } from './random';

export interface Desk {
  id: string;
  view: FlightView;
  leases: { from: number; to: number }[];
  nextSeq: number;
  clockMs: number;
  facts: Fact[];
}

export interface Outage {
  base: FlightView;
  seatMap: SeatMap;
  desks: Desk[];
  /** Every fact of every desk, in the order each desk recorded them, desk after desk. */
  facts: Fact[];
}

export const SUPERVISOR = 'SU9001';
export const roleOf = (staffId: string): StaffRole => (staffId === SUPERVISOR ? 'supervisor' : 'agent');

/** A small flight: adults, two children, two adults with lap infants, all booked, none seated yet. */
export function outageBase(flightId = 'OUT1'): FlightView {
  const f = flight({ id: flightId, std: '2026-11-26T12:00:00.000Z' });
  const passengers: Passenger[] = [];
  for (let i = 1; i <= 14; i++) {
    const withInfant = i === 3 || i === 9;
    passengers.push(
      passenger({
        id: `${flightId}-P${i}`,
        flightId,
        lastName: `PAX${String.fromCharCode(64 + i)}`,
        paxType: i === 5 || i === 11 ? 'CHD' : 'ADT',
        infantId: withInfant ? `${flightId}-I${i}` : null,
        cabin: i <= 2 ? 'J' : 'Y',
      }),
    );
    if (withInfant) {
      passengers.push(
        passenger({
          id: `${flightId}-I${i}`,
          flightId,
          lastName: `PAX${String.fromCharCode(64 + i)}`,
          paxType: 'INF',
          infantOf: `${flightId}-P${i}`,
          cabin: 'Y',
        }),
      );
    }
  }
  return { flight: f, passengers };
}

function freeSeats(view: FlightView, seatMap: SeatMap, p: Passenger): string[] {
  const held = new Set(view.passengers.filter((o) => o.id !== p.id && holdsSeat(o)).map((o) => o.seat));
  return seatsOf(seatMap)
    .filter((s) => s.cabin === p.cabin && !s.blocked && !held.has(s.code))
    .map((s) => s.code);
}

const bagsOf = (count: number) => ({ count, weightKg: count * 18 });

/** One random action a desk's agent might take now, or null when nothing sensible is left. */
function randomAction(rng: SeededRandom, desk: Desk, seatMap: SeatMap): { input: MutationInput; staffId: string } | null {
  const { view } = desk;
  const fid = view.flight.id;
  const people = view.passengers.filter((p) => p.paxType !== 'INF');
  const booked = people.filter((p) => p.status === 'booked');
  const accepted = people.filter((p) => p.status === 'checked-in');
  const boarded = people.filter((p) => p.status === 'boarded');
  const roll = rng.next();
  const agent = rng.pick(['AG1001', 'AG1002']);
  if (view.flight.status === 'closed') {
    return rng.chance(0.5)
      ? { input: { type: 'flight.reopen', args: { flightId: fid, reason: 'late passenger' } }, staffId: SUPERVISOR }
      : null;
  }
  if (roll < 0.35 && booked.length > 0) {
    const p = rng.pick(booked);
    const seats = freeSeats(view, seatMap, p);
    const standby = rng.chance(0.08) || seats.length === 0;
    const take = () => {
      const n = desk.nextSeq++;
      return n;
    };
    const seqNo = take();
    const infantSeqNo = p.infantId ? take() : null;
    return {
      input: {
        type: 'passenger.checkIn',
        args: {
          flightId: fid,
          passengerId: p.id,
          seat: standby ? null : rng.pick(seats),
          seqNo,
          infantSeqNo,
          bags: bagsOf(rng.int(0, 2)),
          docsChecked: true,
          standby,
        },
      },
      staffId: agent,
    };
  }
  if (roll < 0.6 && accepted.length > 0) {
    const p = rng.pick(accepted);
    return { input: { type: 'passenger.board', args: { flightId: fid, passengerId: p.id, via: 'scan', seqNo: p.seqNo } }, staffId: agent };
  }
  if (roll < 0.66 && boarded.length > 0) {
    return {
      input: { type: 'passenger.unboard', args: { flightId: fid, passengerId: rng.pick(boarded).id, reason: 'wrong aircraft' } },
      staffId: agent,
    };
  }
  if (roll < 0.74 && accepted.length + boarded.length > 0) {
    const p = rng.pick([...accepted, ...boarded]);
    return { input: { type: 'passenger.offload', args: { flightId: fid, passengerId: p.id, reason: 'unwell' } }, staffId: agent };
  }
  if (roll < 0.8 && booked.length > 0) {
    return { input: { type: 'passenger.noShow', args: { flightId: fid, passengerId: rng.pick(booked).id } }, staffId: agent };
  }
  if (roll < 0.9 && accepted.length > 0) {
    const p = rng.pick(accepted);
    const seats = freeSeats(view, seatMap, p);
    if (seats.length > 0) {
      const type = p.standby ? 'passenger.clearStandby' : 'passenger.assignSeat';
      return { input: { type, args: { flightId: fid, passengerId: p.id, seat: rng.pick(seats) } }, staffId: agent };
    }
  }
  if (roll < 0.93) return { input: { type: 'flight.close', args: { flightId: fid } }, staffId: agent };
  return null;
}

/** Runs `actions` attempts per desk, each desk alone with its own view of the flight. */
export function generateOutage(rng: SeededRandom, options: { desks: number; actions: number; base?: FlightView }): Outage {
  const base = options.base ?? outageBase();
  const seatMap = A320;
  const start = Date.parse('2026-11-26T09:00:00.000Z');
  const desks: Desk[] = Array.from({ length: options.desks }, (_, k) => ({
    id: `DESK-${k + 1}`,
    view: { flight: { ...base.flight }, passengers: base.passengers.map((p) => ({ ...p })) },
    leases: [{ from: (k + 1) * 100, to: (k + 1) * 100 + 99 }],
    nextSeq: (k + 1) * 100,
    // Desks' clocks are close but not equal; whole minutes, so equal times across desks happen too.
    clockMs: start + rng.int(0, 5) * 60_000,
    facts: [],
  }));
  for (const desk of desks) {
    let seq = 0;
    for (let i = 0; i < options.actions; i++) {
      desk.clockMs += rng.int(0, 3) * 60_000;
      const action = randomAction(rng, desk, seatMap);
      if (!action) continue;
      const m = {
        id: randomUUID(),
        seq: seq + 1,
        at: new Date(desk.clockMs).toISOString(),
        staffId: action.staffId,
        ...action.input,
      } as Mutation;
      const outcome = applyMutation({ flight: desk.view.flight, seatMap, passengers: desk.view.passengers }, m, {
        staffId: m.staffId,
        role: roleOf(m.staffId),
        leases: desk.leases,
      });
      if (outcome.kind !== 'applied') continue;
      seq += 1;
      desk.view = { flight: outcome.flight ?? desk.view.flight, passengers: mergePassengers(desk.view.passengers, outcome.passengers) };
      desk.facts.push({ mutation: m, origin: desk.id });
    }
  }
  return { base, seatMap, desks, facts: desks.flatMap((d) => d.facts) };
}

/**
 * Who is physically on the aircraft after these facts: for each passenger, the last (in canonical
 * order) of boarding, un-boarding and offloading decides; a lap infant is wherever its adult is.
 */
export function onBoard(outage: Outage): Set<string> {
  const last = new Map<string, boolean>();
  for (const f of [...outage.facts].sort(compareFacts)) {
    const m = f.mutation;
    if (m.type === 'passenger.board') last.set(m.args.passengerId, true);
    if (m.type === 'passenger.unboard' || m.type === 'passenger.offload') last.set(m.args.passengerId, false);
  }
  const aboard = new Set([...last].filter(([, on]) => on).map(([id]) => id));
  for (const p of outage.base.passengers) if (p.infantOf && aboard.has(p.infantOf)) aboard.add(p.id);
  return aboard;
}
