/**
 * Times are stored as UTC ISO strings and shown in the station's own time zone, always labelled,
 * because a gate agent and a backend in another zone must never disagree about "14:05".
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** "14:05" in the station's zone. */
export function localTime(iso: string, timeZone: string): string {
  return formatter(timeZone, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/**
 * "26 Nov 14:05" in the station's zone. Assembled from parts: ICU versions disagree on the
 * punctuation between date and time, and a printout must read the same on every workstation.
 */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = formatter(timeZone, { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(iso),
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
}

/** "2026-11-26" in the station's zone. */
export function localDate(iso: string, timeZone: string): string {
  const parts = formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "Sat 27 Mar" in the station's zone: the day something happens, where a list spans several days. */
export function localDay(iso: string, timeZone: string): string {
  const parts = formatter(timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}`;
}

/** The zone's short name at that instant, e.g. "GMT", "CET" or "GMT+1". */
export function zoneLabel(iso: string, timeZone: string): string {
  const parts = formatter(timeZone, { timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

/** "just now", "12 min", "3 h 05 min", "2 days": how old something is, for data-age labels. */
export function age(fromIso: string, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} days`;
}
