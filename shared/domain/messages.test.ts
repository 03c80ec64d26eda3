/**
 * The messages sent after close, read back: whatever the LDM, the PFS and the PTM say must agree
 * with the headcount of the same flight (shared/domain/headcount.ts), which every screen and
 * printout shows.
 */
import { describe, expect, it } from 'vitest';
import { sampleFlight, samplePassengers, sampleSeatMap } from '../../tests/support/sample-flight';
import { headcount } from './headcount';
import { categoryOf, DEFAULT_STANDARD_WEIGHTS, ldmText, loadFigures, parseLdm } from './load';
import { FlightMessageArgs } from './mutations';
import { parsePfs, parsePtm, pfsText, ptmText } from './messages';
import { CABINS, type Passenger } from './schemas';

const flight = sampleFlight({ status: 'closed', closedAt: '2026-11-26T14:20:00.000Z', closedBy: 'SU9001' });
const seatMap = sampleSeatMap();
/** 300 passengers in every status; some accepted on standby (go-shows), some with onward flights. */
const passengers: Passenger[] = samplePassengers(300, flight, seatMap).map((p, i) => {
  let q = p;
  if (p.status === 'boarded' && p.paxType !== 'INF' && i % 37 === 3) q = { ...q, acceptedAsStandby: true };
  if (p.status === 'boarded' && i % 11 === 5) {
    q = {
      ...q,
      onward: [{ carrier: i % 2 ? 'AA' : 'BQ', number: String(100 + (i % 3)), date: '2026-11-27', destination: 'BOS', bookingClass: 'Y' }],
    };
  }
  return q;
});
const h = headcount(passengers, seatMap);

describe('the LDM (AHM 583) read back', () => {
  const figures = loadFigures(flight, passengers, { basis: 'boarded', weights: DEFAULT_STANDARD_WEIGHTS, seatMap });
  const text = ldmText(flight, figures, { cockpit: 2, cabin: 9 });
  const ldm = parseLdm(text)!;

  it('is an LDM for the flight, its registration, its seats and crew', () => {
    expect(text.split('\n')[0]).toBe('LDM');
    expect(ldm).toMatchObject({ flight: 'BQ123', day: '26', registration: 'GBQAB', crew: { cockpit: 2, cabin: 9 } });
    expect(ldm.configuration).toEqual(h.cabins.map((c) => ({ cabin: c.cabin, seats: c.capacity })));
    // Type B: no line longer than 69 characters.
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(69);
  });

  it('agrees with the headcount: passengers on board by cabin, infants, and the bags that may fly', () => {
    const [jfk] = ldm.destinations;
    expect(ldm.destinations).toHaveLength(1);
    expect(jfk!.destination).toBe('JFK');
    expect(jfk!.male + jfk!.female + jfk!.child).toBe(h.total.boarded);
    expect(jfk!.infant).toBe(h.infants.boarded);
    expect(jfk!.child).toBe(h.children.boarded);
    for (const c of h.cabins) expect(jfk!.seatedByCabin[c.cabin]).toBe(c.boarded);
    expect(jfk!.bags).toEqual({ pieces: h.bagReconciliation.ofBoarded.count, weightKg: h.bagReconciliation.ofBoarded.weightKg });
    expect(jfk!.deadloadKg).toBe(h.bagReconciliation.ofBoarded.weightKg);
  });

  it('splits adults by title (or document), counts the unknown as male and says so', () => {
    const boardedAdults = passengers.filter((p) => p.status === 'boarded' && p.paxType === 'ADT');
    const unknown = boardedAdults.filter((p) => categoryOf(p).guessed).length;
    expect(unknown).toBeGreaterThan(0);
    expect(ldm.destinations[0]!.female).toBe(boardedAdults.filter((p) => p.title === 'MRS' || p.title === 'MS').length);
    expect(text).toContain(`SI ${unknown} ADULTS OF UNKNOWN GENDER COUNTED AS MALE`);
    const d = figures.destinations[0]!;
    const w = DEFAULT_STANDARD_WEIGHTS;
    expect(d.passengerKg).toBe(d.totals.male * w.male + d.totals.female * w.female + d.totals.child * w.child + d.totals.infant * w.infant);
  });

  it('while check-in is open, counts the accepted passengers and says the figures are preliminary', () => {
    const open = loadFigures(flight, passengers, { basis: 'accepted', weights: DEFAULT_STANDARD_WEIGHTS, seatMap });
    const read = parseLdm(ldmText(flight, open, { cockpit: 2, cabin: 9 }))!;
    expect(read.destinations[0]!.male + read.destinations[0]!.female + read.destinations[0]!.child).toBe(h.total.checkedIn);
    expect(ldmText(flight, open, { cockpit: 2, cabin: 9 })).toContain('PRELIMINARY');
  });

  it('is text a flight message may carry', () => {
    expect(FlightMessageArgs.safeParse({ flightId: flight.id, kind: 'LDM', text, to: 'LOADCONTROL' }).success).toBe(true);
  });
});

describe('the PFS read back', () => {
  const text = pfsText(flight, passengers);
  const pfs = parsePfs(text)!;

  it('gives booked and boarded by class, as the headcount counts them', () => {
    expect(pfs).not.toBeNull();
    expect(pfs).toMatchObject({ flight: 'BQ123', date: '26NOV', origin: 'LHR', destination: 'JFK' });
    for (const c of CABINS) {
      const cabin = h.cabins.find((x) => x.cabin === c);
      expect(pfs.boarded[c]).toBe(cabin?.boarded ?? 0);
      expect(pfs.booked[c]).toBe(cabin?.booked ?? 0);
    }
    expect(pfs.infants).toEqual({ booked: h.infants.booked, boarded: h.infants.boarded });
  });

  it('names every no-show, go-show and passenger who did not fly, as many as the headcount has', () => {
    const count = (list: 'NOSHO' | 'GOSHO' | 'OFFLK') => pfs.lists[list].reduce((n, x) => n + x.names.length, 0);
    expect(count('NOSHO')).toBe(h.noShow);
    expect(h.noShow).toBeGreaterThan(0);
    // The flight is closed: accepted passengers still not on board did not fly either.
    expect(count('OFFLK')).toBe(h.offloaded + h.total.notBoarded + h.infants.notBoarded);
    expect(count('GOSHO')).toBe(passengers.filter((p) => p.status === 'boarded' && p.acceptedAsStandby).length);
    expect(count('GOSHO')).toBeGreaterThan(0);
    const noShow = passengers.find((p) => p.status === 'no-show' && p.paxType !== 'INF')!;
    expect(pfs.lists.NOSHO.find((x) => x.cabin === noShow.cabin)?.names).toContain(
      `${noShow.lastName}/${noShow.firstName}${noShow.title ?? ''}`,
    );
  });

  it('refuses a PFS whose list headers and names disagree', () => {
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('NOSHO'));
    lines.splice(header + 1, 1);
    expect(parsePfs(lines.join('\n'))).toBeNull();
  });

  it('is text a flight message may carry', () => {
    expect(FlightMessageArgs.safeParse({ flightId: flight.id, kind: 'PFS', text, to: 'RES' }).success).toBe(true);
  });
});

describe('the PTM read back', () => {
  it('lists each boarded passenger with an onward flight, with their bags', () => {
    const ptm = parsePtm(ptmText(flight, passengers))!;
    const transfers = passengers.filter((p) => p.status === 'boarded' && p.onward);
    expect(transfers.length).toBeGreaterThan(0);
    expect(ptm.destination).toBe('JFK');
    expect(ptm.transfers).toHaveLength(transfers.length);
    expect(ptm.transfers.reduce((n, t) => n + t.bags, 0)).toBe(transfers.reduce((n, p) => n + p.bags.count, 0));
    expect(new Set(ptm.transfers.map((t) => t.flight))).toEqual(
      new Set(transfers.map((p) => `${p.onward![0]!.carrier}${p.onward![0]!.number}`)),
    );
  });

  it('says NIL when nobody connects', () => {
    const ptm = ptmText(
      flight,
      passengers.map(({ onward: _o, ...p }) => p),
    );
    expect(ptm).toContain('\nNIL\n');
    expect(parsePtm(ptm)?.transfers).toEqual([]);
  });
});
