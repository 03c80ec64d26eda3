/**
 * Workstations: enrolment (with a one-time code an administrator issued, or on loopback the shared
 * demo key), bearer tokens that expire and are rotated, and revocation. A token is 32 random bytes
 * shown once; only its SHA-256 is stored, so a copy of the database does not let anyone sync. The
 * same goes for enrolment codes.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Device, Store } from './store/store';

export type { Device } from './store/store';

/** A device token works this long after it was issued; workstations rotate theirs every day. */
export const DEVICE_TOKEN_TTL_MS = 30 * 86_400_000;
/** After a rotation the old token keeps working this long, in case the answer with the new one was lost. */
export const ROTATION_GRACE_MS = 60 * 60_000;
/** An enrolment code nobody used runs out after this long unless the administrator says otherwise. */
export const DEFAULT_CODE_TTL_HOURS = 72;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares secrets without leaking through timing how many leading characters matched. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** No 0/O or 1/I: a code is read over the phone and typed from paper. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** "ENR-7Q2M-X9KD-4TPL-HW3C": 20 random characters, 100 bits. */
export function newEnrolmentCode(random: (n: number) => Buffer = randomBytes): string {
  const chars = [...random(20)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `ENR-${chars.match(/.{4}/g)!.join('-')}`;
}

/** Codes are compared without dashes, spaces or case, as a person types them. */
function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** What a one-time code enrols: a desk, or a station relay (relay/), which only an administrator's relay code may enrol. */
export type EnrolmentPurpose = 'workstation' | 'relay';

export type CodeCheck = { ok: true } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'other-station' | 'other-purpose' };

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export class Devices {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return this.clock().toISOString();
  }

  private expiry(from: Date = this.clock()): string {
    return new Date(from.getTime() + DEVICE_TOKEN_TTL_MS).toISOString();
  }

  async enrol(name: string, station: string, deviceId: string = randomUUID()): Promise<{ deviceId: string } & IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const now = this.nowIso();
    const tokenHash = hashToken(token);
    await this.store.enrolDevice({ id: deviceId, name, station, tokenHash, enrolledAt: now });
    const expiresAt = this.expiry();
    await this.store.sql.run('INSERT INTO device_token (token_hash, device_id, issued_at, expires_at) VALUES (?, ?, ?, ?)', [
      tokenHash,
      deviceId,
      now,
      expiresAt,
    ]);
    return { deviceId, token, expiresAt };
  }

  /** The device a bearer token belongs to, while the token has not run out and the device is not revoked; else null. */
  async authenticate(token: string): Promise<Device | null> {
    const tokenHash = hashToken(token);
    const [row] = await this.store.sql.all<{ deviceId: string; expiresAt: string }>(
      'SELECT device_id AS "deviceId", expires_at AS "expiresAt" FROM device_token WHERE token_hash = ?',
      [tokenHash],
    );
    if (row) {
      if (row.expiresAt <= this.nowIso() || (await this.isRevoked(row.deviceId))) return null;
      return this.byId(row.deviceId);
    }
    // A workstation enrolled before tokens expired: its one token is taken over once, with an expiry.
    const legacy = await this.store.deviceByTokenHash(tokenHash);
    if (!legacy || (await this.isRevoked(legacy.id))) return null;
    const [other] = await this.store.sql.all<{ n: number }>('SELECT count(*) AS n FROM device_token WHERE device_id = ?', [legacy.id]);
    if (Number(other?.n ?? 0) > 0) return null;
    await this.store.sql.run('INSERT INTO device_token (token_hash, device_id, issued_at, expires_at) VALUES (?, ?, ?, ?)', [
      tokenHash,
      legacy.id,
      this.nowIso(),
      this.expiry(),
    ]);
    return legacy;
  }

  async byId(deviceId: string): Promise<Device | null> {
    const [row] = await this.store.sql.all<Device>('SELECT id, name, station, last_seq AS "lastSeq" FROM device WHERE id = ?', [deviceId]);
    return row ? { ...row, lastSeq: Number(row.lastSeq) } : null;
  }

  async isRevoked(deviceId: string): Promise<boolean> {
    const rows = await this.store.sql.all('SELECT 1 AS one FROM device_revocation WHERE device_id = ?', [deviceId]);
    return rows.length > 0;
  }

  /**
   * A new token for a workstation that proved itself with `currentToken`; the old one keeps working
   * for ROTATION_GRACE_MS (the answer may be lost on the way) and then no more.
   */
  async rotate(deviceId: string, currentToken: string): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const graceEnds = new Date(now.getTime() + ROTATION_GRACE_MS).toISOString();
    await this.store.sql.run('UPDATE device_token SET expires_at = ? WHERE token_hash = ? AND device_id = ? AND expires_at > ?', [
      graceEnds,
      hashToken(currentToken),
      deviceId,
      graceEnds,
    ]);
    const expiresAt = this.expiry(now);
    await this.store.sql.run('INSERT INTO device_token (token_hash, device_id, issued_at, expires_at) VALUES (?, ?, ?, ?)', [
      hashToken(token),
      deviceId,
      now.toISOString(),
      expiresAt,
    ]);
    return { token, expiresAt };
  }

  /**
   * Whether `token` is (or was) a token of `deviceId` and the device is not revoked: the proof a
   * re-enrolling workstation gives that the sequence-number leases it asks to keep are its own. An
   * expired token still proves it; a revoked device's never does.
   */
  async owns(deviceId: string, token: string): Promise<boolean> {
    if (await this.isRevoked(deviceId)) return false;
    const tokenHash = hashToken(token);
    const rows = await this.store.sql.all('SELECT 1 AS one FROM device_token WHERE token_hash = ? AND device_id = ?', [
      tokenHash,
      deviceId,
    ]);
    if (rows.length > 0) return true;
    const legacy = await this.store.deviceByTokenHash(tokenHash);
    return legacy?.id === deviceId;
  }

  /** Revokes a workstation: its tokens stop working at once, its leases can no longer be taken over by it. */
  async revoke(deviceId: string, reason: string): Promise<boolean> {
    if (!(await this.byId(deviceId))) return false;
    await this.store.sql.run(
      'INSERT INTO device_revocation (device_id, revoked_at, reason) VALUES (?, ?, ?) ON CONFLICT (device_id) DO NOTHING',
      [deviceId, this.nowIso(), reason],
    );
    return true;
  }

  /** A one-time enrolment code for one workstation (or the station relay) of `station`, shown once; only its hash is kept. */
  async issueCode(
    station: string,
    name: string | null,
    ttlHours = DEFAULT_CODE_TTL_HOURS,
    purpose: EnrolmentPurpose = 'workstation',
  ): Promise<{ code: string; expiresAt: string; purpose: EnrolmentPurpose }> {
    const code = newEnrolmentCode();
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
    await this.store.sql.run(
      'INSERT INTO enrolment_code (code_hash, station, name, created_at, expires_at, purpose) VALUES (?, ?, ?, ?, ?, ?)',
      [hashToken(normaliseCode(code)), station, name, now.toISOString(), expiresAt, purpose],
    );
    return { code, expiresAt, purpose };
  }

  /**
   * Uses up a code for `deviceId` if it is unused, unexpired, for `station` and for `purpose`; one
   * caller wins a race. A code for the other purpose stays unused (the administrator meant it for
   * something else: a desk's code cannot make a relay, nor a relay's code a desk).
   */
  async consumeCode(code: string, station: string, deviceId: string, purpose: EnrolmentPurpose = 'workstation'): Promise<CodeCheck> {
    const codeHash = hashToken(normaliseCode(code));
    const now = this.nowIso();
    const won = await this.store.sql.all(
      `UPDATE enrolment_code SET used_at = ?, device_id = ?
       WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? AND station = ? AND purpose = ? RETURNING code_hash`,
      [now, deviceId, codeHash, now, station, purpose],
    );
    if (won.length > 0) return { ok: true };
    const [row] = await this.store.sql.all<{ station: string; usedAt: string | null; expiresAt: string; purpose: string }>(
      'SELECT station, used_at AS "usedAt", expires_at AS "expiresAt", purpose FROM enrolment_code WHERE code_hash = ?',
      [codeHash],
    );
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.usedAt) return { ok: false, reason: 'used' };
    if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (row.station !== station) return { ok: false, reason: 'other-station' };
    return { ok: false, reason: 'other-purpose' };
  }
}
