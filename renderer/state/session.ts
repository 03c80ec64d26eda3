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
  /** The id of this sign-in's own `staff.signIn` action: every action taken under it names it. */
  signInId?: string;
  /** How the PIN was checked: by the backend (online) or against the cached hash (offline). */
  method?: 'online' | 'offline';
}

/**
 * The staff session the backend issued at an online sign-in (short-lived, bound to this
 * workstation): kept in memory only, for what a supervisor confirms online (held actions).
 */
let staffSessionToken: string | null = null;

export function rememberStaffSession(token: string | null): void {
  staffSessionToken = token;
}

export function currentStaffSession(): string | null {
  return staffSessionToken;
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
  staffSessionToken = null;
  useSession.setState({ staff: null, locked: false });
}

/** Locks at once (the operating system locked or went to sleep). */
export function lockNow(): void {
  const { staff } = useSession.getState();
  if (staff) useSession.setState({ locked: true });
}

export function unlocked(atMs: number, renewed?: Pick<SignedIn, 'signInId' | 'method' | 'at'>): void {
  const { staff } = useSession.getState();
  useSession.setState({ locked: false, lastActivity: atMs, ...(staff && renewed ? { staff: { ...staff, ...renewed } } : {}) });
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
