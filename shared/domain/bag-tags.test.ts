import { describe, expect, it } from 'vitest';
import { passenger } from '../../tests/support/fixtures';
import {
  allocatePlates,
  bagsOfPieces,
  heldLease,
  licencePlate,
  plateOf,
  platesLeft,
  rampCheck,
  readPlate,
  unionBags,
  type HeldTagLease,
} from './bag-tags';
import { Bags } from './schemas';

const lease = (id: string, from: number, to: number, next = from, carrier = 'BQ'): HeldTagLease => ({
  id,
  deviceId: 'D1',
  carrier,
  airlineCode: '934',
  from,
  to,
  next,
});

describe('licence plates (IATA Resolution 740)', () => {
  it('are ten digits: 1 for a fallback tag, the airline code, a six-digit serial', () => {
    expect(licencePlate('934', 123)).toBe('1934000123');
    expect(readPlate('1934000123')).toEqual({ fallback: true, airlineCode: '934', serial: 123 });
    expect(readPlate('0934999999')).toEqual({ fallback: false, airlineCode: '934', serial: 999_999 });
    expect(readPlate('193400012')).toBeNull();
    expect(() => licencePlate('934', 1_000_000)).toThrow();
    expect(() => licencePlate('93', 1)).toThrow();
  });
});

describe('allocating plates from a desk’s leases', () => {
  it('takes the lowest unused serials in lease order and says how far each lease got', () => {
    const leases = [lease('b', 500, 501), lease('a', 100, 102, 101)];
    const got = allocatePlates(leases, 'BQ', 3, new Set());
    expect(got?.plates).toEqual(['1934000101', '1934000102', '1934000500']);
    expect(got && Object.fromEntries(got.next)).toEqual({ a: 103, b: 501 });
  });

  it('skips a plate already on a bag of the flight, and refuses when the leases cannot cover the bags', () => {
    const got = allocatePlates([lease('a', 1, 3)], 'BQ', 2, new Set(['1934000001']));
    expect(got?.plates).toEqual(['1934000002', '1934000003']);
    expect(allocatePlates([lease('a', 1, 3)], 'BQ', 4, new Set())).toBeNull();
    expect(allocatePlates([lease('a', 1, 3, 1, 'XX')], 'BQ', 1, new Set())).toBeNull();
    expect(platesLeft([lease('a', 1, 3, 2), lease('x', 1, 9, 1, 'XX')], 'BQ')).toBe(2);
  });

  it('never hands out the same plate from two desks whose leases do not overlap', () => {
    const deskA = [lease('A1', 0, 249)];
    const deskB = [lease('B1', 250, 499)];
    const a = allocatePlates(deskA, 'BQ', 200, new Set())!.plates;
    const b = allocatePlates(deskB, 'BQ', 200, new Set())!.plates;
    expect(new Set([...a, ...b]).size).toBe(400);
  });
});

describe('a lease as it comes again from the backend', () => {
  const sent = { id: 'a', deviceId: 'D1', carrier: 'BQ', airlineCode: '934', from: 100, to: 349 };

  it('keeps how far this desk has printed from it, and never moves back over what the backend saw it use', () => {
    expect(heldLease(sent, undefined).next).toBe(100);
    expect(heldLease(sent, { next: 140 }).next).toBe(140);
    // A desk that lost its local copy: the backend saw serials up to 120 on its check-ins.
    expect(heldLease({ ...sent, usedTo: 120 }, undefined).next).toBe(121);
    // Printed further offline than the backend has seen yet: its own count stands.
    expect(heldLease({ ...sent, usedTo: 120 }, { next: 180 }).next).toBe(180);
  });
});

describe('bags of a passenger accepted at two desks', () => {
  const piece = (tag: string, weightKg: number) => ({ tag, weightKg, destination: 'JFK' });

  it('keeps every tag either desk printed, once', () => {
    const a = bagsOfPieces([piece('1934000001', 20), piece('1934000002', 18)]);
    const b = bagsOfPieces([piece('1934000002', 18), piece('1934000300', 23)]);
    const u = unionBags(a, [b]);
    expect(u).toEqual({ count: 3, weightKg: 61, pieces: [piece('1934000001', 20), piece('1934000002', 18), piece('1934000300', 23)] });
    expect(Bags.safeParse(u).success).toBe(true);
    expect(unionBags(a, [a])).toBe(a);
  });

  it('adds tagged pieces to bags the DCS counted without their tags', () => {
    const dcs = { count: 2, weightKg: 40 };
    expect(unionBags(dcs, [bagsOfPieces([piece('1934000001', 20)])])).toEqual({
      count: 3,
      weightKg: 60,
      pieces: [piece('1934000001', 20)],
    });
  });
});

describe('the ramp’s loaded bags against the people, after an offload', () => {
  const piece = (tag: string) => ({ tag, weightKg: 20, destination: 'MAD' });
  const anna = passenger({ id: 'A', lastName: 'ANNA', status: 'boarded', bags: bagsOfPieces([piece('1934000001'), piece('1934000002')]) });
  // Offloaded after her bag went into the hold.
  const ben = passenger({ id: 'B', lastName: 'BEN', status: 'offloaded', bags: bagsOfPieces([piece('1934000003')]) });
  const cleo = passenger({ id: 'C', lastName: 'CLEO', status: 'checked-in', bags: bagsOfPieces([piece('0934000004')]) });
  // The DCS counted his bag without telling us its tag.
  const dan = passenger({ id: 'D', lastName: 'DAN', status: 'boarded', bags: { count: 1, weightKg: 15 } });
  const flight = [anna, ben, cleo, dan];

  it('finds the offloaded passenger’s bag and the one of a passenger not on board, a stranger, and a bag not loaded', () => {
    const loaded = ['1934000001', '1934000003', '0934000004', '1934999999', '1934000001'];
    const r = rampCheck(flight, loaded);
    expect(r.ok).toEqual(['1934000001']);
    expect(r.takeOff.map((x) => [x.tag, x.passenger.id, x.why])).toEqual([
      ['1934000003', 'B', 'offloaded'],
      ['0934000004', 'C', 'not-boarded'],
    ]);
    expect(r.unknown).toEqual(['1934999999']);
    expect(r.missing.map((x) => [x.tag, x.passenger.id])).toEqual([['1934000002', 'A']]);
    expect(r.untagged).toBe(1);
    expect(r.agrees).toBe(false);
  });

  it('agrees once the bags of people not on board are off and every boarded passenger’s tagged bag is in', () => {
    expect(rampCheck(flight, ['1934000002', '1934000001']).agrees).toBe(true);
    // The passenger not yet boarded boards: their bag may stay.
    const boardedNow = flight.map((p) => (p.id === 'C' ? { ...p, status: 'boarded' as const } : p));
    expect(rampCheck(boardedNow, ['1934000001', '1934000002', '0934000004']).agrees).toBe(true);
    expect(rampCheck(boardedNow, ['1934000001', '1934000002']).missing.map((x) => x.tag)).toEqual(['0934000004']);
  });

  it('reads a tag as scanned or typed', () => {
    expect(plateOf('1934 000123')).toBe('1934000123');
    expect(plateOf(' 1934000123 ')).toBe('1934000123');
    expect(plateOf('193400012')).toBeNull();
    expect(plateOf('M1SMITH/JOHN')).toBeNull();
  });
});
