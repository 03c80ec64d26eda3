/** Workstation settings kept in the local database, with the defaults the issues ask for. */
import { z } from 'zod';
import type { BackstopDB } from './db/schema';

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

/** A damaged settings record falls back to the defaults instead of stopping the app. */
export async function loadSettings(db: BackstopDB): Promise<Settings> {
  const row = await db.settings.get(KEY);
  const parsed = Settings.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function saveSettings(db: BackstopDB, settings: Settings): Promise<void> {
  await db.settings.put({ key: KEY, value: Settings.parse(settings) });
}
