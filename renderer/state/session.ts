/** Who is signed in at this workstation, and when they last did something (for the inactivity lock). */
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
