/**
 * Who is signed in at this workstation, and when they last did something (for the inactivity lock).
 * UI state only. Its writers live here, named for what happened; nothing else sets it.
 */
import { create } from 'zustand';
import type { StaffRole } from '../../shared/domain/schemas';

export interface SignedIn {
  id: string;
  name: string;
  role: StaffRole;
  at: string;
}

export interface SessionStore {
  staff: SignedIn | null;
  locked: boolean;
  /** Milliseconds on the app's clock; set at sign-in and on every input. */
  lastActivity: number;
}

export const useSession = create<SessionStore>(() => ({ staff: null, locked: false, lastActivity: 0 }));

export function signedIn(staff: SignedIn, atMs: number): void {
  useSession.setState({ staff, locked: false, lastActivity: atMs });
}

/** A session saved before a reload comes back as it was: signed in, locked or not. */
export function resumed(staff: SignedIn, lastActivity: number, locked: boolean): void {
  useSession.setState({ staff, locked, lastActivity });
}

export function signedOut(): void {
  useSession.setState({ staff: null, locked: false });
}

export function unlocked(atMs: number): void {
  useSession.setState({ locked: false, lastActivity: atMs });
}

/** Input arrived (a key, a tap, a scroll). */
export function touched(atMs: number): void {
  useSession.setState({ lastActivity: atMs });
}

/** Locks the screen if someone is signed in and nothing happened for `afterMs`. */
export function lockIfIdle(nowMs: number, afterMs: number): void {
  const { staff, locked, lastActivity } = useSession.getState();
  if (staff && !locked && nowMs - lastActivity > afterMs) useSession.setState({ locked: true });
}
