/**
 * Server-verifiable staff identity (shared/domain/identity.ts says what it checks and why):
 * - online sign-in: the backend checks a staff member's PIN (rate-limited, persistent lockout, the
 *   same time for an unknown staff ID as for a known one) and issues a short-lived session bound to
 *   the workstation;
 * - at push time: each `staff.signIn` action is recorded (verified when it carries a session this
 *   backend issued to this workstation for this person, or one a station relay enrolled here
 *   vouched for — see `vouch`), and every other action is tied to the
 *   sign-in it names, to the station's roster and to the time window it could have happened in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock';
import {
  CLOCK_SKEW_MS,
  isPhysicalFact,
  isSupervisorOnly,
  OFFLINE_SIGN_IN_MS,
  STAFF_SESSION_MS,
  SYNC_WINDOW_MS,
  type IdentityFlag,
} from '../../shared/domain/identity';
import type { Mutation, MutationArgs } from '../../shared/domain/mutations';
import type { Credential, Staff } from '../../shared/domain/schemas';
import type { StaffSession, StaffSessionInfo } from '../../shared/protocol/v1';
import { DEFAULT_PBKDF2_ITERATIONS, verifyPin } from '../credentials';
import type { Device, Store, Tx } from '../store/store';
import { PinLockout } from './pin-lockout';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Checked when the staff ID is unknown, so that answer takes as long as a wrong PIN for a real
 * member of staff (the salt and hash are random: no PIN matches).
 */
const DECOY: Credential = {
  algorithm: 'PBKDF2-SHA256',
  iterations: DEFAULT_PBKDF2_ITERATIONS,
  salt: randomBytes(16).toString('base64'),
  hash: randomBytes(32).toString('base64'),
};

export type SignInAnswer =
  { ok: true; session: StaffSession } | { ok: false; code: 'SIGN_IN_REFUSED' } | { ok: false; code: 'SIGN_IN_LOCKED'; until: string };

/** What the backend concluded about who did an action and when. */
export interface IdentityVerdict {
  flags: IdentityFlag[];
  /** The time to record the action at: the workstation's, or the backend's when that is out of the window. */
  at: string;
  /** Hold it for a supervisor's online confirmation instead of applying it (a supervisor-only decision). */
  hold: boolean;
}

interface SignInRow {
  staffId: string;
  at: string;
  method: string;
  verified: number;
  sessionExpiresAt: string | null;
}

export class StaffIdentity {
  private readonly lockout: PinLockout;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The PIN check (PBKDF2); tests count how often it runs. */
    private readonly verify: (pin: string, credential: Credential) => Promise<boolean> = verifyPin,
  ) {
    this.lockout = new PinLockout(store.sql, clock);
  }

  /** Checks a PIN online and, when it is right, issues a session for this workstation. */
  async signIn(device: Device, staffId: string, pin: string): Promise<SignInAnswer> {
    const keys = [`staff:${staffId}`, `device:${device.id}`];
    const until = await this.lockout.lockedUntil(keys);
    if (until) return { ok: false, code: 'SIGN_IN_LOCKED', until };
    const staff = await this.store.get(device.station, 'staff', staffId);
    const usable = staff !== null && staff.active && staff.station === device.station;
    // Always one PBKDF2 run, against the decoy when there is nobody to check against.
    const right = await this.verify(pin, usable && staff.credential ? staff.credential : DECOY);
    if (!usable || !right) {
      await this.lockout.failed(keys);
      return { ok: false, code: 'SIGN_IN_REFUSED' };
    }
    await this.lockout.succeeded([`staff:${staffId}`]);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + STAFF_SESSION_MS).toISOString();
    await this.store.sql.run(
      'INSERT INTO staff_session (token_hash, device_id, staff_id, role, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [hash(token), device.id, staff.id, staff.role, now.toISOString(), expiresAt],
    );
    return {
      ok: true,
      session: { token, staff: { id: staff.id, name: staff.name, role: staff.role }, issuedAt: now.toISOString(), expiresAt },
    };
  }

  /** The live session behind a token, if this backend issued it to this workstation. */
  async session(device: Device, token: string): Promise<StaffSessionInfo | null> {
    const [row] = await this.store.sql.all<{ staffId: string; issuedAt: string; expiresAt: string }>(
      'SELECT staff_id AS "staffId", issued_at AS "issuedAt", expires_at AS "expiresAt" FROM staff_session WHERE token_hash = ? AND device_id = ?',
      [hash(token), device.id],
    );
    if (!row || row.expiresAt <= this.clock().toISOString()) return null;
    const staff = await this.store.get(device.station, 'staff', row.staffId);
    if (!staff?.active) return null;
    return { staff: { id: staff.id, name: staff.name, role: staff.role }, issuedAt: row.issuedAt, expiresAt: row.expiresAt };
  }

  /** Records that a workstation is a station relay (it enrolled as one): its word on its desks' sessions counts. */
  async registerRelay(deviceId: string, station: string): Promise<void> {
    await this.store.sql.run(
      'INSERT INTO station_relay (device_id, station, enrolled_at) VALUES (?, ?, ?) ON CONFLICT (device_id) DO NOTHING',
      [deviceId, station, this.clock().toISOString()],
    );
  }

  async isRelay(deviceId: string): Promise<boolean> {
    return (await this.store.sql.all('SELECT 1 AS one FROM station_relay WHERE device_id = ?', [deviceId])).length > 0;
  }

  /**
   * Sessions a station relay issued its desks after checking their PINs against this backend's
   * roster (it sends them before the sign-ins that name them). Each is checked again here — the
   * person on the roster, active, of the relay's station, a session no longer than this backend's,
   * not issued in the future — and kept bound to the relay, so a sign-in the relay forwards naming it
   * is verified (method 'relay'). Null: the workstation is not a station relay.
   */
  async vouch(
    device: Device,
    sessions: readonly { tokenHash: string; staffId: string; issuedAt: string; expiresAt: string }[],
  ): Promise<{ accepted: number; refused: string[] } | null> {
    if (!(await this.isRelay(device.id))) return null;
    const now = this.clock().getTime();
    let accepted = 0;
    const refused: string[] = [];
    for (const v of sessions) {
      const staff = await this.store.get(device.station, 'staff', v.staffId);
      const issued = Date.parse(v.issuedAt);
      const expires = Date.parse(v.expiresAt);
      const sane = issued <= now + CLOCK_SKEW_MS && expires > issued && expires - issued <= STAFF_SESSION_MS;
      if (!staff || !staff.active || staff.station !== device.station || !sane) {
        refused.push(v.tokenHash);
        continue;
      }
      await this.store.sql.run(
        `INSERT INTO staff_session (token_hash, device_id, staff_id, role, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (token_hash) DO NOTHING`,
        [v.tokenHash, device.id, staff.id, staff.role, v.issuedAt, v.expiresAt],
      );
      accepted++;
    }
    return { accepted, refused };
  }

  /** The session behind a sign-in's token as this backend recorded it for the workstation (tests, the relay's vouching). */
  async sessionRecord(
    deviceId: string,
    token: string,
  ): Promise<{ tokenHash: string; staffId: string; issuedAt: string; expiresAt: string } | null> {
    const tokenHash = hash(token);
    const [row] = await this.store.sql.all<{ staffId: string; issuedAt: string; expiresAt: string }>(
      'SELECT staff_id AS "staffId", issued_at AS "issuedAt", expires_at AS "expiresAt" FROM staff_session WHERE token_hash = ? AND device_id = ?',
      [tokenHash, deviceId],
    );
    return row ? { tokenHash, ...row } : null;
  }

  /** Whether this workstation ever reported a sign-in (it speaks identity and reads the verdicts). */
  async hasSignedIn(deviceId: string): Promise<boolean> {
    return (await this.store.sql.all('SELECT 1 AS one FROM staff_sign_in WHERE device_id = ? LIMIT 1', [deviceId])).length > 0;
  }

  /** Records a workstation's sign-in; an online one is verified against the session it names. */
  async recordSignIn(tx: Tx, device: Device, m: Mutation & { args: MutationArgs<'staff.signIn'> }, at: string): Promise<IdentityFlag[]> {
    let verified = false;
    let expiresAt: string | null = null;
    let method: 'online' | 'relay' = 'online';
    const flags: IdentityFlag[] = [];
    if (m.args.method === 'online' && m.args.session) {
      const [row] = await tx.sql.all<{ staffId: string; issuedAt: string; expiresAt: string }>(
        'SELECT staff_id AS "staffId", issued_at AS "issuedAt", expires_at AS "expiresAt" FROM staff_session WHERE token_hash = ? AND device_id = ?',
        [hash(m.args.session), device.id],
      );
      verified = row !== undefined && row.staffId === m.staffId && Date.parse(row.issuedAt) - CLOCK_SKEW_MS <= Date.parse(at);
      expiresAt = verified && row ? row.expiresAt : null;
      if (!verified) flags.push('SESSION_UNKNOWN');
      // A session a station relay vouched for: verified, and on record as the relay's check, not ours.
      else if ((await tx.sql.all('SELECT 1 AS one FROM station_relay WHERE device_id = ?', [device.id])).length > 0) method = 'relay';
    } else if (m.args.method === 'online') {
      flags.push('SESSION_UNKNOWN');
    }
    await tx.sql.run(
      `INSERT INTO staff_sign_in (id, device_id, staff_id, at, method, verified, session_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [m.id, device.id, m.staffId, at, verified ? method : 'offline', verified ? 1 : 0, expiresAt],
    );
    return flags;
  }

  /**
   * Ties an action to its sign-in, roster and time window. Never refuses: the caller records a
   * physical fact whatever the flags say, and holds a supervisor-only decision it cannot trust.
   */
  async check(tx: Tx, device: Device, m: Mutation, staff: Staff | null, role: Staff['role']): Promise<IdentityVerdict> {
    const flags: IdentityFlag[] = [];
    const now = this.clock().getTime();
    const at = Date.parse(m.at);
    // The window: not in the future, and not before the longest outage a workstation may ride out.
    // (Not "since this enrolment": a re-enrolled workstation sends actions it took before.)
    const earliest = now - SYNC_WINDOW_MS - CLOCK_SKEW_MS;
    let recordedAt = m.at;
    if (!(at >= earliest && at <= now + CLOCK_SKEW_MS)) {
      flags.push('CLOCK_OUT_OF_WINDOW');
      recordedAt = new Date(now).toISOString();
    }
    if (!staff || !staff.active || staff.station !== device.station) flags.push('NOT_ROSTERED');
    let onlineVerified = false;
    const signIn = m.signIn ? await this.signInRow(tx, device.id, m.signIn) : null;
    const handwritten = m.type === 'passenger.checkIn' && m.args.handwritten === true;
    if (!signIn || signIn.staffId !== m.staffId) {
      flags.push('UNTIED');
    } else {
      const from = Date.parse(signIn.at) - CLOCK_SKEW_MS;
      const to = signIn.verified
        ? Date.parse(signIn.sessionExpiresAt ?? signIn.at) + CLOCK_SKEW_MS
        : Date.parse(signIn.at) + OFFLINE_SIGN_IN_MS + CLOCK_SKEW_MS;
      // A handwritten pass is entered after the fact: it was written before this sign-in. A time
      // outside the window was replaced by the backend's: judged by that.
      const when = Date.parse(recordedAt);
      if ((!handwritten && when < from) || when > to) flags.push('SESSION_EXPIRED');
      onlineVerified = signIn.verified === 1 && !flags.includes('SESSION_EXPIRED');
    }
    let hold = false;
    if (isSupervisorOnly(m) && role === 'supervisor' && !(onlineVerified && !flags.includes('NOT_ROSTERED'))) {
      if (isPhysicalFact(m)) flags.push('SUPERVISOR_UNCONFIRMED');
      else hold = true;
    }
    return { flags, at: recordedAt, hold };
  }

  /** Keeps what a person must look at: the action, its workstation and the doubts. */
  flag(tx: Tx, device: Device, m: Mutation, flags: readonly IdentityFlag[]): void {
    if (flags.length === 0) return;
    void tx.sql.run(
      `INSERT INTO identity_flag (mutation_id, device_id, station, staff_id, type, codes, flagged_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (mutation_id) DO NOTHING`,
      [m.id, device.id, device.station, m.staffId, m.type, JSON.stringify(flags), this.clock().toISOString()],
    );
  }

  /** Holds a supervisor-only decision until a supervisor confirms it online. */
  hold(tx: Tx, device: Device, m: Mutation): void {
    void tx.sql.run(
      `INSERT INTO held_action (mutation_id, device_id, station, flight_id, staff_id, type, mutation, held_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (mutation_id) DO NOTHING`,
      [m.id, device.id, device.station, m.args.flightId, m.staffId, m.type, JSON.stringify(m), this.clock().toISOString()],
    );
  }

  private async signInRow(tx: Tx, deviceId: string, id: string): Promise<SignInRow | null> {
    const [row] = await tx.sql.all<SignInRow>(
      `SELECT staff_id AS "staffId", at, method, verified, session_expires_at AS "sessionExpiresAt"
       FROM staff_sign_in WHERE id = ? AND device_id = ?`,
      [id, deviceId],
    );
    return row ? { ...row, verified: Number(row.verified) } : null;
  }
}
