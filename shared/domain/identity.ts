/**
 * Who did what, as the backend can check it. A workstation says which sign-in each action was taken
 * under (`signIn`: the id of that sign-in's own `staff.signIn` action, synced like any other); the
 * backend ties the action to it, to its roster and to the time window the workstation could have
 * acted in. What it cannot tie is never refused when it is a physical fact (a passenger boarded is
 * on the aircraft whoever pressed the button): it is recorded and flagged for a person. A
 * supervisor-only decision that is not a fact (reopening a flight), taken under a sign-in the backend
 * could not check (offline), is held until a supervisor confirms it online.
 */
import type { Mutation } from './mutations';

/** Why the backend doubts who did an action, or when (sent with its result, kept for a person). */
export const IDENTITY_FLAGS = [
  /** No sign-in of this workstation for this staff member covers the action. */
  'UNTIED',
  /** The action came after the sign-in it names had run out. */
  'SESSION_EXPIRED',
  /** The staff member is not (or no longer) on this station's roster, or not active. */
  'NOT_ROSTERED',
  /** A supervisor-only fact taken under an offline sign-in: recorded, a supervisor confirms it. */
  'SUPERVISOR_UNCONFIRMED',
  /** The action's time lies outside what the workstation could have done (future, or before the sync window): recorded at the backend's time instead. */
  'CLOCK_OUT_OF_WINDOW',
  /** A sign-in that claimed an online session the backend did not issue to this workstation. */
  'SESSION_UNKNOWN',
] as const;
export type IdentityFlag = (typeof IDENTITY_FLAGS)[number];

/** A workstation's clock may be this far off the backend's before an action's time is doubted. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** The longest a workstation may have been cut off: actions older than this (at push time) are out of the window. */
export const SYNC_WINDOW_MS = 72 * 3_600_000;
/** An offline sign-in covers actions for at most a long shift. */
export const OFFLINE_SIGN_IN_MS = 14 * 3_600_000;
/** An online staff session the backend issues lasts this long; unlocking with the PIN online renews it. */
export const STAFF_SESSION_MS = 4 * 3_600_000;

/** Things that physically happened at a desk or gate: recorded whatever the doubt about who did them. */
export function isPhysicalFact(m: Pick<Mutation, 'type'>): boolean {
  return [
    'passenger.checkIn',
    'passenger.board',
    'passenger.unboard',
    'passenger.offload',
    'flight.close',
    'print.logged',
    'print.cancelled',
    'staff.signIn',
    'fallback.declared',
  ].includes(m.type);
}

/** Only a supervisor may do this (the domain rules refuse anyone else). */
export function isSupervisorOnly(m: Mutation): boolean {
  switch (m.type) {
    case 'flight.reopen':
      return true;
    case 'passenger.resolve':
      return m.args.flag === 'VETTING_REVIEW';
    case 'passenger.checkIn':
      return m.args.vettingOverride !== undefined;
    case 'flight.close':
      return m.args.notBoardedReason !== undefined;
    default:
      return false;
  }
}
