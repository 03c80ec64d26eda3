/**
 * A station-local wall-clock time ("09:40" on "2026-11-26" in Europe/London) as a UTC instant, for
 * times agents read off paper. Pure: the zone's offset at that moment comes from Intl.
 */
import { localDate, localTime } from '../../../shared/time';

export function stationTimeToIso(date: string, hhmm: string, timeZone: string): string | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const wanted = `${date} ${hhmm}`;
  // Guess with the offset at the UTC instant of the same wall time, then correct once (DST edges).
  let utc = Date.parse(`${date}T${hhmm}:00Z`);
  for (let i = 0; i < 2; i++) {
    const iso = new Date(utc).toISOString();
    const shown = `${localDate(iso, timeZone)} ${localTime(iso, timeZone)}`;
    if (shown === wanted) return iso;
    const diff = Date.parse(`${shown.replace(' ', 'T')}:00Z`) - Date.parse(`${date}T${hhmm}:00Z`);
    utc -= diff;
  }
  const iso = new Date(utc).toISOString();
  // A wall time the clocks skipped (the hour lost in spring) does not exist.
  return `${localDate(iso, timeZone)} ${localTime(iso, timeZone)}` === wanted ? iso : null;
}
