/** Demo staff of the station: agents and supervisors with salted PBKDF2 credentials for offline sign-in. */
import type { Staff } from '../../shared/domain/schemas';
import { DEFAULT_PBKDF2_ITERATIONS, hashPin } from '../credentials';

export interface DemoLogin {
  staffId: string;
  pin: string;
  role: Staff['role'];
  name: string;
}

export const DEMO_STAFF: readonly (DemoLogin & { active: boolean })[] = [
  { staffId: 'AG1001', pin: '1234', role: 'agent', name: 'Priya Shah', active: true },
  { staffId: 'AG1002', pin: '1234', role: 'agent', name: 'Tom Okafor', active: true },
  { staffId: 'AG1003', pin: '1234', role: 'agent', name: 'Marta Costa', active: true },
  { staffId: 'AG1004', pin: '1234', role: 'agent', name: 'James Whitfield', active: true },
  { staffId: 'SU9001', pin: '9999', role: 'supervisor', name: 'Helen Moore', active: true },
  { staffId: 'SU9002', pin: '9999', role: 'supervisor', name: 'Daniel Novak', active: true },
  { staffId: 'AG1099', pin: '1234', role: 'agent', name: 'Chris Former', active: false },
];

/** Who checks in and boards passengers in the demo data. */
export const AGENT_IDS = DEMO_STAFF.filter((s) => s.role === 'agent' && s.active).map((s) => s.staffId);

export async function demoStaff(station: string, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<{ staff: Staff[]; logins: DemoLogin[] }> {
  const staff = await Promise.all(
    DEMO_STAFF.map(async (s): Promise<Staff> => ({
      id: s.staffId,
      name: s.name,
      role: s.role,
      station,
      active: s.active,
      credential: await hashPin(s.pin, iterations),
    })),
  );
  const logins = DEMO_STAFF.filter((s) => s.active).map(({ staffId, pin, role, name }) => ({ staffId, pin, role, name }));
  return { staff, logins };
}
