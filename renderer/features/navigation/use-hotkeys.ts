/**
 * Keys for the screens agents switch between all day. None of them is a key the browser or
 * Chromium already uses (F1 help, F3 find, F5 reload, F6 address bar, F7 caret browsing, F10 menu,
 * F11 full screen, F12 developer tools, Ctrl+R, Ctrl+F, Alt+Home…), so a key pressed on the wrong
 * screen does nothing rather than reload the page: F2 departures, F4 find passenger, Alt+1…Alt+5
 * the tabs of a flight, Esc back.
 */
import { useEffect } from 'react';
import { go, openFlight, useNavigation, type FlightTab, type Route } from '../../state/navigation';

export type HotkeyAction =
  { kind: 'go'; route: 'departures' | 'search' } | { kind: 'tab'; tab: FlightTab } | { kind: 'back' } | { kind: 'none' };

const TAB_DIGITS: Record<string, FlightTab> = { '1': 'manifest', '2': 'checkin', '3': 'boarding', '4': 'closeout', '5': 'load' };

export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/**
 * What a key press does on a screen, or null when it is not ours (the browser, or the focused field,
 * gets it). Alt+digit is ours everywhere (outside a flight it does nothing), so on Linux it never
 * switches the browser's tabs instead.
 */
export function hotkeyAction(e: KeyPress, route: Route, inFilledField: boolean): HotkeyAction | null {
  const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (plain && e.key === 'F2') return { kind: 'go', route: 'departures' };
  if (plain && e.key === 'F4') return { kind: 'go', route: 'search' };
  const digit = /^(?:Digit|Numpad)([1-5])$/.exec(e.code)?.[1];
  if (digit && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    return route.name === 'flight' ? { kind: 'tab', tab: TAB_DIGITS[digit]! } : { kind: 'none' };
  }
  if (plain && e.key === 'Escape' && route.name !== 'departures' && !inFilledField) return { kind: 'back' };
  return null;
}

export function useHotkeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { route, passengerId } = useNavigation.getState();
      const action = hotkeyAction(e, route, e.target instanceof HTMLInputElement && e.target.value !== '');
      if (!action) return;
      e.preventDefault();
      switch (action.kind) {
        case 'go':
          return go({ name: action.route });
        case 'tab':
          if (route.name === 'flight') openFlight(route.flightId, action.tab, passengerId);
          return;
        case 'back':
          if (route.name === 'flight' && passengerId) useNavigation.setState({ passengerId: null });
          else go({ name: 'departures' });
          return;
        case 'none':
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
