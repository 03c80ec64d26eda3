/**
 * One flight's passengers: PNR parties (solo, couples, families with children and lap infants,
 * unaccompanied minors, groups), names leaning towards the route, SSRs, vetting results, and how far
 * each party has got — booked, checked in, boarded, no-show — given the time to departure.
 */
import { DCS_DIGIT, licencePlate } from '../../shared/domain/bag-tags';
import type { Cabin, Flight, Passenger, PaxType, SeatMap, TravelDocument } from '../../shared/domain/schemas';
import { NAME_POOLS } from './names';
import { DEMO_AIRLINE_CODE, DEMO_CARRIER, HOUR, MINUTE, iso, type Resolved } from './options';
import { AIRPORTS, type Region } from './places';
import { Random } from './random';
import type { FlightPlan } from './schedule';
import { SeatAssigner } from './seating';
import { AGENT_IDS } from './staff';

/** Shared across flights while generating, so PNRs and ticket numbers stay unique in the data set. */
export interface Context {
  /** PNRs issued so far, as their 30-bit numbers. */
  pnrs: Set<number>;
  ticket: number;
  /** Serials of the DCS bag tags issued so far (their plates start with 0, not the fallback 1). */
  bagTag: number;
}

type GroupKind = 'solo' | 'couple' | 'family' | 'parentInfant' | 'parentChild' | 'umnr' | 'party';

const GROUP_KINDS: readonly (readonly [GroupKind, number])[] = [
  ['solo', 46],
  ['couple', 24],
  ['family', 12],
  ['parentInfant', 3],
  ['parentChild', 5],
  ['umnr', 1],
  ['party', 4],
];

const PNR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const BOOKING_CLASSES: Readonly<Record<Cabin, string>> = { F: 'FA', J: 'JCDI', W: 'WET', Y: 'YBMHKLVSNQO' };

const MEDICAL_SSRS: readonly (readonly [string, number])[] = [
  ['WCHR', 25],
  ['WCHS', 4],
  ['WCHC', 3],
  ['BLND', 2],
  ['DEAF', 2],
  ['PETC', 5],
  ['SVAN', 1.5],
  ['MEDA', 0.5],
];
const MEAL_SSRS: readonly (readonly [string, number])[] = [
  ['VGML', 30],
  ['AVML', 12],
  ['MOML', 10],
  ['KSML', 5],
  ['DBML', 5],
  ['GFML', 7],
  ['LFML', 3],
];

export class PassengerBuilder {
  private readonly seats: SeatAssigner;
  private readonly passengers: Passenger[] = [];
  private readonly groups: Passenger[][] = [];
  private readonly longHaul: boolean;
  private readonly depMs: number;
  private readonly homeRegion: Region;

  constructor(
    private readonly r: Resolved,
    private readonly ctx: Context,
    private readonly rng: Random,
    private readonly flight: Flight,
    seatMap: SeatMap,
    private readonly plan: FlightPlan,
  ) {
    this.seats = new SeatAssigner(seatMap);
    this.longHaul = plan.aircraftType === 'B789';
    this.depMs = Date.parse(flight.etd ?? flight.std);
    this.homeRegion = r.home.region;
  }

  build(): Passenger[] {
    this.book();
    this.decideStatuses();
    this.applyVettingQuotas();
    this.seatEveryone();
    this.stampTimesAndSeqs();
    this.addTravelData();
    return this.passengers;
  }

  /**
   * What the DCS also knows, from a random stream of its own (so the rest of the data set stays as
   * it was): onward flights of some long-haul parties, the tags on checked bags (DCS tags, leading
   * digit 0), and on APIS flights the documents read at check-in.
   */
  private addTravelData(): void {
    const rng = new Random(`${this.r.seed}:travel:${this.flight.id}`);
    const f = this.flight;
    const onwardTo = AIRPORTS.filter((a) => a.region === this.plan.dest.region && a.code !== f.destination && a.code !== f.origin);
    for (const group of this.groups) {
      if (this.longHaul && onwardTo.length > 0 && rng.chance(0.12)) {
        const to = rng.pick(onwardTo);
        const carrier = rng.chance(0.6) ? DEMO_CARRIER : 'AA';
        const leg = {
          carrier,
          number: String(rng.int(1000, 1999)),
          date: addDays(f.date, rng.chance(0.7) ? 0 : 1),
          destination: to.code,
          bookingClass: 'Y',
        };
        for (const p of group) p.onward = [leg];
      }
      for (const p of group) {
        const destination = p.onward?.[0]?.destination ?? f.destination;
        if (p.bags.count > 0 && p.bags.pieces === undefined && p.checkedInAt !== null) {
          const weights = splitWeight(p.bags.weightKg, p.bags.count);
          p.bags = {
            ...p.bags,
            pieces: weights.map((weightKg) => ({
              tag: licencePlate(DEMO_AIRLINE_CODE, this.nextBagTag(), DCS_DIGIT),
              weightKg,
              destination,
            })),
          };
        }
        if (f.apis && p.checkedInAt !== null && p.checkedInBy !== null && (p.status === 'checked-in' || p.status === 'boarded')) {
          p.document = demoDocument(rng, p, f.date, p.checkedInAt, p.checkedInBy);
        }
      }
    }
  }

  private nextBagTag(): number {
    this.ctx.bagTag = (this.ctx.bagTag + 1) % 1_000_000;
    return this.ctx.bagTag;
  }

  // --- booking: PNR groups until the load is reached ---

  private target(): number {
    if (this.r.paxPerFlight !== null) return this.r.paxPerFlight;
    const seats = this.seats.cabins().reduce((n, c) => n + this.seats.capacity(c), 0);
    return Math.round(seats * (0.7 + 0.28 * this.rng.next()));
  }

  private book(): void {
    const target = this.target();
    const demand = new Map<Cabin, number>();
    const infants = new Map<Cabin, number>();
    while (this.passengers.length < target) {
      const left = target - this.passengers.length;
      let kind = this.rng.weighted(GROUP_KINDS);
      let types = this.composition(kind);
      if (types.length > left) {
        kind = 'solo';
        types = ['ADT'];
      }
      const seated = types.filter((t) => t !== 'INF').length;
      let cabin = this.cabinFor(kind);
      if ((demand.get(cabin) ?? 0) + seated > this.seats.capacity(cabin)) cabin = 'Y';
      if (types.includes('INF') && (infants.get(cabin) ?? 0) >= Math.floor(this.seats.infantCapacity(cabin) / 2)) {
        types = types.filter((t) => t !== 'INF');
      }
      demand.set(cabin, (demand.get(cabin) ?? 0) + seated);
      if (types.includes('INF')) infants.set(cabin, (infants.get(cabin) ?? 0) + 1);
      this.groups.push(this.makeGroup(kind, types, cabin));
    }
  }

  private composition(kind: GroupKind): PaxType[] {
    const rng = this.rng;
    switch (kind) {
      case 'solo':
        return ['ADT'];
      case 'couple':
        return ['ADT', 'ADT'];
      case 'family': {
        const kids: PaxType[] = Array.from({ length: rng.int(1, 3) }, () => 'CHD');
        return rng.chance(0.3) ? ['ADT', 'INF', 'ADT', ...kids] : ['ADT', 'ADT', ...kids];
      }
      case 'parentInfant':
        return ['ADT', 'INF'];
      case 'parentChild':
        return ['ADT', ...Array.from({ length: rng.int(1, 2) }, (): PaxType => 'CHD')];
      case 'umnr':
        return ['CHD'];
      case 'party':
        return Array.from({ length: rng.int(5, 9) }, (): PaxType => 'ADT');
    }
  }

  private cabinFor(kind: GroupKind): Cabin {
    const cabins = this.seats.cabins();
    if (cabins.length === 1 || kind === 'umnr' || kind === 'party') return 'Y';
    // Premium cabins sell to fewer, smaller parties than their share of seats.
    const weights = cabins.map((c): readonly [Cabin, number] => {
      const share = this.seats.capacity(c);
      return [c, c === 'Y' ? share : share * (kind === 'solo' || kind === 'couple' ? 0.9 : 0.3)];
    });
    return this.rng.weighted(weights);
  }

  private makeGroup(kind: GroupKind, types: PaxType[], cabin: Cabin): Passenger[] {
    const rng = this.rng;
    const pnr = this.newPnr();
    const region = rng.chance(0.55) ? this.homeRegion : this.plan.dest.region === 'uk' ? 'europe' : this.plan.dest.region;
    const pool = NAME_POOLS[region];
    const familyName = rng.pick(pool.last);
    const sharesName = kind === 'family' || kind === 'parentInfant' || kind === 'parentChild' || (kind === 'couple' && rng.chance(0.6));
    const bookingClass = rng.chars(1, BOOKING_CLASSES[cabin]);
    const group: Passenger[] = [];
    let lastAdult: Passenger | null = null;
    for (const paxType of types) {
      const female = rng.chance(0.5);
      const id = `${this.flight.id}.${String(this.passengers.length + 1).padStart(3, '0')}`;
      this.ctx.ticket += 1;
      const p: Passenger = {
        id,
        flightId: this.flight.id,
        pnr,
        lastName: sharesName || paxType !== 'ADT' ? familyName : rng.pick(pool.last),
        firstName: rng.pick(female ? pool.female : pool.male),
        title: paxType === 'ADT' ? (female ? (rng.chance(0.5) ? 'MRS' : 'MS') : 'MR') : female ? 'MISS' : 'MSTR',
        paxType,
        infantOf: null,
        infantId: null,
        cabin,
        bookingClass,
        seat: null,
        seqNo: null,
        status: 'booked',
        standby: false,
        ssrs: [],
        bags: {
          count:
            paxType === 'INF'
              ? 0
              : rng.weighted([
                  [0, 30],
                  [1, 55],
                  [2, 15],
                ] as const),
          weightKg: 0,
        },
        eticket: `934${String(this.ctx.ticket).padStart(10, '0')}`,
        ffNumber: paxType === 'ADT' && rng.chance(0.22) ? `${DEMO_CARRIER}${rng.digits(8)}` : null,
        vetting: 'cleared',
        docsChecked: false,
        checkedInAt: null,
        checkedInBy: null,
        boardedAt: null,
        boardedBy: null,
        remark: null,
      };
      if (paxType === 'INF' && lastAdult) {
        p.infantOf = lastAdult.id;
        lastAdult.infantId = p.id;
        lastAdult.ssrs.push('INFT');
      }
      if (paxType === 'ADT') lastAdult = p;
      this.addSsrs(p, kind);
      p.vetting =
        paxType === 'INF'
          ? 'cleared'
          : rng.weighted([
              ['cleared', 97.6],
              ['selectee', 1.0],
              ['pending', 1.1],
              ['inhibited', 0.3],
            ] as const);
      group.push(p);
      this.passengers.push(p);
    }
    this.ctx.ticket += this.rng.int(1, 40);
    return group;
  }

  private newPnr(): string {
    for (;;) {
      // 32 symbols (no I, O, 0, 1, as reservation systems avoid them): six of them from 30 random bits.
      const x = Math.floor(this.rng.next() * 2 ** 30);
      if (this.ctx.pnrs.has(x)) continue;
      this.ctx.pnrs.add(x);
      let pnr = '';
      for (let i = 0, y = x; i < 6; i++, y >>>= 5) pnr += PNR_ALPHABET[y & 31];
      return pnr;
    }
  }

  private addSsrs(p: Passenger, kind: GroupKind): void {
    const rng = this.rng;
    if (kind === 'umnr') p.ssrs.push('UMNR');
    if (p.paxType === 'ADT' && rng.chance(0.045)) p.ssrs.push(rng.weighted(MEDICAL_SSRS));
    const mealChance = this.longHaul ? 0.09 : 0.03;
    if (p.paxType !== 'INF' && rng.chance(mealChance)) p.ssrs.push(rng.weighted(MEAL_SSRS));
    if (p.paxType === 'CHD' && this.longHaul && rng.chance(0.3) && !p.ssrs.some((s) => s.endsWith('ML'))) p.ssrs.push('CHML');
  }

  // --- how far each party has got, from the time to departure ---

  /** Probability that a party has checked in by now. */
  private acceptedShare(): number {
    const f = this.flight;
    if (f.status !== 'scheduled') return 0.94;
    const minutesOut = (Date.parse(f.std) - this.r.nowMs) / MINUTE;
    if (minutesOut > 24 * 60) return 0;
    if (minutesOut <= f.boardingMinutes + 15) return 0.92;
    const x = 1 - (minutesOut - f.boardingMinutes) / (24 * 60 - f.boardingMinutes);
    return 0.03 + 0.85 * x ** 1.4;
  }

  private boardedShare(): number {
    const f = this.flight;
    if (f.status !== 'scheduled') return 0.985;
    const minutesToDep = (this.depMs - this.r.nowMs) / MINUTE;
    if (minutesToDep >= f.boardingMinutes) return 0;
    return Math.min(0.97, ((f.boardingMinutes - minutesToDep) / f.boardingMinutes) * 1.15);
  }

  private decideStatuses(): void {
    const accepted = this.acceptedShare();
    const boarded = this.boardedShare();
    for (const group of this.groups) {
      const checkedIn = this.rng.chance(accepted);
      for (const p of group) {
        if (p.paxType === 'INF') continue;
        // Vetting must clear before acceptance; a held passenger stays booked.
        const held = p.vetting === 'pending' || p.vetting === 'inhibited';
        if (checkedIn && !held) {
          p.status = this.rng.chance(boarded) ? 'boarded' : 'checked-in';
          if (p.status === 'checked-in' && this.flight.status === 'departed') p.status = 'offloaded';
        } else if (this.flight.status !== 'scheduled') {
          p.status = 'no-show';
        }
      }
    }
  }

  /**
   * Every flight gets the cases agents must handle, so each can be demonstrated and drilled:
   * a selectee, a passenger waiting for vetting, an inhibited one, and on open flights one
   * accepted passenger with a late watch-list hit who must not board.
   */
  private applyVettingQuotas(): void {
    const adults = this.passengers.filter((p) => p.paxType === 'ADT' && p.infantId === null);
    if (adults.length < 10) return;
    const pick = (pred: (p: Passenger) => boolean) => {
      const candidates = adults.filter((p) => p.vetting === 'cleared' && pred(p));
      return candidates.length > 0 ? this.rng.pick(candidates) : undefined;
    };
    const has = (v: Passenger['vetting']) => adults.some((p) => p.vetting === v);
    const notAccepted = (p: Passenger) => p.status === 'booked' || p.status === 'no-show';
    if (!has('selectee')) {
      const p = pick(() => true);
      if (p) p.vetting = 'selectee';
    }
    if (!has('pending')) {
      const p = pick(notAccepted);
      if (p) p.vetting = 'pending';
    }
    if (!has('inhibited')) {
      const p = pick(notAccepted);
      if (p) p.vetting = 'inhibited';
    }
    if (this.flight.status === 'scheduled') {
      const p = pick((x) => x.status === 'checked-in');
      if (p) p.vetting = 'inhibited';
    }
  }

  // --- seats ---

  private seatEveryone(): void {
    // Accepted parties first (they chose at check-in), then bookings with an advance seat.
    const order = [...this.groups].sort((a, b) => rank(a) - rank(b));
    for (const group of order) {
      const needSeat = group.filter((p) => p.paxType !== 'INF' && this.wantsSeat(p));
      if (needSeat.length === 0) continue;
      let from = this.seats.start(needSeat[0]?.cabin ?? 'Y', this.rng);
      for (const p of needSeat) {
        const got = this.seats.assign(p, from);
        if (got) {
          p.seat = got.seat;
          from = got.at;
        } else if (p.status === 'checked-in' || p.status === 'boarded') {
          // Oversold: accepted without a seat, waiting on standby for one to free up.
          p.status = 'checked-in';
          p.standby = true;
        }
      }
    }
    for (const p of this.passengers) {
      if (p.standby && this.flight.status === 'departed') {
        p.status = 'offloaded';
        p.standby = false;
      }
    }
  }

  private wantsSeat(p: Passenger): boolean {
    if (p.status === 'checked-in' || p.status === 'boarded') return true;
    return p.status === 'booked' && this.rng.chance(0.4);
  }

  // --- check-in order, times, sequence numbers ---

  private stampTimesAndSeqs(): void {
    const f = this.flight;
    const stdMs = Date.parse(f.std);
    const opens = stdMs - 24 * HOUR;
    const closes = Math.min(this.r.nowMs, stdMs - 40 * MINUTE);
    const accepted = this.groups
      .map((group) => ({ group, at: opens + Math.floor((this.rng.next() * Math.max(1, closes - opens)) / MINUTE) * MINUTE }))
      .filter(({ group }) => group.some((p) => p.status !== 'booked' && p.status !== 'no-show'))
      .sort((a, b) => a.at - b.at);
    let seq = 1;
    const boardingOpens = this.depMs - f.boardingMinutes * MINUTE;
    const boardingEnds = Math.min(this.r.nowMs, this.depMs - 12 * MINUTE);
    for (const { group, at } of accepted) {
      const by = stdMs - at > 3 * HOUR ? 'WEB' : this.rng.chance(0.3) ? 'KIOSK' : this.rng.pick(AGENT_IDS);
      const checkedInAt = iso(at);
      for (const adult of group) {
        if (adult.paxType === 'INF' || adult.status === 'booked' || adult.status === 'no-show') continue;
        const infant = adult.infantId ? group.find((x) => x.id === adult.infantId) : undefined;
        const boardedAt =
          adult.status === 'boarded'
            ? iso(Math.max(at, boardingOpens + Math.floor(this.rng.next() * Math.max(1, boardingEnds - boardingOpens))))
            : null;
        const boardedBy = this.rng.pick(AGENT_IDS);
        for (const p of infant ? [adult, infant] : [adult]) {
          p.seqNo = seq++;
          p.checkedInAt = checkedInAt;
          p.checkedInBy = by;
          p.docsChecked = true;
          p.bags = p.paxType === 'INF' ? { count: 0, weightKg: 0 } : this.checkedBags();
          p.status = adult.status;
          p.standby = adult.standby;
          if (adult.status === 'boarded') {
            p.boardedAt = boardedAt;
            p.boardedBy = boardedBy;
          }
          if (adult.status === 'offloaded') {
            p.seat = null;
            p.remark = 'Did not board by departure';
          }
        }
      }
    }
    for (const p of this.passengers) {
      if (p.paxType === 'INF' && p.status === 'booked') {
        const adult = this.passengers.find((x) => x.id === p.infantOf);
        if (adult?.status === 'no-show') p.status = 'no-show';
      }
      if (p.status === 'no-show') p.seat = null;
    }
  }

  private checkedBags(): Passenger['bags'] {
    const count = this.rng.weighted(
      this.longHaul
        ? ([
            [0, 15],
            [1, 55],
            [2, 30],
          ] as const)
        : ([
            [0, 45],
            [1, 48],
            [2, 7],
          ] as const),
    );
    let weightKg = 0;
    for (let i = 0; i < count; i++) weightKg += this.rng.int(11, 23);
    return { count, weightKg };
  }
}

/** A total weight split evenly over `count` bags, in whole kg. */
function splitWeight(total: number, count: number): number[] {
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => base + (i < total - base * count ? 1 : 0));
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A passport as the DCS recorded it at check-in (APIS). */
function demoDocument(rng: Random, p: Passenger, flightDate: string, at: string, by: string): TravelDocument {
  const year = Number(flightDate.slice(0, 4));
  const age = p.paxType === 'INF' ? rng.int(0, 1) : p.paxType === 'CHD' ? rng.int(2, 11) : rng.int(18, 80);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  return {
    type: 'P',
    format: 'TD3',
    number: rng.digits(9),
    issuingState: 'GBR',
    nationality: 'GBR',
    lastName: p.lastName,
    firstName: p.firstName,
    birthDate: `${year - age - 1}-${month}-${day}`,
    expiryDate: `${year + rng.int(1, 9)}-${month}-${day}`,
    sex: p.title === 'MR' || p.title === 'MSTR' ? 'M' : 'F',
    source: 'dcs',
    nameMismatch: false,
    recordedAt: at,
    recordedBy: by,
  };
}

function rank(group: readonly Passenger[]): number {
  return group.some((p) => p.status === 'checked-in' || p.status === 'boarded' || p.status === 'offloaded') ? 0 : 1;
}
