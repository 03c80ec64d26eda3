/** Signing in and out against the staff records synced from the backend, audited like any action. */
import { Staff } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { recordEvent } from '../../db/write-path';
import { useSession } from '../../state/session';
import { verifyPin } from './verify-pin';

export type SignInResult = { ok: true } | { ok: false; code: 'NO_STAFF_DATA' | 'WRONG' | 'INACTIVE' };

export async function signIn(db: BackstopDB, station: string, staffId: string, pin: string): Promise<SignInResult> {
  if ((await db.staff.count()) === 0) return { ok: false, code: 'NO_STAFF_DATA' };
  const parsed = Staff.safeParse(await db.staff.get(staffId.trim().toUpperCase()));
  // Unknown ID and wrong PIN look the same to whoever is trying.
  if (!parsed.success || !(await verifyPin(pin, parsed.data.credential))) return { ok: false, code: 'WRONG' };
  const staff = parsed.data;
  if (!staff.active || staff.station !== station) return { ok: false, code: 'INACTIVE' };
  useSession.setState({ staff: { id: staff.id, name: staff.name, role: staff.role, at: new Date().toISOString() }, locked: false, lastActivity: Date.now() });
  await recordEvent(db, staff.id, 'session.signIn', `${staff.name} (${staff.role}) signed in`);
  return { ok: true };
}

export async function signOut(db: BackstopDB): Promise<void> {
  const staff = useSession.getState().staff;
  useSession.setState({ staff: null, locked: false });
  if (staff) await recordEvent(db, staff.id, 'session.signOut', `${staff.name} signed out`);
}

export async function unlock(db: BackstopDB, pin: string): Promise<boolean> {
  const current = useSession.getState().staff;
  if (!current) return false;
  const staff = Staff.safeParse(await db.staff.get(current.id));
  if (!staff.success || !(await verifyPin(pin, staff.data.credential))) return false;
  useSession.setState({ locked: false, lastActivity: Date.now() });
  return true;
}
