/** Workstation settings kept in the local database, with the defaults the issues ask for. */
import { z } from 'zod';
import type { BackstopDB } from './db/schema';
import { loadSettingsRecord, saveSettingsRecord } from './db/settings-record';
import { recordEvent } from './db/write-path';
import type { Clock } from '../shared/clock';
import type { StaffRole } from '../shared/domain/schemas';
import { fail, ok, type Result } from '../shared/result';

export const Settings = z.object({
  syncIntervalMinutes: z.number().int().min(1).max(240),
  /** Data older than this is shown as stale (amber, then red at twice the threshold). */
  stalenessMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  /** Departed flights are purged after this many hours, unless actions on them are still unsent. */
  retentionHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = { syncIntervalMinutes: 5, stalenessMinutes: 30, retentionHours: 24 };

const KEY = 'workstation';

/** A damaged field falls back to its default; the others are kept (see settings-record.ts). */
export function loadSettings(db: BackstopDB): Promise<Settings> {
  return loadSettingsRecord(db, KEY, Settings, DEFAULT_SETTINGS);
}

export function saveSettings(db: BackstopDB, settings: Settings): Promise<void> {
  return saveSettingsRecord(db, KEY, Settings, settings);
}

/**
 * Settings changed from the Settings screen. How long passenger data is kept is a supervisor's
 * decision (an agent could otherwise keep a month of manifests on a desk): refused for anyone else,
 * and audited when it changes.
 */
export async function changeSettings(
  db: BackstopDB,
  staff: { id: string; role: StaffRole } | null,
  next: Settings,
  clock: Clock,
): Promise<Result<Settings, 'SUPERVISOR_ONLY'>> {
  const current = await loadSettings(db);
  const retentionChanged = next.retentionHours !== current.retentionHours;
  if (retentionChanged && staff?.role !== 'supervisor') {
    return fail('SUPERVISOR_ONLY', 'Only a supervisor can change how long data is kept on this workstation.');
  }
  await saveSettings(db, next);
  if (retentionChanged && staff) {
    await recordEvent(
      db,
      staff.id,
      'settings.retention',
      `Retention changed from ${current.retentionHours} h to ${next.retentionHours} h`,
      clock,
    );
  }
  return ok(next);
}
