import { describe, expect, it } from 'vitest';
import { A320, checkedIn, passenger } from '../../tests/support/fixtures';
import { flightFigures, headcount, inNameOrder, inSeatOrder } from './headcount';
import type { Passenger } from './schemas';

function flightList(): Passenger[] {
  const adultWithInfant = checkedIn({
    id: 'A1',
    lastName: 'BROWN',
    seat: '11A',
    seqNo: 3,
    status: 'boarded',
    infantId: 'I1',
    bags: { count: 2, weightKg: 40 },
  });
  return [
    checkedIn({ id: 'J1', lastName: 'ZED', cabin: 'J', seat: '1A', seqNo: 1, status: 'boarded' }),
    checkedIn({ id: 'J2', lastName: 'YOUNG', cabin: 'J', seat: '2C', seqNo: 2 }),
    adultWithInfant,
    passenger({ id: 'I1', lastName: 'BROWN', firstName: 'BABY', paxType: 'INF', infantOf: 'A1', status: 'boarded', seqNo: 4 }),
    checkedIn({ id: 'C1', lastName: 'ADAMS', paxType: 'CHD', seat: '10B', seqNo: 5, bags: { count: 1, weightKg: 15 } }),
    checkedIn({ id: 'S1', lastName: 'STANDBY', seat: null, standby: true, seqNo: 6 }),
    passenger({ id: 'B1', lastName: 'BOOKED', seat: '14A' }),
    passenger({ id: 'O1', lastName: 'OFFLOADED', status: 'offloaded', remark: 'unruly' }),
    passenger({ id: 'N1', lastName: 'NOSHOW', status: 'no-show' }),
  ];
}

describe('headcount', () => {
  it('counts booked, checked in (boarded included) and boarded per cabin, with seats from the map', () => {
    const h = headcount(flightList(), A320);
    expect(h.cabins).toEqual([
      { cabin: 'J', booked: 2, checkedIn: 2, boarded: 1, notBoarded: 1, capacity: 8 },
      { cabin: 'Y', booked: 6, checkedIn: 3, boarded: 1, notBoarded: 2, capacity: 24 },
    ]);
    expect(h.total).toEqual({ booked: 8, checkedIn: 5, boarded: 2, notBoarded: 3 });
  });

  it('counts lap infants apart from the seats, and children within them', () => {
    const h = headcount(flightList());
    expect(h.infants).toEqual({ booked: 1, checkedIn: 1, boarded: 1, notBoarded: 0 });
    expect(h.children).toEqual({ booked: 1, checkedIn: 1, boarded: 0, notBoarded: 1 });
    expect(h.soulsOnBoard).toBe(3);
  });

  it('counts standby, offloaded, no-show and the bags of accepted passengers', () => {
    const h = headcount(flightList());
    expect(h).toMatchObject({ standby: 1, offloaded: 1, noShow: 1, bags: { count: 3, weightKg: 55 } });
  });

  it('reconciles the bags against the people: loaded with the boarded, off with the offloaded, waiting with the rest', () => {
    const list = flightList().map((p) => (p.id === 'O1' ? { ...p, bags: { count: 2, weightKg: 31 } } : p));
    const { bagReconciliation: bags } = headcount(list);
    expect(bags.ofBoarded).toEqual({ count: 2, weightKg: 40 });
    expect(bags.ofNotBoarded).toEqual({ count: 1, weightKg: 15 });
    expect(bags.ofOffloaded).toEqual({ count: 2, weightKg: 31 });
    expect(bags.toTakeOff.map((p) => p.id)).toEqual(['O1']);
  });

  it('lists who the gate is still waiting for in seat order, unseated last', () => {
    expect(headcount(flightList()).notYetBoarded.map((p) => p.id)).toEqual(['J2', 'C1', 'S1']);
  });

  it('leaves out cabins with neither passengers nor seats, and capacity without a seat map', () => {
    const h = headcount([checkedIn({ cabin: 'Y', seat: '10A' })]);
    expect(h.cabins.map((c) => [c.cabin, c.capacity])).toEqual([['Y', null]]);
  });

  it('is all zeros for an empty flight', () => {
    const h = headcount([]);
    expect(h.total).toEqual({ booked: 0, checkedIn: 0, boarded: 0, notBoarded: 0 });
    expect(h.notYetBoarded).toEqual([]);
  });
});

describe('flight figures (departures board, flight header)', () => {
  it('are the headcount’s figures, so no screen disagrees with the gate, close-out or the documents', () => {
    const list = flightList();
    const h = headcount(list);
    expect(flightFigures(list)).toEqual({
      booked: h.total.booked,
      checkedIn: h.total.checkedIn,
      boarded: h.total.boarded,
      awaitingCheckIn: 1,
      infants: h.infants.booked,
      soulsOnBoard: h.soulsOnBoard,
      standby: h.standby,
      offloaded: h.offloaded,
      noShow: h.noShow,
      attention: 0,
    });
    expect(flightFigures(list)).toMatchObject({ booked: 8, checkedIn: 5, boarded: 2, soulsOnBoard: 3, offloaded: 1, noShow: 1 });
  });
});

describe('list orders', () => {
  it('walks the cabin by row and letter and puts each lap infant right after their adult, unseated passengers last by name', () => {
    expect(inSeatOrder(flightList()).map((p) => p.id)).toEqual(['J1', 'J2', 'C1', 'A1', 'I1', 'B1', 'N1', 'O1', 'S1']);
  });

  it('sorts alphabetically by last then first name', () => {
    expect(inNameOrder(flightList()).map((p) => p.lastName)).toEqual([
      'ADAMS',
      'BOOKED',
      'BROWN',
      'BROWN',
      'NOSHOW',
      'OFFLOADED',
      'STANDBY',
      'YOUNG',
      'ZED',
    ]);
  });
});
