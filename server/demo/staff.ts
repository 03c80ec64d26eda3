/** Demo staff of the station: agents and supervisors with salted PBKDF2 credentials for offline sign-in. */
import type { Staff } from '../../shared/domain/schemas';
import { pinPolicyProblem } from '../../shared/domain/pin-policy';
import { DEFAULT_PBKDF2_ITERATIONS, hashPin } from '../credentials';

export interface DemoLogin {
  staffId: string;
  pin: string;
  role: Staff['role'];
  name: string;
}

/**
 * The demo's PINs, within the default PIN policy (shared/domain/pin-policy.ts): six digits for an
 * agent, a passphrase for a supervisor. Printed in the README; never on the server's stdout.
 */
export const DEMO_AGENT_PIN = '135790';
export const DEMO_SUPERVISOR_PIN = 'duty-9999';

export const DEMO_STAFF: readonly (DemoLogin & { active: boolean })[] = [
  { staffId: 'AG1001', pin: DEMO_AGENT_PIN, role: 'agent', name: 'Priya Shah', active: true },
  { staffId: 'AG1002', pin: DEMO_AGENT_PIN, role: 'agent', name: 'Tom Okafor', active: true },
  { staffId: 'AG1003', pin: DEMO_AGENT_PIN, role: 'agent', name: 'Marta Costa', active: true },
  { staffId: 'AG1004', pin: DEMO_AGENT_PIN, role: 'agent', name: 'James Whitfield', active: true },
  { staffId: 'SU9001', pin: DEMO_SUPERVISOR_PIN, role: 'supervisor', name: 'Helen Moore', active: true },
  { staffId: 'SU9002', pin: DEMO_SUPERVISOR_PIN, role: 'supervisor', name: 'Daniel Novak', active: true },
  { staffId: 'AG1099', pin: DEMO_AGENT_PIN, role: 'agent', name: 'Chris Former', active: false },
];

/** Who checks in and boards passengers in the demo data. */
export const AGENT_IDS = DEMO_STAFF.filter((s) => s.role === 'agent' && s.active).map((s) => s.staffId);

export async function demoStaff(station: string, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<{ staff: Staff[]; logins: DemoLogin[] }> {
  for (const s of DEMO_STAFF) {
    const problem = pinPolicyProblem(s.pin, s.role);
    if (problem) throw new Error(`demo staff ${s.staffId}: ${problem}`);
  }
  const staff = await Promise.all(
    DEMO_STAFF.map(async (s): Promise<Staff> => ({
      id: s.staffId,
      name: s.name,
      role: s.role,
      station,
      active: s.active,
      credential: s.active ? await hashPin(s.pin, iterations) : null,
    })),
  );
  const logins = DEMO_STAFF.filter((s) => s.active).map(({ staffId, pin, role, name }) => ({ staffId, pin, role, name }));
  return { staff, logins };
}
