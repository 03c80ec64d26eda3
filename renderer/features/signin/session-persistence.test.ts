import { afterEach, describe, expect, it } from 'vitest';
import { lockIfIdle, signedIn, signedOut, touched } from '../../state/session';
import { LOCK_AFTER_MS } from '../navigation/use-inactivity-lock';
import { persistSession, resumedSession, SESSION_KEY } from './session-persistence';

const staff = { id: 'AG1001', name: 'Ana Agent', role: 'agent' as const, at: '2027-03-27T22:00:00.000Z' };
const at = Date.parse('2027-03-27T22:30:00.000Z');

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

afterEach(() => signedOut());

describe('the session across a reload', () => {
  it('resumes signed in within the inactivity window', () => {
    expect(resumedSession({ staff, locked: false, lastActivity: at - 60_000 }, at)).toEqual({
      staff,
      locked: false,
      lastActivity: at - 60_000,
    });
  });

  it('resumes locked once the window has passed, or when it was locked, or when the clock went backwards', () => {
    expect(resumedSession({ staff, locked: false, lastActivity: at - LOCK_AFTER_MS - 1 }, at)?.locked).toBe(true);
    expect(resumedSession({ staff, locked: true, lastActivity: at }, at)?.locked).toBe(true);
    expect(resumedSession({ staff, locked: false, lastActivity: at + 3_600_000 }, at)?.locked).toBe(true);
  });

  it('resumes nothing from nothing or from something damaged', () => {
    expect(resumedSession(null, at)).toBeNull();
    expect(resumedSession({ staff: { id: 'X' }, locked: false, lastActivity: at }, at)).toBeNull();
    expect(resumedSession('garbage', at)).toBeNull();
  });

  it('is written on sign-in, kept as activity goes on, and removed on sign-out', () => {
    const storage = new MemoryStorage();
    const stop = persistSession(storage);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    signedIn(staff, at);
    expect(JSON.parse(storage.getItem(SESSION_KEY)!)).toEqual({ staff, locked: false, lastActivity: at });
    touched(at + 60_000);
    expect(JSON.parse(storage.getItem(SESSION_KEY)!)).toMatchObject({ lastActivity: at + 60_000 });
    lockIfIdle(at + 60_000 + LOCK_AFTER_MS + 1, LOCK_AFTER_MS);
    expect(JSON.parse(storage.getItem(SESSION_KEY)!)).toMatchObject({ locked: true });
    signedOut();
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    stop();
  });
});
