/** Locks the workstation after a period without input, so an unattended desk shows no passenger data. */
import { useEffect } from 'react';
import { useServices } from '../../services';
import { lockIfIdle, touched } from '../../state/session';

export const LOCK_AFTER_MS = 15 * 60_000;

export function useInactivityLock(lockAfterMs = LOCK_AFTER_MS): void {
  const { clock } = useServices();
  useEffect(() => {
    const touch = () => touched(clock().getTime());
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = setInterval(() => {
      lockIfIdle(clock().getTime(), lockAfterMs);
    }, 10_000);
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
      clearInterval(timer);
    };
  }, [clock, lockAfterMs]);
}
