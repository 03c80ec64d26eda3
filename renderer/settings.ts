/** Workstation settings kept in the local database, with the defaults the issues ask for. */
import { z } from 'zod';
import type { BackstopDB } from './db/schema';
import { loadSettingsRecord, saveSettingsRecord } from './db/settings-record';

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
