/**
 * Wrong PINs at this workstation, kept in the local database so a reload or a restart does not
 * reset them. After FREE_TRIES wrong PINs in a row the workstation waits before it checks another,
 * 30 s at first and twice as long with each further wrong PIN (at most 15 min). A right PIN clears it.
 */
import { z } from 'zod';
import type { Clock } from '../../../shared/clock';
import type { BackstopDB } from '../../db/schema';

export const THROTTLE_KEY = 'signinThrottle';
export const FREE_TRIES = 5;
const BASE_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

const Throttle = z.object({ wrong: z.number().int().min(0), until: z.number() });

async function read(db: BackstopDB): Promise<z.infer<typeof Throttle>> {
  const parsed = Throttle.safeParse((await db.settings.get(THROTTLE_KEY))?.value);
  // A damaged record counts as a locked one: erring on the side of waiting.
  return parsed.success ? parsed.data : { wrong: FREE_TRIES, until: 0 };
}

/** Whether sign-in is waiting now, and until when (ms of the app's clock). */
export async function waitingUntil(db: BackstopDB, clock: Clock): Promise<number | null> {
  const row = await db.settings.get(THROTTLE_KEY);
  if (!row) return null;
  const t = await read(db);
  return t.until > clock().getTime() ? t.until : null;
}

export async function wrongPin(db: BackstopDB, clock: Clock): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const row = await db.settings.get(THROTTLE_KEY);
    const t = row ? await read(db) : { wrong: 0, until: 0 };
    const wrong = t.wrong + 1;
    const over = wrong - FREE_TRIES;
    const until = over >= 0 ? clock().getTime() + Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** over) : t.until;
    await db.settings.put({ key: THROTTLE_KEY, value: { wrong, until } });
  });
}

export async function rightPin(db: BackstopDB): Promise<void> {
  await db.settings.delete(THROTTLE_KEY);
}
