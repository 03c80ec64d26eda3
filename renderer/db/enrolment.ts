/**
 * This workstation's enrolment with the backend, as kept in the local database: its device id and
 * token, and across a re-enrolment the device id it had before (sent with the next enrolment so the
 * backend moves this workstation's sequence-number leases over).
 */
import type { BackstopDB } from './schema';
import { readSyncString, SYNC_KEYS } from './sync-state';

export interface Enrolment {
  deviceId: string;
  token: string;
}

/** The earlier enrolment and a token of it, sent with the next enrolment as proof (its leases move over). */
export async function readPreviousEnrolment(db: BackstopDB): Promise<Enrolment | null> {
  const [deviceId, token] = await Promise.all([
    readSyncString(db, SYNC_KEYS.previousDeviceId),
    readSyncString(db, SYNC_KEYS.previousToken),
  ]);
  return deviceId && token ? { deviceId, token } : null;
}

/** When the current token was issued, or null (enrolled by an older version: rotate at once). */
export function readTokenIssuedAt(db: BackstopDB): Promise<string | null> {
  return readSyncString(db, SYNC_KEYS.tokenIssuedAt);
}

/** Keeps a rotated token in place of the old one. */
export async function saveRotatedToken(db: BackstopDB, token: string, issuedAt: string): Promise<void> {
  await db.syncState.bulkPut([
    { key: SYNC_KEYS.token, value: token },
    { key: SYNC_KEYS.tokenIssuedAt, value: issuedAt },
  ]);
}

export async function readEnrolment(db: BackstopDB): Promise<Enrolment | null> {
  const [deviceId, token] = await Promise.all([readSyncString(db, SYNC_KEYS.deviceId), readSyncString(db, SYNC_KEYS.token)]);
  return deviceId && token ? { deviceId, token } : null;
}

/** The device id this workstation had before its enrolment was forgotten, if any. */
export function readPreviousDeviceId(db: BackstopDB): Promise<string | null> {
  return readSyncString(db, SYNC_KEYS.previousDeviceId);
}

export async function saveEnrolment(db: BackstopDB, enrolment: Enrolment, issuedAt?: string): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    await db.syncState.bulkPut([
      { key: SYNC_KEYS.deviceId, value: enrolment.deviceId },
      { key: SYNC_KEYS.token, value: enrolment.token },
      ...(issuedAt ? [{ key: SYNC_KEYS.tokenIssuedAt, value: issuedAt }] : []),
    ]);
    await db.syncState.bulkDelete([SYNC_KEYS.previousDeviceId, SYNC_KEYS.previousToken]);
  });
}

/**
 * Forgets the enrolment the backend no longer accepts. A new enrolment is a new client to the
 * backend, whose sequence numbers start at 1: the unsent actions are renumbered in order (their ids,
 * the idempotency keys, stay). The local copy stays: if the backend's data was replaced, the next
 * pull says so (CURSOR_EXPIRED) and the cache is rebuilt then.
 */
export async function forgetEnrolment(db: BackstopDB): Promise<void> {
  await db.transaction('rw', db.syncState, db.outbox, async () => {
    const previous = await readSyncString(db, SYNC_KEYS.deviceId);
    const previousToken = await readSyncString(db, SYNC_KEYS.token);
    const entries = await db.outbox.orderBy('seq').toArray();
    await db.outbox.clear();
    await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, seq: i + 1 })));
    await db.syncState.bulkDelete([SYNC_KEYS.deviceId, SYNC_KEYS.token, SYNC_KEYS.tokenIssuedAt]);
    // The old token stays as the proof that the old enrolment's leases are ours (an expired one still proves it).
    if (previous) await db.syncState.put({ key: SYNC_KEYS.previousDeviceId, value: previous });
    if (previous && previousToken) await db.syncState.put({ key: SYNC_KEYS.previousToken, value: previousToken });
    await db.syncState.put({ key: SYNC_KEYS.nextSeq, value: entries.length + 1 });
  });
}
