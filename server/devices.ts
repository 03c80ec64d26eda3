/**
 * Workstation enrolment and bearer-token authentication. A token is 32 random bytes shown once, at
 * enrolment; only its SHA-256 is stored, so a copy of the database does not let anyone sync.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db/database';

export interface Device {
  id: string;
  name: string;
  station: string;
  lastSeq: number;
}

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
  private readonly insert: Statement<[string, string, string, string, string]>;
  private readonly byTokenHash: Statement<[string], Device>;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO device (id, name, station, token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)');
    this.byTokenHash = db.prepare('SELECT id, name, station, last_seq AS lastSeq FROM device WHERE token_hash = ?');
  }

  enrol(name: string, station: string, nowIso: string): { deviceId: string; token: string } {
    const deviceId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    this.insert.run(deviceId, name, station, hashToken(token), nowIso);
    return { deviceId, token };
  }

  /** The device a bearer token belongs to, or null. */
  authenticate(token: string): Device | null {
    return this.byTokenHash.get(hashToken(token)) ?? null;
  }
}
