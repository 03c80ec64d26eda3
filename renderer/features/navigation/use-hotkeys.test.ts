import { describe, expect, it } from 'vitest';
import { hotkeyAction, type KeyPress } from './use-hotkeys';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: /^\d$/.test(key) ? `Digit${key}` : key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});
const inFlight = { name: 'flight', flightId: 'F1', tab: 'manifest' } as const;
const departures = { name: 'departures' } as const;
const search = { name: 'search' } as const;

/** Keys Chromium (and so the browser host) acts on by itself: never ours, on any screen. */
const BROWSER_KEYS: KeyPress[] = [
  press('F1'),
  press('F3'),
  press('F5'),
  press('F6'),
  press('F7'),
  press('F10'),
  press('F11'),
  press('F12'),
  press('r', { ctrlKey: true, code: 'KeyR' }),
  press('f', { ctrlKey: true, code: 'KeyF' }),
  press('l', { ctrlKey: true, code: 'KeyL' }),
  press('1', { ctrlKey: true }),
  press('F5', { ctrlKey: true }),
  press('F4', { altKey: true }),
  press('d', { altKey: true, code: 'KeyD' }),
];

describe('hotkeys', () => {
  it.each([departures, search, inFlight])('leave every browser key to the browser (%s)', (route) => {
    for (const k of BROWSER_KEYS) expect(hotkeyAction(k, route, false), `${k.key} ctrl=${k.ctrlKey} alt=${k.altKey}`).toBeNull();
  });

  it('F2 goes to departures and F4 to find passenger, from any screen', () => {
    for (const route of [departures, search, inFlight]) {
      expect(hotkeyAction(press('F2'), route, false)).toEqual({ kind: 'go', route: 'departures' });
      expect(hotkeyAction(press('F4'), route, false)).toEqual({ kind: 'go', route: 'search' });
    }
  });

  it('Alt+1…Alt+5 switch the tabs of a flight, on the number row or the keypad, and do nothing elsewhere', () => {
    expect(hotkeyAction(press('1', { altKey: true }), inFlight, false)).toEqual({ kind: 'tab', tab: 'manifest' });
    expect(hotkeyAction(press('2', { altKey: true }), inFlight, false)).toEqual({ kind: 'tab', tab: 'checkin' });
    expect(hotkeyAction(press('3', { altKey: true, code: 'Numpad3' }), inFlight, false)).toEqual({ kind: 'tab', tab: 'boarding' });
    expect(hotkeyAction(press('4', { altKey: true }), inFlight, false)).toEqual({ kind: 'tab', tab: 'closeout' });
    // Some layouts type another character with Alt held; the key's position is what counts.
    expect(hotkeyAction(press('¡', { altKey: true, code: 'Digit1' }), inFlight, false)).toEqual({ kind: 'tab', tab: 'manifest' });
    expect(hotkeyAction(press('2', { altKey: true }), departures, false)).toEqual({ kind: 'none' });
    expect(hotkeyAction(press('5', { altKey: true, code: 'Numpad5' }), inFlight, false)).toEqual({ kind: 'tab', tab: 'load' });
    expect(hotkeyAction(press('6', { altKey: true }), inFlight, false)).toBeNull();
  });

  it('Esc goes back, except from a field with text in it (there it clears nothing and leaves the field be)', () => {
    expect(hotkeyAction(press('Escape'), inFlight, false)).toEqual({ kind: 'back' });
    expect(hotkeyAction(press('Escape'), inFlight, true)).toBeNull();
    expect(hotkeyAction(press('Escape'), departures, false)).toBeNull();
  });

  it('leaves the old tab keys to the browser', () => {
    for (const key of ['F5', 'F6', 'F7', 'F3']) expect(hotkeyAction(press(key), inFlight, false)).toBeNull();
  });
});
