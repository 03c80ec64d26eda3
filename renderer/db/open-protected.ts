/**
 * Opens the local database sealed with the workstation's keys (at-rest.ts), or says why it cannot:
 * no key can be protected on this machine yet (a supervisor must accept the risk first), or the key
 * store failed. Nothing is opened, so nothing is stored, until the keys are there.
 */
import type { Host } from '../host/host';
import { aesGcmSealer } from './at-rest';
import { installAuditKey } from './audit';
import type { AtRestKeys } from './keys';
import { openDatabase, installSealer, type BackstopDB } from './schema';

export type Protected =
  | { kind: 'ready'; db: BackstopDB; keys: AtRestKeys }
  | { kind: 'needs-acceptance'; backend: string }
  | { kind: 'unavailable'; message: string };

export async function openProtected(host: Pick<Host, 'keys'>): Promise<Protected> {
  const answer = await host.keys();
  if (answer.status === 'needs-acceptance') return { kind: 'needs-acceptance', backend: answer.backend };
  if (answer.status === 'unavailable') return { kind: 'unavailable', message: answer.message };
  installSealer(aesGcmSealer(answer.keys.data));
  installAuditKey(answer.keys.audit, answer.keys.legacyAudit ?? null);
  const db = openDatabase();
  await db.open();
  return { kind: 'ready', db, keys: answer.keys };
}
