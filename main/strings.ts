/**
 * Words the main process shows itself: the tray, its menu and the few native dialogs. The page's
 * words live in renderer/strings.ts; main cannot import the renderer (layer rules).
 */
import type { HoldReason } from './updates/policy';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "less than a minute", "12 min", "3 h 05 min", "2 days". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return plural(Math.floor(hours / 24), 'day');
}

export const HOLD_REASONS: Record<HoldReason | 'consented', string> = {
  disabled: 'updates are off',
  busy: 'busy',
  'status-unknown': 'the Backstop window is not responding',
  drill: 'a drill is running',
  fallback: 'outage mode is on',
  offline: 'the backend cannot be reached',
  unreliable: 'the connection is unreliable',
  'unsent-actions': 'actions are not sent yet',
  'awaiting-consent': 'ready to install',
  'not-due': 'up to date',
  consented: 'restarting',
};

export const mainStrings = {
  tray: {
    title: 'Backstop',
    open: 'Open Backstop',
    syncNow: 'Sync now',
    quit: 'Quit Backstop',
    starting: 'Starting…',
    notResponding: 'Window not responding',
    dataFrom: (time: string, age: string) => `Data from ${time} (${age} old)`,
    noData: 'No data synced yet',
    lastTry: (time: string) => `Last sync attempt ${time}`,
    pending: (n: number) => (n === 0 ? 'All actions sent' : `${plural(n, 'action')} not sent yet`),
    fallback: 'OUTAGE MODE: working offline',
    drill: 'DRILL in progress',
    offline: 'Backend cannot be reached',
    installUpdate: (version: string) => `Restart to install update ${version}`,
    updateWaits: (version: string, why: string) => `Update ${version} waits: ${why}`,
    downloading: (version: string, percent: number | null) =>
      `Downloading update ${version}${percent === null ? '' : ` (${Math.round(percent)}%)`}`,
  },
  quit: {
    title: 'Quit Backstop?',
    message: (n: number) => `${plural(n, 'action')} taken here ${n === 1 ? 'has' : 'have'} not reached the backend yet.`,
    detail: 'They are kept on this computer and sent when Backstop runs again. While Backstop is closed, its data is not kept up to date.',
    keep: 'Keep running',
    quit: 'Quit anyway',
  },
  install: {
    title: 'Install update',
    message: (version: string) => `Restart Backstop now to install version ${version}?`,
    detail: 'Backstop closes, installs the update and opens again; it takes about a minute. Nothing on this computer is lost.',
    restart: 'Restart and install',
    later: 'Later',
    refused: (why: string) => `The update was not installed: ${why}. Try again later.`,
  },
  export: {
    title: 'Save diagnostics bundle',
  },
} as const;
