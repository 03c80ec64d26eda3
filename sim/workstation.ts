/**
 * One simulated workstation: its local database (fake-indexeddb, kept in a factory of its own that
 * outlives the process, like a disk), its sync engine on the simulated clock (shifted by the
 * workstation's clock skew) and its transport over the simulated network.
 *
 * Faults at the workstation:
 * - killed mid-transaction: after a given number of database operations every further operation
 *   fails, so the transaction in progress rolls back, nothing of the process runs on, and a restart
 *   opens the same database again (what was committed is all there is);
 * - storage quota: every write fails with QuotaExceededError while the disk is full.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { DBCore, DBCoreTable } from 'dexie';
import type { Clock } from '../shared/clock';
import type { StaffRole } from '../shared/domain/schemas';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from '../renderer/sync/engine';
import { readEnrolment } from '../renderer/db/enrolment';
import { openDatabase, type BackstopDB } from '../renderer/db/schema';
import { perform } from '../renderer/db/write-path';
import { DEMO_AGENT_PIN, DEMO_SUPERVISOR_PIN } from '../server/demo/staff';
import { OFFLINE_SIGN_IN_MS, STAFF_SESSION_MS } from '../shared/domain/identity';
import type { SeededRandom } from '../tests/support/random';
import { SIM_ENROLMENT_KEY, SIM_STATION } from './backend';
import { SimTransport, type SimNetwork } from './network';
import { ScopedTimers, type SimScheduler } from './scheduler';

export type WorkstationRole = 'desk' | 'gate' | 'desk+gate';

export interface WorkstationSpec {
  name: string;
  role: WorkstationRole;
  /** The agent signed in at this workstation. */
  staffId: string;
}

export interface Session {
  staffId: string;
  role: StaffRole;
  /** The sign-in the action is taken under (its staff.signIn action's id). */
  signInId?: string;
}

/** A sign-in is renewed this long before it would run out (an agent signs in again at a break). */
const RENEW_BEFORE_MS = 30 * 60_000;

export class SimWorkstation {
  /** The workstation's disk: survives the process. */
  private readonly factory = new IDBFactory();
  db!: BackstopDB;
  engine!: SyncEngine;
  transport!: SimTransport;
  private timers!: ScopedTimers;
  alive = false;
  /** Database operations left before the process dies (a kill armed mid-work), or null. */
  private killAfterOps: number | null = null;
  quotaFull = false;
  /** Clock skew of this machine (ms, + = ahead). */
  skewMs = 0;
  restarts = 0;
  /** Sign-ins recorded here (staff.signIn actions). */
  signInCount = 0;
  /** Called when the process dies (so the simulation can restart it later). */
  onDeath: (ws: SimWorkstation) => void = () => {};
  readonly clock: Clock;
  /** Who is signed in here, and under which sign-in (lost with the process). */
  private readonly signIns = new Map<string, { id: string; atMs: number; online: boolean }>();

  constructor(
    readonly spec: WorkstationSpec,
    private readonly scheduler: SimScheduler,
    private readonly net: SimNetwork,
    private readonly random: SeededRandom,
  ) {
    this.clock = () => new Date(this.scheduler.nowMs() + this.skewMs);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Starts (or restarts) the process from what its disk holds. */
  async boot(): Promise<void> {
    this.db = openDatabase(`backstop-${this.spec.name}`, { indexedDB: this.factory, IDBKeyRange });
    this.db.use({ stack: 'dbcore', name: 'sim-faults', create: (down) => this.faulty(down) });
    await this.db.open();
    this.timers = new ScopedTimers(this.scheduler);
    this.transport = new SimTransport(this.spec.name, this.net);
    this.engine = new SyncEngine({
      db: this.db,
      transport: this.transport,
      config: {
        ...DEFAULT_ENGINE_CONFIG,
        station: SIM_STATION,
        workstation: this.spec.name,
        enrolmentKey: SIM_ENROLMENT_KEY,
        intervalMs: 5 * 60_000,
        retentionHours: 24,
      },
      emit: () => {},
      clock: this.clock,
      random: () => this.random.next(),
      timers: this.timers,
      estimateStorage: async () => (this.quotaFull ? { usage: 990, quota: 1000 } : { usage: 100, quota: 1000 }),
    });
    this.alive = true;
    this.killAfterOps = null;
    await this.engine.start();
  }

  /** Arms a kill: the process dies at its `ops`-th database operation from now (mid-transaction, as a rule). */
  armKill(ops: number): void {
    if (this.alive) this.killAfterOps = Math.max(1, ops);
  }

  /** The process dies now. */
  die(): void {
    if (!this.alive) return;
    this.alive = false;
    this.signIns.clear();
    this.killAfterOps = null;
    this.timers.kill();
    this.transport.kill();
    this.onDeath(this);
  }

  /**
   * A member of staff's session here, signing them in first when they are not (or their sign-in is
   * about to run out), as the sign-in screen does: online when the backend answers (it checks the
   * PIN and issues a staff session), else offline; either way a `staff.signIn` action that every
   * later action of theirs names.
   */
  async sessionFor(staffId: string, role: StaffRole): Promise<Session> {
    const now = this.scheduler.nowMs();
    const known = this.signIns.get(staffId);
    const lasts = known?.online ? STAFF_SESSION_MS : OFFLINE_SIGN_IN_MS;
    if (known && now - known.atMs < lasts - RENEW_BEFORE_MS) return { staffId, role, signInId: known.id };
    const enrolment = await readEnrolment(this.db);
    const pin = role === 'supervisor' ? DEMO_SUPERVISOR_PIN : DEMO_AGENT_PIN;
    const token = enrolment ? await this.transport.staffSession(enrolment.deviceId, staffId, pin) : null;
    const out = await perform(
      this.db,
      { staffId, role },
      { type: 'staff.signIn', args: { flightId: null, method: token ? 'online' : 'offline', ...(token ? { session: token } : {}) } },
      this.clock,
    );
    if (!out.ok) throw new Error(`sign-in not recorded: ${out.code}`);
    this.signIns.set(staffId, { id: out.mutation.id, atMs: now, online: token !== null });
    this.signInCount += 1;
    this.engine.localWrite();
    return { staffId, role, signInId: out.mutation.id };
  }

  /** A staff session token for the supervisor online, if the backend answers now (to confirm held actions). */
  async supervisorOnline(staffId: string): Promise<string | null> {
    const enrolment = await readEnrolment(this.db);
    return enrolment ? this.transport.staffSession(enrolment.deviceId, staffId, DEMO_SUPERVISOR_PIN) : null;
  }

  async restart(): Promise<void> {
    if (this.alive) return;
    this.signIns.clear();
    this.db.close();
    this.restarts += 1;
    await this.boot();
  }

  /** Whether the engine still has work in flight that is not waiting on simulated time. */
  get working(): boolean {
    return this.alive && this.engine.busy && this.transport.parked === 0;
  }

  private guard(write: boolean): Error | null {
    if (!this.alive) return new Error('the workstation process is gone');
    if (this.killAfterOps !== null) {
      this.killAfterOps -= 1;
      if (this.killAfterOps <= 0) {
        this.die();
        return new Error('the workstation process was killed');
      }
    }
    if (write && this.quotaFull) return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return null;
  }

  private faulty(down: DBCore): DBCore {
    const guard = (write: boolean) => this.guard(write);
    return {
      ...down,
      transaction: (stores, mode, options) => {
        const problem = guard(false);
        if (problem) throw problem;
        return down.transaction(stores, mode, options);
      },
      table: (name) => {
        const t = down.table(name);
        const wrapped: DBCoreTable = {
          ...t,
          mutate: (req) => {
            const problem = guard(true);
            return problem ? Promise.reject(problem) : t.mutate(req);
          },
          get: (req) => {
            const problem = guard(false);
            return problem ? Promise.reject(problem) : t.get(req);
          },
          getMany: (req) => {
            const problem = guard(false);
            return problem ? Promise.reject(problem) : t.getMany(req);
          },
          query: (req) => {
            const problem = guard(false);
            return problem ? Promise.reject(problem) : t.query(req);
          },
          openCursor: (req) => {
            const problem = guard(false);
            return problem ? Promise.reject(problem) : t.openCursor(req);
          },
          count: (req) => {
            const problem = guard(false);
            return problem ? Promise.reject(problem) : t.count(req);
          },
        };
        return wrapped;
      },
    };
  }
}
