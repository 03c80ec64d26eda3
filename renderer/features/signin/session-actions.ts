/**
 * Signing in and out. A sign-in is checked by the backend when it can be reached (it answers with a
 * short-lived staff session bound to this workstation), else here against the cached hash. Either
 * way it becomes a `staff.signIn` action, audited and synced like any other, and every action taken
 * under it names it, so the backend can tie each action to a sign-in (shared/domain/identity.ts).
 *
 * Wrong PINs are counted in the local database (signin-throttle.ts: a reload resets nothing), and
 * an unknown staff ID costs the same PBKDF2 run as a wrong PIN for a real one.
 */
import type { Clock } from '../../../shared/clock';
import { Staff, type StaffRole } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { perform, recordEvent, type WriteOutcome } from '../../db/write-path';
import { lockNow, rememberStaffSession, signedIn, signedOut, unlocked, useSession } from '../../state/session';
import { signInOnline, type OnlineAnswer } from './online-signin';
import { rightPin, waitingUntil, wrongPin } from './signin-throttle';
import { DECOY_CREDENTIAL, strongEnough, verifyPin } from './verify-pin';

export type SignInResult =
  | { ok: true; method: 'online' | 'offline' }
  | { ok: false; code: 'NO_STAFF_DATA' | 'WRONG' | 'INACTIVE' | 'TOO_MANY_TRIES' | 'NOT_RECORDED' };

export interface SignInDeps {
  db: BackstopDB;
  clock: Clock;
  station: string;
  /** Where to check the PIN online; null: offline only. */
  backendUrl: string | null;
  /** The online check; replaced in tests. */
  online?: typeof signInOnline;
  /** After a sign-in action is written: nudge the sync worker. */
  written?: () => void;
}

interface Checked {
  staff: { id: string; name: string; role: StaffRole };
  method: 'online' | 'offline';
  session: string | null;
}

/** The PIN check itself: online first, then offline; null when it is wrong (or the ID unknown). */
async function check(deps: SignInDeps, staffId: string, pin: string): Promise<Checked | null | 'locked' | 'inactive'> {
  const online: OnlineAnswer = deps.backendUrl
    ? await (deps.online ?? signInOnline)(deps.db, deps.backendUrl, staffId, pin)
    : { kind: 'unavailable' };
  if (online.kind === 'signed-in') return { staff: online.session.staff, method: 'online', session: online.session.token };
  if (online.kind === 'locked') return 'locked';
  if (online.kind === 'refused') return null;
  const cached = Staff.safeParse(await deps.db.staff.get(staffId));
  const credential = cached.success ? cached.data.credential : null;
  const usable = credential !== null && strongEnough(credential);
  // Always one PBKDF2 run: against the decoy when there is no usable hash for this ID (or none at all: no longer active).
  const right = await verifyPin(pin, usable ? credential : DECOY_CREDENTIAL);
  if (!usable || !right || !cached.success) return null;
  const staff = cached.data;
  if (!staff.active || staff.station !== deps.station) return 'inactive';
  return { staff: { id: staff.id, name: staff.name, role: staff.role }, method: 'offline', session: null };
}

/** The sign-in as an action of its own, audited and synced; its id is what later actions name. */
async function recordSignIn(deps: SignInDeps, c: Checked): Promise<WriteOutcome> {
  const out = await perform(
    deps.db,
    { staffId: c.staff.id, role: c.staff.role },
    { type: 'staff.signIn', args: { flightId: null, method: c.method, ...(c.session ? { session: c.session } : {}) } },
    deps.clock,
  );
  if (out.ok) deps.written?.();
  return out;
}

export async function signIn(deps: SignInDeps, staffId: string, pin: string): Promise<SignInResult> {
  const { db, clock } = deps;
  if ((await waitingUntil(db, clock)) !== null) return { ok: false, code: 'TOO_MANY_TRIES' };
  const id = staffId.trim().toUpperCase();
  const online = deps.backendUrl !== null;
  if (!online && (await db.staff.count()) === 0) return { ok: false, code: 'NO_STAFF_DATA' };
  const checked = await check(deps, id, pin);
  if (checked === 'locked') return { ok: false, code: 'TOO_MANY_TRIES' };
  if (checked === null) {
    await wrongPin(db, clock);
    if ((await db.staff.count()) === 0) return { ok: false, code: 'NO_STAFF_DATA' };
    return { ok: false, code: 'WRONG' };
  }
  await rightPin(db);
  if (checked === 'inactive') return { ok: false, code: 'INACTIVE' };
  const recorded = await recordSignIn(deps, checked);
  if (!recorded.ok) return { ok: false, code: 'NOT_RECORDED' };
  const now = clock();
  rememberStaffSession(checked.session);
  signedIn({ ...checked.staff, at: now.toISOString(), signInId: recorded.mutation.id, method: checked.method }, now.getTime());
  return { ok: true, method: checked.method };
}

export async function signOut(db: BackstopDB, clock: Clock): Promise<void> {
  const staff = useSession.getState().staff;
  signedOut();
  if (staff) await recordEvent(db, staff.id, 'session.signOut', `${staff.name} signed out`, clock);
}

/** Unlocking is signing in again as the same person: checked the same way, and a new sign-in action. */
export async function unlock(deps: SignInDeps, pin: string): Promise<SignInResult> {
  const current = useSession.getState().staff;
  if (!current) return { ok: false, code: 'WRONG' };
  const { db, clock } = deps;
  if ((await waitingUntil(db, clock)) !== null) return { ok: false, code: 'TOO_MANY_TRIES' };
  const checked = await check(deps, current.id, pin);
  if (checked === 'locked') return { ok: false, code: 'TOO_MANY_TRIES' };
  if (checked === null) {
    await wrongPin(db, clock);
    return { ok: false, code: 'WRONG' };
  }
  await rightPin(db);
  // Deactivated while the screen was locked (the last sync said so): no way back in.
  if (checked === 'inactive') return { ok: false, code: 'INACTIVE' };
  const recorded = await recordSignIn(deps, checked);
  if (!recorded.ok) return { ok: false, code: 'NOT_RECORDED' };
  const now = clock();
  rememberStaffSession(checked.session);
  unlocked(now.getTime(), { signInId: recorded.mutation.id, method: checked.method, at: now.toISOString() });
  return { ok: true, method: checked.method };
}

/** The machine locked or went to sleep: Backstop locks too. */
export function lockForMachine(): void {
  lockNow();
}
