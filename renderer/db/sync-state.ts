/**
 * The sync bookkeeping kept in the `syncState` table, under one set of keys shared by the write
 * path, the sync engine and the screens that show data age.
 */
import type { BackstopDB } from './schema';

export const SYNC_KEYS = {
  /** The opaque cursor of the last pull page stored. */
  cursor: 'cursor',
  /** When the last pull that reached the end of the feed finished (UTC ISO). */
  lastCompleteSyncAt: 'lastCompleteSyncAt',
  /** The client sequence number the next staff action gets. */
  nextSeq: 'nextSeq',
  deviceId: 'deviceId',
  token: 'token',
  /** The device id before a re-enrolment, sent with the new enrolment so leases move over. */
  previousDeviceId: 'previousDeviceId',
  /** A token of that earlier enrolment: the proof the backend asks for before it moves its leases. */
  previousToken: 'previousToken',
  /** When the current token was issued here (UTC ISO): it is rotated once a day. */
  tokenIssuedAt: 'tokenIssuedAt',
  /**
   * Which backend the keys above belong to, with its push bookkeeping (renderer/sync/sources.ts);
   * the other configured backends' keys wait under `parkedSources` until the workstation talks to them.
   */
  source: 'source',
  parkedSources: 'parkedSources',
  /** How fresh central's data is (UTC ISO): the last complete pull from central, or a station relay's copy. */
  centralAsOf: 'centralAsOf',
  /** A supervisor declared fallback (true) and has not lifted it: it holds across reloads and restarts. */
  fallbackDeclared: 'fallbackDeclared',
} as const;

export type SyncKey = (typeof SYNC_KEYS)[keyof typeof SYNC_KEYS];

/** A string value, or null when absent or (damaged) not a string. */
export async function readSyncString(db: BackstopDB, key: SyncKey): Promise<string | null> {
  const row = await db.syncState.get(key);
  return typeof row?.value === 'string' ? row.value : null;
}
