/**
 * Device telemetry columns, added to an existing `device` table in place (so a database created
 * before them keeps its devices): when each workstation was last heard from, when it last pulled
 * to the end of the feed (its data is as fresh as that), the app version and the unsent-action
 * backlog it reported in its request headers (server/http/telemetry.ts).
 */
import { addMissingColumns, type Db } from './database';

const COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['last_seen_at', 'TEXT'], // any authenticated sync request
  ['last_pull_at', 'TEXT'], // the last pull that reached the end of the feed
  ['app_version', 'TEXT'],
  ['backlog', 'INTEGER'], // unsent actions the workstation reported
  ['backlog_at', 'TEXT'], // when it reported them
];

/** Adds whichever telemetry columns the device table lacks; idempotent. */
export function migrateDeviceTelemetry(db: Db): void {
  addMissingColumns(db, 'device', COLUMNS);
}
