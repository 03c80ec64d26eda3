/**
 * The airline's PIN policy: how long an agent's PIN and a supervisor's PIN or passphrase must be.
 * Supervisors can reopen flights and accept passengers whose vetting is pending, so theirs is longer
 * (a passphrase is welcome). Trivial PINs (one digit repeated, a run like 123456) are refused. The
 * backend checks it whenever a PIN is set; the station's policy travels to workstations with the
 * station record.
 */
import { z } from 'zod';
import type { StaffRole } from './schemas';

export const PinPolicy = z.object({
  agentMinLength: z.number().int().min(4).max(64),
  supervisorMinLength: z.number().int().min(6).max(128),
});
export type PinPolicy = z.infer<typeof PinPolicy>;

export const DEFAULT_PIN_POLICY: PinPolicy = { agentMinLength: 6, supervisorMinLength: 8 };

/**
 * The PBKDF2 iterations a workstation insists on before it trusts a cached hash: never fewer than
 * the backend hashes with by default, whatever a backend (or someone editing the local copy) sends.
 */
export const MIN_PBKDF2_ITERATIONS = 150_000;

function trivial(pin: string): boolean {
  if (/^(.)\1*$/.test(pin)) return true;
  const digits = '01234567890';
  return /^\d+$/.test(pin) && (digits.includes(pin) || [...digits].reverse().join('').includes(pin));
}

/** Why a PIN does not meet the policy for this role, or null when it does. */
export function pinPolicyProblem(pin: string, role: StaffRole, policy: PinPolicy = DEFAULT_PIN_POLICY): string | null {
  const min = role === 'supervisor' ? policy.supervisorMinLength : policy.agentMinLength;
  if (pin.length < min) return `a ${role}'s PIN needs at least ${min} characters`;
  if (role === 'agent' && !/^\d+$/.test(pin) && pin.length < 8)
    return 'an agent PIN is digits only, or a passphrase of 8 characters or more';
  if (trivial(pin)) return 'the PIN is too easy to guess (one digit repeated, or a run of digits)';
  return null;
}
