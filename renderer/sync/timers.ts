/** The platform's setTimeout/clearTimeout as the Timers input of the sync engine (worker and Node alike). */
import type { Timers } from '../../shared/sync/scheduler';

export const platformTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
