/**
 * Workstation enrolment and bearer-token authentication. A token is 32 random bytes shown once, at
 * enrolment; only its SHA-256 is stored, so a copy of the database does not let anyone sync.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Device, Store } from './store/store';

export type { Device } from './store/store';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares secrets without leaking through timing how many leading characters matched. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export class Devices {
  constructor(private readonly store: Store) {}

  async enrol(name: string, station: string, nowIso: string): Promise<{ deviceId: string; token: string }> {
    const deviceId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.store.enrolDevice({ id: deviceId, name, station, tokenHash: hashToken(token), enrolledAt: nowIso });
    return { deviceId, token };
  }

  /** The device a bearer token belongs to, or null. */
  authenticate(token: string): Promise<Device | null> {
    return this.store.deviceByTokenHash(hashToken(token));
  }
}
