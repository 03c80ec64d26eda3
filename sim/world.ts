/**
 * The station as it physically is: passengers who turn up (or not), queue at the check-in desks,
 * get a pass, walk to the gate and through it (or are offloaded), and the agents who serve them at
 * the workstations — the way a station works, outage or not. Agents act only through the app's own
 * write path on their workstation's local database, and decide from what their screen (the local
 * copy) shows, like people do.
 *
 * The world keeps the physical truth the checks compare against: who walked through which gate and
 * is on board, and which sequence numbers were handed out on which passes. The DCS schedule moves
 * on through the backend's DCS simulator (kiosk and online check-ins, gate changes, delays, closing
 * and departing flights); the world learns of it as an omniscient observer of the backend.
 */
import { checkSeat, holdsSeat } from '../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../shared/domain/schemas';
import { seatsOf } from '../shared/domain/seatmap';
import { checkIn, openEmergencyBlock, perform, recordHandwrittenPass, type WriteOutcome } from '../renderer/db/write-path';
import type { MutationInput } from '../shared/domain/mutations';
import type { SeededRandom } from '../tests/support/random';
import type { Observer, SimBackend } from './backend';
import type { SimScheduler } from './scheduler';
import type { Session, SimWorkstation } from './workstation';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The duty supervisor, who signs in at whichever workstation needs them. */
export const SUPERVISOR_ID = 'SU9001';

/** Who acts: the workstation's own agent, or the supervisor called over. */
type Who = 'agent' | 'supervisor';

type PersonState = 'away' | 'desk' | 'pass' | 'gate' | 'aboard' | 'gone';

export interface Pass {
  seat: string | null;
  seqNo: number | null;
  infantSeqNo: number | null;
  /** When it was issued, on the issuing workstation's clock. */
  writtenAt: string;
  by: string;
}

export interface Person {
  id: string;
  flightId: string;
  infantId: string | null;
  state: PersonState;
  pass: Pass | null;
  /** Tries at a desk or gate that could not serve them (local copy without the flight, a dead workstation…). */
  tries: number;
  /** How they left, when gone. */
  why: string | null;
}

interface WorldFlight {
  id: string;
  depMs: number;
  boardingMinutes: number;
  gate: string;
  status: Flight['status'];
  planned: boolean;
  /** The gate agent closed the flight (locally). */
  gateClosed: boolean;
  departed: boolean;
  persons: Person[];
  /** Infant ids of this flight, by adult. */
  infants: Map<string, string>;
}

export interface WorldStats {
  actions: Map<string, number>;
  refusals: Map<string, number>;
  errors: Map<string, number>;
  passengers: { served: number; boarded: number; gone: number };
  /** Actions committed while the workstation could not reach the backend. */
  offline: number;
}

export interface WorldViolation {
  invariant: string;
  detail: string;
}

/** Options that shape the agents' behaviour. */
export interface AgentMix {
  /** At a gate that cannot see a passenger's check-in: board on the pass (acceptedElsewhere), enter the pass, or accept again. */
  gateUnknown: { acceptedElsewhere: number; handwritten: number; reaccept: number };
}

export const DEFAULT_MIX: AgentMix = { gateUnknown: { acceptedElsewhere: 0.5, handwritten: 0.25, reaccept: 0.25 } };

export class World {
  readonly flights = new Map<string, WorldFlight>();
  readonly persons = new Map<string, Person>();
  /** Sequence numbers handed out on passes, per flight: number → passenger. */
  readonly handedOut = new Map<string, Map<number, string>>();
  readonly violations: WorldViolation[] = [];
  readonly stats: WorldStats = {
    actions: new Map(),
    refusals: new Map(),
    errors: new Map(),
    passengers: { served: 0, boarded: 0, gone: 0 },
    offline: 0,
  };
  /** Whether a workstation can reach the backend now (set by the simulation). */
  reachable: (ws: SimWorkstation) => boolean = () => true;
  private readonly deskQueue = new Map<string, Person[]>();
  private readonly gateQueue = new Map<string, Person[]>();
  private readonly busy = new Set<string>();
  /** Async agent work in flight (the simulation waits for it before time moves on). */
  tasks = 0;
  active = false;
  dcsUp = true;
  /** Called after the backend was restored from an older copy. */
  backendRestored: () => void = () => {};
  private printJobs = 0;
  private seatMaps = new Map<string, SeatMap>();

  constructor(
    private readonly scheduler: SimScheduler,
    private readonly backend: SimBackend,
    private readonly observer: Observer,
    readonly workstations: readonly SimWorkstation[],
    private readonly random: SeededRandom,
    private readonly mix: AgentMix = DEFAULT_MIX,
  ) {
    for (const ws of workstations) {
      this.deskQueue.set(ws.name, []);
      this.gateQueue.set(ws.name, []);
    }
  }

  private now(): number {
    return this.scheduler.nowMs();
  }

  private count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  private violate(invariant: string, detail: string): void {
    this.violations.push({ invariant, detail: `${new Date(this.now()).toISOString()} ${detail}` });
  }

  /** Runs agent work as a task the simulation waits for; a workstation that dies under it is an error, not a crash. */
  private task(fn: () => Promise<void>): void {
    this.tasks += 1;
    void fn()
      .catch((error: unknown) => this.count(this.stats.errors, error instanceof Error ? error.message : String(error)))
      .finally(() => (this.tasks -= 1));
  }

  get desks(): SimWorkstation[] {
    return this.workstations.filter((w) => w.spec.role !== 'gate');
  }

  get gates(): SimWorkstation[] {
    return this.workstations.filter((w) => w.spec.role !== 'desk');
  }

  // ── the schedule ──────────────────────────────────────────────────────────────────────────────

  start(): void {
    this.active = true;
    this.tick();
  }

  stop(): void {
    this.active = false;
  }

  /** Every ten minutes: the DCS moves on, the world reads the schedule and plans the next departures. */
  private tick(): void {
    if (!this.active) return;
    this.task(async () => {
      if (this.backend.up) {
        if (this.dcsUp) this.onDcsEvents(await this.backend.dcsStep());
        await this.observer.sync();
        this.readSchedule();
      }
    });
    this.scheduler.set(() => this.tick(), 10 * MIN);
  }

  private readSchedule(): void {
    const replica = this.observer.replica;
    for (const sm of replica.of<SeatMap>('seatMap')) this.seatMaps.set(sm.id, sm);
    for (const f of replica.flights()) {
      const depMs = Date.parse(f.etd ?? f.std);
      let wf = this.flights.get(f.id);
      if (!wf) {
        const gates = this.gates;
        wf = {
          id: f.id,
          depMs,
          boardingMinutes: f.boardingMinutes,
          gate: gates[this.flights.size % gates.length]!.name,
          status: f.status,
          planned: false,
          gateClosed: false,
          departed: false,
          persons: [],
          infants: new Map(),
        };
        this.flights.set(f.id, wf);
      }
      wf.depMs = depMs;
      wf.status = f.status;
      if (f.status === 'cancelled') for (const p of wf.persons) this.leave(p, 'flight cancelled');
      if (!wf.planned && f.status === 'scheduled' && depMs - this.now() <= 3 * HOUR && depMs - this.now() > 20 * MIN) {
        this.plan(wf, replica.passengers(f.id));
      }
    }
  }

  private plan(wf: WorldFlight, passengers: Passenger[]): void {
    wf.planned = true;
    const rng = this.random;
    const boardingStart = wf.depMs - wf.boardingMinutes * MIN;
    for (const p of passengers) if (p.infantOf) wf.infants.set(p.infantOf, p.id);
    for (const p of [...passengers].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (p.paxType === 'INF') continue;
      const person: Person = { id: p.id, flightId: wf.id, infantId: p.infantId, state: 'away', pass: null, tries: 0, why: null };
      wf.persons.push(person);
      this.persons.set(p.id, person);
      switch (p.status) {
        case 'boarded':
          person.state = 'aboard';
          break;
        case 'checked-in':
          person.state = 'pass';
          person.pass = { seat: p.seat, seqNo: p.seqNo, infantSeqNo: null, writtenAt: p.checkedInAt ?? '', by: 'DCS' };
          this.noteSeq(wf.id, p.seqNo, p.id);
          this.toGateLater(person, boardingStart);
          break;
        case 'booked': {
          if (!rng.chance(0.92)) {
            person.state = 'gone';
            person.why = 'did not turn up';
            break;
          }
          const from = Math.max(this.now(), wf.depMs - 2 * HOUR);
          const to = Math.max(from + MIN, wf.depMs - 45 * MIN);
          this.scheduler.at(rng.int(from, to), () => this.arriveAtDesk(person));
          break;
        }
        default:
          person.state = 'gone';
          person.why = p.status;
      }
    }
    this.scheduler.at(boardingStart, () => this.boardingOpens(wf));
    this.scheduler.at(wf.depMs - 15 * MIN, () => this.gateCloses(wf));
    this.scheduler.at(wf.depMs + 10 * MIN, () => (wf.departed = true));
    if (rng.chance(0.15)) this.scheduler.at(rng.int(boardingStart + 5 * MIN, wf.depMs - 17 * MIN), () => this.offloadSomeone(wf));
    if (rng.chance(0.05)) this.scheduler.at(rng.int(boardingStart + 5 * MIN, wf.depMs - 17 * MIN), () => this.unboardSomeone(wf));
  }

  private noteSeq(flightId: string, seqNo: number | null, passengerId: string): void {
    if (seqNo === null) return;
    let map = this.handedOut.get(flightId);
    if (!map) this.handedOut.set(flightId, (map = new Map<number, string>()));
    const holder = map.get(seqNo);
    if (holder !== undefined && holder !== passengerId) {
      this.violate('seq-unique', `${flightId}: sequence number ${seqNo} handed out to ${holder} and to ${passengerId}`);
    }
    map.set(seqNo, passengerId);
  }

  private leave(person: Person, why: string): void {
    if (person.state === 'gone' || person.state === 'aboard') return;
    person.state = 'gone';
    person.why = why;
    this.stats.passengers.gone += 1;
  }

  private onDcsEvents(events: { kind: string; flightId: string; passengerId?: string }[]): void {
    for (const e of events) {
      const person = e.passengerId ? this.persons.get(e.passengerId) : undefined;
      if (!person) continue;
      if (e.kind === 'bookingCancelled' && person.state === 'away') this.leave(person, 'cancelled the booking');
      if (e.kind === 'checkIn' && person.state === 'away') {
        // Checked in online or at a kiosk: the pass is on their phone; they go straight to the gate.
        const p = this.observer.replica.passengers(person.flightId).find((x) => x.id === person.id);
        if (!p) continue;
        person.state = 'pass';
        person.pass = { seat: p.seat, seqNo: p.seqNo, infantSeqNo: null, writtenAt: p.checkedInAt ?? '', by: 'DCS' };
        const wf = this.flights.get(person.flightId);
        if (wf) this.toGateLater(person, wf.depMs - wf.boardingMinutes * MIN);
      }
    }
  }

  /** A passenger with a pass walks to the gate some time after boarding opens (a few arrive late). */
  private toGateLater(person: Person, boardingStart: number): void {
    const wf = this.flights.get(person.flightId)!;
    const rng = this.random;
    const late = rng.chance(0.03);
    const from = Math.max(this.now() + 5 * MIN, boardingStart);
    const to = Math.max(from + MIN, wf.depMs - 17 * MIN);
    const at = late ? rng.int(wf.depMs - 14 * MIN, wf.depMs - 6 * MIN) : rng.int(from, to);
    this.scheduler.at(Math.max(at, this.now() + MIN), () => this.arriveAtGate(person));
  }

  // ── check-in desks ──────────────────────────────────────────────────────────────────────────

  private arriveAtDesk(person: Person): void {
    if (!this.active || person.state !== 'away') return;
    const desks = this.desks.filter((d) => d.alive);
    if (desks.length === 0) {
      this.scheduler.set(() => this.arriveAtDesk(person), 5 * MIN);
      return;
    }
    person.state = 'desk';
    const desk = this.random.pick(desks);
    this.deskQueue.get(desk.name)!.push(person);
    this.serveNext(desk, 'desk');
  }

  private serveNext(ws: SimWorkstation, kind: 'desk' | 'gate'): void {
    const key = `${kind}:${ws.name}`;
    if (!this.active || this.busy.has(key)) return;
    const queue = (kind === 'desk' ? this.deskQueue : this.gateQueue).get(ws.name)!;
    const person = queue.shift();
    if (!person) return;
    this.busy.add(key);
    const rng = this.random;
    const serviceMs = kind === 'desk' ? rng.int(60_000, 150_000) : rng.int(8_000, 20_000);
    this.task(async () => {
      try {
        if (kind === 'desk') await this.serveAtDesk(ws, person);
        else await this.serveAtGate(ws, person);
      } finally {
        this.scheduler.set(() => {
          this.busy.delete(key);
          this.serveNext(ws, kind);
        }, serviceMs);
      }
    });
  }

  /** The passenger comes back later, to another desk or gate. */
  private retry(person: Person, kind: 'desk' | 'gate', why: string): void {
    person.tries += 1;
    const wf = this.flights.get(person.flightId)!;
    if (person.tries > 8 || this.now() > wf.depMs - 16 * MIN) {
      this.leave(person, `could not be served: ${why}`);
      return;
    }
    if (kind === 'desk') {
      person.state = 'away';
      this.scheduler.set(() => this.arriveAtDesk(person), 4 * MIN);
    } else {
      this.scheduler.set(() => this.arriveAtGate(person), 2 * MIN);
    }
  }

  /** The agent's (or the supervisor's) session at this workstation: signed in first when they are not yet. */
  private session(ws: SimWorkstation, who: Who): Promise<Session> {
    return who === 'agent' ? ws.sessionFor(ws.spec.staffId, 'agent') : ws.sessionFor(SUPERVISOR_ID, 'supervisor');
  }

  private async act(
    ws: SimWorkstation,
    what: string,
    run: (session: Session) => Promise<WriteOutcome>,
    who: Who = 'agent',
  ): Promise<WriteOutcome | null> {
    if (!ws.alive) return null;
    const offline = !this.reachable(ws);
    let out: WriteOutcome;
    try {
      out = await run(await this.session(ws, who));
    } catch (error) {
      this.count(this.stats.errors, `${what}: ${error instanceof Error ? error.name : 'error'}`);
      return null;
    }
    if (out.ok) {
      this.count(this.stats.actions, out.mutation.type);
      if (offline) this.stats.offline += 1;
      ws.engine.localWrite();
    } else {
      this.count(this.stats.refusals, `${what}: ${out.code}`);
    }
    return out;
  }

  private doPerform(ws: SimWorkstation, input: MutationInput, who: Who = 'agent') {
    return this.act(ws, input.type, (session) => perform(ws.db, session, input, ws.clock), who);
  }

  private async localView(ws: SimWorkstation, flightId: string, passengerId: string) {
    const [flight, manifest] = await Promise.all([ws.db.flights.get(flightId), ws.db.manifests.get(flightId)]);
    const seatMap = flight ? ((await ws.db.seatMaps.get(flight.seatMapId)) ?? this.seatMaps.get(flight.seatMapId)) : undefined;
    const passengers = manifest?.passengers ?? [];
    return { flight, seatMap, passengers, pax: passengers.find((p) => p.id === passengerId) };
  }

  /** The booked seat if it is free, else the next free one in walk order (what the screen offers first), or one the passenger asks for. */
  private chooseSeat(seatMap: SeatMap | undefined, passengers: readonly Passenger[], pax: Passenger): string | null {
    if (!seatMap) return null;
    if (pax.seat && checkSeat(seatMap, passengers, pax, pax.seat) === null) return pax.seat;
    const held = new Set(passengers.filter(holdsSeat).map((p) => p.seat));
    const free = seatsOf(seatMap).filter(
      (s) => s.cabin === pax.cabin && !s.blocked && !held.has(s.code) && checkSeat(seatMap, passengers, pax, s.code) === null,
    );
    if (free.length === 0) return null;
    return this.random.chance(0.6) ? free[0]!.code : this.random.pick(free).code;
  }

  private bags() {
    const count = this.random.int(0, 2);
    return { count, weightKg: count * this.random.int(12, 23) };
  }

  private async serveAtDesk(ws: SimWorkstation, person: Person): Promise<void> {
    this.stats.passengers.served += 1;
    const view = await this.localView(ws, person.flightId, person.id);
    if (!view.flight || !view.pax) return this.retry(person, 'desk', 'not in the local copy');
    if (view.flight.status !== 'scheduled') return this.leave(person, 'too late for check-in');
    let pax = view.pax;
    if (pax.status === 'booked' || pax.status === 'no-show' || pax.status === 'offloaded') {
      const out = await this.acceptAtDesk(ws, pax, view.seatMap, view.passengers);
      if (out === 'denied') return this.leave(person, 'refused at check-in');
      if (!out) return this.retry(person, 'desk', 'check-in failed');
      pax = out;
    }
    if (pax.status !== 'checked-in' && pax.status !== 'boarded') return this.retry(person, 'desk', `local status ${pax.status}`);
    // The boarding pass: what the desk shows now (a kiosk check-in known here, or the one just made).
    person.pass = { seat: pax.seat, seqNo: pax.seqNo, infantSeqNo: null, writtenAt: ws.clock().toISOString(), by: ws.name };
    if (person.infantId) {
      const local = await this.localView(ws, person.flightId, person.infantId);
      person.pass.infantSeqNo = local.pax?.seqNo ?? null;
    }
    await this.printPass(ws, person, false);
    person.state = 'pass';
    const wf = this.flights.get(person.flightId)!;
    // Now and then the passenger asks for another seat: reseat and print the pass again.
    if (pax.seat !== null && this.random.chance(0.05)) {
      const now = await this.localView(ws, person.flightId, person.id);
      const other = now.pax ? this.chooseSeat(now.seatMap, now.passengers, { ...now.pax, seat: null }) : null;
      if (other && now.pax && other !== now.pax.seat) {
        const out = await this.doPerform(ws, {
          type: 'passenger.assignSeat',
          args: { flightId: person.flightId, passengerId: person.id, seat: other },
        });
        if (out?.ok) {
          person.pass = { ...person.pass, seat: other };
          await this.printPass(ws, person, true);
        }
      }
    }
    this.toGateLater(person, wf.depMs - wf.boardingMinutes * MIN);
  }

  /** Checks a passenger in at this desk; returns the passenger as the desk now shows them, 'denied', or null. */
  private async acceptAtDesk(
    ws: SimWorkstation,
    pax: Passenger,
    seatMap: SeatMap | undefined,
    passengers: readonly Passenger[],
  ): Promise<Passenger | 'denied' | null> {
    const seat = this.chooseSeat(seatMap, passengers, pax);
    const request = {
      flightId: pax.flightId,
      passengerId: pax.id,
      seat,
      bags: this.bags(),
      docsChecked: true,
      standby: seat === null,
    };
    let out = await this.act(ws, 'passenger.checkIn', (session) => checkIn(ws.db, session, request, ws.clock));
    if (out && !out.ok && out.code === 'NO_SEQ_AVAILABLE') {
      // Lease exhausted: the supervisor opens this desk's emergency block, and the agent tries again.
      if (!ws.alive) return null;
      try {
        const opened = await openEmergencyBlock(ws.db, await this.session(ws, 'supervisor'), pax.flightId, ws.clock);
        this.count(
          opened.ok ? this.stats.actions : this.stats.refusals,
          opened.ok ? 'lease.openEmergency' : `lease.openEmergency: ${opened.code}`,
        );
      } catch (error) {
        this.count(this.stats.errors, `lease.openEmergency: ${error instanceof Error ? error.name : 'error'}`);
        return null;
      }
      out = await this.act(ws, 'passenger.checkIn', (session) => checkIn(ws.db, session, request, ws.clock));
    }
    if (out && !out.ok && out.code === 'VETTING_HOLD') {
      if (pax.vetting !== 'pending' || !this.random.chance(0.5)) return 'denied';
      out = await this.act(
        ws,
        'passenger.checkIn',
        (session) => checkIn(ws.db, session, { ...request, vettingOverride: 'Documents checked by the duty supervisor' }, ws.clock),
        'supervisor',
      );
    }
    if (!out?.ok) return null;
    if (out.mutation.type === 'passenger.checkIn') {
      this.noteSeq(pax.flightId, out.mutation.args.seqNo, pax.id);
      if (pax.infantId) this.noteSeq(pax.flightId, out.mutation.args.infantSeqNo, pax.infantId);
    }
    return out.passengers.find((p) => p.id === pax.id) ?? null;
  }

  private async printPass(ws: SimWorkstation, person: Person, reprint: boolean): Promise<void> {
    this.printJobs += 1;
    await this.doPerform(ws, {
      type: 'print.logged',
      args: {
        printJobId: `SIM-${ws.name}-${this.printJobs}`,
        document: 'boarding-pass',
        flightId: person.flightId,
        passengerId: person.id,
        copies: 1,
        destination: `${ws.name} ATB`,
        reprint,
        seat: person.pass?.seat ?? null,
        seqNo: person.pass?.seqNo ?? null,
      },
    });
  }

  // ── the gate ────────────────────────────────────────────────────────────────────────────────

  private boardingOpens(wf: WorldFlight): void {
    const now = this.now();
    const start = wf.depMs - wf.boardingMinutes * MIN;
    // The DCS delayed the flight: boarding opens later.
    if (start > now + MIN) this.scheduler.at(start, () => this.boardingOpens(wf));
  }

  private gateWorkstation(wf: WorldFlight): SimWorkstation | null {
    const own = this.workstations.find((w) => w.name === wf.gate);
    if (own?.alive) return own;
    // The gate's workstation is down: the agent uses another one.
    return this.gates.find((w) => w.alive) ?? this.workstations.find((w) => w.alive) ?? null;
  }

  private arriveAtGate(person: Person): void {
    if (!this.active || (person.state !== 'pass' && person.state !== 'gate')) return;
    const wf = this.flights.get(person.flightId)!;
    if (wf.departed) return this.leave(person, 'missed the flight');
    if (this.now() < wf.depMs - wf.boardingMinutes * MIN) {
      this.scheduler.at(wf.depMs - wf.boardingMinutes * MIN + this.random.int(0, 10 * MIN), () => this.arriveAtGate(person));
      return;
    }
    const ws = this.gateWorkstation(wf);
    if (!ws) return this.retry(person, 'gate', 'no workstation running');
    person.state = 'gate';
    this.gateQueue.get(ws.name)!.push(person);
    this.serveNext(ws, 'gate');
  }

  private async serveAtGate(ws: SimWorkstation, person: Person): Promise<void> {
    if (person.state !== 'gate') return;
    const wf = this.flights.get(person.flightId)!;
    const view = await this.localView(ws, person.flightId, person.id);
    if (!view.flight || !view.pax) return this.retry(person, 'gate', 'not in the local copy');
    if (view.flight.status === 'closed') {
      // Late at the gate: a supervisor reopens for them now and then, while there is time.
      if (wf.depMs - this.now() < 8 * MIN || !this.random.chance(0.5)) return this.leave(person, 'gate closed');
      const reopened = await this.doPerform(
        ws,
        { type: 'flight.reopen', args: { flightId: wf.id, reason: 'Late passenger at the gate' } },
        'supervisor',
      );
      if (!reopened?.ok) return this.leave(person, 'gate closed');
      const boarded = await this.board(ws, person);
      await this.close(ws, wf);
      if (!boarded) return this.leave(person, 'gate closed');
      return;
    }
    if (view.flight.status !== 'scheduled') return this.leave(person, `flight ${view.flight.status}`);
    const ok = await this.board(ws, person);
    if (!ok && person.state === 'gate') this.retry(person, 'gate', 'could not board');
  }

  /** Boards the person at this gate, however the local copy knows them; true when they walked through. */
  private async board(ws: SimWorkstation, person: Person): Promise<boolean> {
    const view = await this.localView(ws, person.flightId, person.id);
    const pax = view.pax;
    if (!pax) return false;
    const through = () => {
      person.state = 'aboard';
      this.stats.passengers.boarded += 1;
      return true;
    };
    if (pax.status === 'boarded') return through();
    const seqNo = person.pass?.seqNo ?? null;
    const boardArgs = { flightId: person.flightId, passengerId: person.id, via: 'scan' as const, seqNo };
    if (pax.status === 'checked-in') {
      if (pax.standby) {
        const seat = this.chooseSeat(view.seatMap, view.passengers, { ...pax, seat: null });
        if (!seat) return false;
        const cleared = await this.doPerform(ws, {
          type: 'passenger.clearStandby',
          args: { flightId: person.flightId, passengerId: person.id, seat },
        });
        if (!cleared?.ok) return false;
      }
      const out = await this.doPerform(ws, { type: 'passenger.board', args: boardArgs });
      if (out?.ok || out?.duplicate) return through();
      if (out && !out.ok && out.code === 'VETTING_HOLD') this.leave(person, 'denied boarding: vetting');
      return false;
    }
    // The gate cannot see this passenger's acceptance (it happened at a desk it cannot reach).
    const mix = this.mix.gateUnknown;
    const roll = this.random.next() * (mix.acceptedElsewhere + mix.handwritten + mix.reaccept);
    if (roll < mix.acceptedElsewhere && seqNo !== null && pax.status === 'booked') {
      const out = await this.doPerform(ws, { type: 'passenger.board', args: { ...boardArgs, acceptedElsewhere: true } });
      if (out?.ok || out?.duplicate) return through();
    } else if (roll < mix.acceptedElsewhere + mix.handwritten && person.pass && seqNo !== null) {
      const pass = person.pass;
      const entered = await this.act(ws, 'passenger.checkIn', (session) =>
        recordHandwrittenPass(
          ws.db,
          session,
          {
            flightId: person.flightId,
            passengerId: person.id,
            seat: pass.seat,
            seqNo,
            infantSeqNo: person.infantId ? (pass.infantSeqNo ?? null) : null,
            bags: { count: 0, weightKg: 0 },
            docsChecked: true,
            standby: pass.seat === null,
            writtenAt: pass.writtenAt <= ws.clock().toISOString() ? pass.writtenAt : ws.clock().toISOString(),
          },
          ws.clock,
        ),
      );
      if (entered?.ok) {
        const out = await this.doPerform(ws, { type: 'passenger.board', args: boardArgs });
        if (out?.ok || out?.duplicate) return through();
      }
    } else {
      const accepted = await this.acceptAtDesk(ws, pax, view.seatMap, view.passengers);
      if (accepted && accepted !== 'denied') {
        if (accepted.standby) return false;
        person.pass = { seat: accepted.seat, seqNo: accepted.seqNo, infantSeqNo: null, writtenAt: ws.clock().toISOString(), by: ws.name };
        await this.printPass(ws, person, true);
        const out = await this.doPerform(ws, { type: 'passenger.board', args: { ...boardArgs, seqNo: accepted.seqNo } });
        if (out?.ok || out?.duplicate) return through();
      }
    }
    return false;
  }

  private gateCloses(wf: WorldFlight): void {
    if (!this.active || wf.gateClosed || wf.status === 'cancelled') return;
    // Delayed meanwhile: the gate closes later.
    if (wf.depMs - 15 * MIN > this.now() + MIN) {
      this.scheduler.at(wf.depMs - 15 * MIN, () => this.gateCloses(wf));
      return;
    }
    const ws = this.gateWorkstation(wf);
    if (!ws) return;
    wf.gateClosed = true;
    this.task(() => this.close(ws, wf));
  }

  /** The gate agent closes the flight; with accepted passengers missing, the supervisor closes with a reason. */
  private async close(ws: SimWorkstation, wf: WorldFlight): Promise<void> {
    const local = await ws.db.flights.get(wf.id);
    if (!local || local.status !== 'scheduled') return;
    const out = await this.doPerform(ws, { type: 'flight.close', args: { flightId: wf.id } });
    if (out && !out.ok && out.code === 'NOT_ALL_BOARDED') {
      await this.doPerform(
        ws,
        { type: 'flight.close', args: { flightId: wf.id, notBoardedReason: 'Did not come to the gate' } },
        'supervisor',
      );
    }
  }

  private offloadSomeone(wf: WorldFlight): void {
    if (!this.active) return;
    const aboard = wf.persons.filter((p) => p.state === 'aboard');
    const ws = this.gateWorkstation(wf);
    if (aboard.length === 0 || !ws) return;
    const person = this.random.pick(aboard);
    this.task(async () => {
      const out = await this.doPerform(ws, {
        type: 'passenger.offload',
        args: { flightId: wf.id, passengerId: person.id, reason: 'Unwell, taken off the aircraft' },
      });
      if (out?.ok) {
        person.state = 'gone';
        person.why = 'offloaded';
        this.stats.passengers.gone += 1;
      }
    });
  }

  private unboardSomeone(wf: WorldFlight): void {
    if (!this.active) return;
    const aboard = wf.persons.filter((p) => p.state === 'aboard');
    const ws = this.gateWorkstation(wf);
    if (aboard.length === 0 || !ws) return;
    const person = this.random.pick(aboard);
    this.task(async () => {
      const out = await this.doPerform(ws, {
        type: 'passenger.unboard',
        args: { flightId: wf.id, passengerId: person.id, reason: 'Wrong aircraft, back to the gate' },
      });
      if (out?.ok) {
        person.state = 'pass';
        this.scheduler.set(() => this.arriveAtGate(person), 3 * MIN);
      }
    });
  }

  // ── the truth ────────────────────────────────────────────────────────────────────────────────

  /** Who is physically on board each flight the world ran (lap infants with their adult). */
  aboard(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const wf of this.flights.values()) {
      if (!wf.planned) continue;
      const set = new Set<string>();
      for (const p of wf.persons) {
        if (p.state !== 'aboard') continue;
        set.add(p.id);
        const infant = wf.infants.get(p.id);
        if (infant) set.add(infant);
      }
      out.set(wf.id, set);
    }
    return out;
  }

  /** Passenger that would be boarded — for a lookup in reports. */
  plannedFlights(): string[] {
    return [...this.flights.values()].filter((f) => f.planned).map((f) => f.id);
  }
}
