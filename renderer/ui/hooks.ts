import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useServices } from '../services';
import { SYNC_KEYS } from '../db/sync-state';
import { localDate } from '../../shared/time';

/** The current time, re-rendering every `everyMs` so ages and clocks stay true on screen. */
export function useNow(everyMs = 15_000): number {
  const { clock } = useServices();
  const [now, setNow] = useState(() => clock().getTime());
  useEffect(() => {
    const t = setInterval(() => setNow(clock().getTime()), everyMs);
    return () => clearInterval(t);
  }, [clock, everyMs]);
  return now;
}

/** Today's date at the station, "YYYY-MM-DD" (not UTC's: at UTC+13 or UTC-10 they differ for hours a day). */
export function useStationToday(): string {
  const zone = useStationZone();
  return localDate(new Date(useNow(60_000)).toISOString(), zone);
}

/** The station's IANA time zone; UTC until the station record has been synced. */
export function useStationZone(): string {
  const { db, info } = useServices();
  const station = useLiveQuery(() => db.stations.get(info.station), [db, info.station]);
  return station?.timeZone ?? 'UTC';
}

/** When the last complete pull finished: every flight is at least this fresh. */
export function useLastCompleteSync(): string | null {
  const { db } = useServices();
  const row = useLiveQuery(() => db.syncState.get(SYNC_KEYS.lastCompleteSyncAt), [db]);
  return typeof row?.value === 'string' ? row.value : null;
}

export type Freshness = 'fresh' | 'stale' | 'very-stale' | 'none';

export function freshness(asOf: string | null, now: number, stalenessMinutes: number): Freshness {
  if (!asOf) return 'none';
  const minutes = (now - Date.parse(asOf)) / 60_000;
  if (minutes >= stalenessMinutes * 2) return 'very-stale';
  if (minutes >= stalenessMinutes) return 'stale';
  return 'fresh';
}

/** Data age of one flight: its own last update, or the last complete sync if that is later. */
export function flightAsOf(flightAsOfIso: string, lastComplete: string | null): string {
  return lastComplete && lastComplete > flightAsOfIso ? lastComplete : flightAsOfIso;
}
