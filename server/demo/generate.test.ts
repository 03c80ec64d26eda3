import { describe, expect, it } from 'vitest';
import { checkSeat, holdsSeat, isAccepted } from '../../shared/domain/rules';
import { Flight, Passenger, SeatMap, Staff, Station } from '../../shared/domain/schemas';
import { findSeat } from '../../shared/domain/seatmap';
import { verifyPin } from '../credentials';
import { createDemoData, type DemoData } from './generate';
import { SEAT_MAPS } from './seatmaps';

const NOW = new Date('2026-11-26T10:00:00.000Z');

async function data(options: Partial<Parameters<typeof createDemoData>[0]> = {}): Promise<DemoData> {
  return createDemoData({ flights: 30, seed: 7, now: NOW, pbkdf2Iterations: 10_000, ...options });
}

/** Every rule the shared domain enforces on seats and sequence numbers, over one data set. */
function expectValid(d: DemoData): void {
  Station.parse(d.station);
  const maps = new Map(d.seatMaps.map((m) => [m.id, SeatMap.parse(m)]));
  d.staff.forEach((s) => Staff.parse(s));
  const pnrOwners = new Map<string, string>();
  const tickets = new Set<string>();
  for (const { flight, passengers, nextSeq } of d.flights) {
    Flight.parse(flight);
    const map = maps.get(flight.seatMapId);
    expect(map, `seat map of ${flight.id}`).toBeDefined();
    if (!map) continue;
    const byId = new Map(passengers.map((p) => [p.id, Passenger.parse(p)]));
    const seqs = new Set<number>();
    for (const p of passengers) {
      expect(p.flightId).toBe(flight.id);
      // One passenger per seat, seat exists and is sellable, cabin, exit rows, lap infants per row side:
      // exactly what the backend would refuse when seating this passenger now.
      if (p.seat !== null) {
        expect(holdsSeat(p), `${p.id} has a seat while ${p.status}`).toBe(true);
        expect(checkSeat(map, passengers, p, p.seat), `${p.id} in ${p.seat}`).toBeNull();
        const seat = findSeat(map, p.seat);
        if (seat?.exit) {
          expect(p.paxType).toBe('ADT');
          expect(p.infantId).toBeNull();
        }
      }
      if (p.seqNo !== null) {
        expect(seqs.has(p.seqNo), `seq ${p.seqNo} twice on ${flight.id}`).toBe(false);
        seqs.add(p.seqNo);
        expect(p.seqNo).toBeLessThan(nextSeq);
      }
      if (isAccepted(p) || p.status === 'offloaded') {
        expect(p.seqNo).not.toBeNull();
        expect(p.checkedInAt).not.toBeNull();
        expect(p.docsChecked).toBe(true);
        expect(Date.parse(p.checkedInAt ?? '')).toBeLessThanOrEqual(NOW.getTime());
      } else {
        expect(p.seqNo).toBeNull();
      }
      if (p.status === 'boarded') {
        expect(p.vetting === 'cleared' || p.vetting === 'selectee').toBe(true);
        expect(p.standby).toBe(false);
        expect(p.boardedAt).not.toBeNull();
        expect(Date.parse(p.boardedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(p.checkedInAt ?? ''));
      }
      if (p.status === 'checked-in' && p.paxType !== 'INF' && !p.standby) expect(p.seat).not.toBeNull();
      if (p.vetting === 'pending') expect(isAccepted(p)).toBe(false);
      if (p.paxType === 'INF') {
        expect(p.seat).toBeNull();
        const adult = p.infantOf ? byId.get(p.infantOf) : undefined;
        expect(adult?.infantId).toBe(p.id);
        expect(adult?.status).toBe(p.status);
        expect(adult?.pnr).toBe(p.pnr);
      } else {
        expect(p.infantOf).toBeNull();
      }
      if (p.infantId) expect(byId.get(p.infantId)?.infantOf).toBe(p.id);
      const owner = pnrOwners.get(p.pnr);
      expect(owner === undefined || owner === flight.id, `PNR ${p.pnr} on two flights`).toBe(true);
      pnrOwners.set(p.pnr, flight.id);
      expect(tickets.has(p.eticket), `e-ticket ${p.eticket} twice`).toBe(false);
      tickets.add(p.eticket);
    }
    // A late watch-list hit at most once per flight; everyone else accepted is cleared or a selectee.
    expect(passengers.filter((p) => isAccepted(p) && p.vetting === 'inhibited').length).toBeLessThanOrEqual(1);
  }
}

describe('demo data', () => {
  it('satisfies the shared rules for seats, exit rows, lap infants and sequence numbers', async () => {
    expectValid(await data());
  });

  it('stays valid when a forced load oversells the aircraft', async () => {
    const d = await data({ flights: 10, paxPerFlight: 300 });
    expectValid(d);
    expect(d.flights.every((f) => f.passengers.length === 300)).toBe(true);
    expect(d.flights.every((f) => f.flight.aircraftType === 'B789')).toBe(true);
  });

  it('is the same for the same seed and different for another', async () => {
    const strip = (d: DemoData) => JSON.stringify(d.flights);
    expect(strip(await data())).toBe(strip(await data()));
    expect(strip(await data({ seed: 8 }))).not.toBe(strip(await data()));
  });

  it('spreads flights over now − 2 h … now + 36 h with states that follow the clock', async () => {
    const d = await data({ flights: 60 });
    const hours = (f: Flight) => (Date.parse(f.std) - NOW.getTime()) / 3_600_000;
    for (const { flight, passengers } of d.flights) {
      expect(hours(flight)).toBeGreaterThanOrEqual(-2);
      expect(hours(flight)).toBeLessThanOrEqual(36);
      expect(flight.carrier).toBe('BQ');
      expect(flight.origin).toBe('LHR');
      const accepted = passengers.filter(isAccepted).length;
      if (hours(flight) > 24) expect(accepted).toBe(0);
      if (flight.status === 'departed') expect(passengers.some((p) => p.status === 'booked' || p.status === 'checked-in')).toBe(false);
    }
    const statuses = new Set(d.flights.map((f) => f.flight.status));
    expect([...statuses].sort()).toEqual(['closed', 'departed', 'scheduled']);
    expect(d.flights.some((f) => f.flight.status === 'scheduled' && f.passengers.some((p) => p.status === 'boarded'))).toBe(true);
    const ids = d.flights.map((f) => `${f.flight.number}/${f.flight.date}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has adults, children, lap infants, SSRs, PNR groups and every vetting result', async () => {
    const pax = (await data()).flights.flatMap((f) => f.passengers);
    const types = new Set(pax.map((p) => p.paxType));
    expect([...types].sort()).toEqual(['ADT', 'CHD', 'INF']);
    const ssrs = new Set(pax.flatMap((p) => p.ssrs));
    for (const code of ['WCHR', 'WCHC', 'UMNR', 'BLND', 'DEAF', 'PETC', 'SVAN', 'VGML']) expect(ssrs.has(code), code).toBe(true);
    const vetting = new Set(pax.map((p) => p.vetting));
    expect([...vetting].sort()).toEqual(['cleared', 'inhibited', 'pending', 'selectee']);
    expect(pax.filter((p) => p.vetting === 'cleared').length / pax.length).toBeGreaterThan(0.9);
    const perPnr = new Map<string, number>();
    for (const p of pax) perPnr.set(p.pnr, (perPnr.get(p.pnr) ?? 0) + 1);
    expect([...perPnr.values()].some((n) => n >= 3)).toBe(true);
    expect(pax.some((p) => p.ffNumber !== null)).toBe(true);
  });

  it('builds seat maps of the real configurations', () => {
    const count = (m: SeatMap, cabin: string) =>
      m.rows.filter((r) => r.cabin === cabin).reduce((n, r) => n + r.layout.replaceAll('-', '').length, 0);
    expect(count(SEAT_MAPS.A320, 'Y')).toBe(180);
    expect([count(SEAT_MAPS.B738, 'J'), count(SEAT_MAPS.B738, 'Y')]).toEqual([12, 150]);
    expect([count(SEAT_MAPS.B789, 'J'), count(SEAT_MAPS.B789, 'W'), count(SEAT_MAPS.B789, 'Y')]).toEqual([28, 35, 216]);
    for (const m of Object.values(SEAT_MAPS)) expect(m.rows.some((r) => r.exit)).toBe(true);
  });

  it('gives staff salted PBKDF2 credentials that verify their demo PINs only', async () => {
    const d = await data({ flights: 0 });
    const agent = d.staff.find((s) => s.id === 'AG1001');
    const supervisor = d.staff.find((s) => s.id === 'SU9001');
    expect(agent?.role).toBe('agent');
    expect(supervisor?.role).toBe('supervisor');
    if (!agent?.credential || !supervisor?.credential) throw new Error('active demo staff without credentials');
    expect(await verifyPin('135790', agent.credential)).toBe(true);
    expect(await verifyPin('duty-9999', agent.credential)).toBe(false);
    expect(await verifyPin('duty-9999', supervisor.credential)).toBe(true);
    const active = d.staff.filter((s) => s.active);
    expect(new Set(active.map((s) => s.credential?.salt)).size).toBe(active.length);
    expect(JSON.stringify(d.staff)).not.toContain('"135790"');
  });

  it('sends no PIN hash of someone no longer active to any workstation', async () => {
    const d = await data({ flights: 0 });
    const former = d.staff.find((s) => s.id === 'AG1099');
    expect(former).toMatchObject({ active: false, credential: null });
    expect(() => Staff.parse({ ...former, active: true })).toThrow(/an active staff member has a credential/);
  });
});

describe('demo travel data', () => {
  it('tags checked bags with DCS plates, gives long-haul parties onward flights and APIS flights their documents', async () => {
    const data = await createDemoData({ flights: 40, seed: 7, now: new Date('2026-11-26T10:00:00.000Z'), pbkdf2Iterations: 10_000 });
    const all = data.flights.flatMap((f) => f.passengers);
    for (const p of all) Passenger.parse(p);
    const tags = all.flatMap((p) => (p.bags.pieces ?? []).map((b) => b.tag));
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.every((t) => /^0934\d{6}$/.test(t))).toBe(true);
    expect(new Set(tags).size).toBe(tags.length);
    for (const p of all) if (p.bags.pieces) expect(p.bags.pieces.reduce((n, b) => n + b.weightKg, 0)).toBe(p.bags.weightKg);
    const apis = data.flights.filter((f) => f.flight.apis);
    expect(apis.length).toBeGreaterThan(0);
    expect(apis.every((f) => ['JFK', 'BOS', 'IAD', 'ORD', 'MIA', 'LAX', 'SFO', 'YYZ', 'GRU'].includes(f.flight.destination))).toBe(true);
    for (const f of apis) for (const p of f.passengers) if (isAccepted(p)) expect(p.document?.source).toBe('dcs');
    expect(all.some((p) => p.onward && p.onward.length > 0)).toBe(true);
  });
});
