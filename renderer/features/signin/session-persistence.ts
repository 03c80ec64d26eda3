/**
 * The signed-in session survives a reload of the page (F5 by habit, a crash-reload, the browser
 * host's service worker updating the app) within the inactivity window: it is kept in this tab's
 * sessionStorage with the time of the agent's last input. A reload after the window comes back
 * locked (PIN to continue, as after inactivity); closing the tab forgets it. No PIN is ever stored.
 */
import { z } from 'zod';
import type { Clock } from '../../../shared/clock';
import { Staff, StaffRole } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { resumed, useSession, type SessionStore } from '../../state/session';
import { LOCK_AFTER_MS } from '../navigation/use-inactivity-lock';

export const SESSION_KEY = 'backstop.session';

/** Activity is written at most this often (every key press updates it in memory). */
const WRITE_EVERY_MS = 5_000;

const SavedSession = z.object({
  staff: z.object({ id: z.string().min(1), name: z.string(), role: StaffRole, at: z.string() }),
  locked: z.boolean(),
  lastActivity: z.number().finite(),
});
type SavedSession = z.infer<typeof SavedSession>;

type SessionState = Pick<SessionStore, 'staff' | 'locked' | 'lastActivity'>;

/** What a reload resumes: the saved session, locked if the agent has been away longer than the window. */
export function resumedSession(saved: unknown, now: number, lockAfterMs: number = LOCK_AFTER_MS): SessionState | null {
  const parsed = SavedSession.safeParse(saved);
  if (!parsed.success) return null;
  const s = parsed.data;
  const away = now - s.lastActivity;
  // A saved time in the future means a clock that moved: trust nothing but the PIN.
  const expired = away > lockAfterMs || away < -60_000;
  return { staff: s.staff, locked: s.locked || expired, lastActivity: s.lastActivity };
}

function read(storage: Pick<Storage, 'getItem'>): unknown {
  try {
    const text = storage.getItem(SESSION_KEY);
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/**
 * Puts the saved session back, if there is one and its staff member may still work here (the
 * last sync may have deactivated them). Call before the first render.
 */
export async function restoreSession(db: BackstopDB, station: string, clock: Clock, storage: Pick<Storage, 'getItem'>): Promise<void> {
  const saved = resumedSession(read(storage), clock().getTime());
  if (!saved?.staff) return;
  const staff = Staff.safeParse(await db.staff.get(saved.staff.id));
  if (!staff.success || !staff.data.active || staff.data.station !== station) return;
  // Locked when the page went, or away too long since: locked it stays, whatever the times say.
  resumed(saved.staff, saved.lastActivity, saved.locked);
}

/** Keeps sessionStorage in step with the session from now on; returns the unsubscribe. */
export function persistSession(storage: Pick<Storage, 'setItem' | 'removeItem'>): () => void {
  let written: SavedSession | null = null;
  const write = (state: SessionState) => {
    try {
      if (!state.staff) {
        storage.removeItem(SESSION_KEY);
        written = null;
        return;
      }
      const next: SavedSession = { staff: state.staff, locked: state.locked, lastActivity: state.lastActivity };
      const same =
        written !== null &&
        written.staff.id === next.staff.id &&
        written.staff.at === next.staff.at &&
        written.locked === next.locked &&
        next.lastActivity - written.lastActivity < WRITE_EVERY_MS;
      if (same) return;
      storage.setItem(SESSION_KEY, JSON.stringify(next));
      written = next;
    } catch {
      // Storage refused (quota, privacy mode): the session simply does not survive a reload.
    }
  };
  write(useSession.getState());
  return useSession.subscribe(write);
}
