/**
 * Locks the workstation after a period without input, so an unattended desk shows no passenger
 * data: after the station's policy (Station.security.lockAfterMinutes, from the backend), 5 minutes
 * where the station sets none.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { useServices } from '../../services';
import { lockIfIdle, touched } from '../../state/session';

export const LOCK_AFTER_MS = 5 * 60_000;

/** The station's inactivity lock in milliseconds, or the default. */
export function lockAfterMs(station: { security?: { lockAfterMinutes: number } } | undefined): number {
  return station?.security ? station.security.lockAfterMinutes * 60_000 : LOCK_AFTER_MS;
}

export function useInactivityLock(): void {
  const { clock, db, info } = useServices();
  const station = useLiveQuery(() => db.stations.get(info.station), [db, info.station]);
  const afterMs = lockAfterMs(station);
  useEffect(() => {
    const touch = () => touched(clock().getTime());
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = setInterval(() => {
      lockIfIdle(clock().getTime(), afterMs);
    }, 10_000);
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
      clearInterval(timer);
    };
  }, [clock, afterMs]);
}
