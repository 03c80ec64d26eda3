/** The one application window: its options, and how it recovers when the page process dies. */
import type { BrowserWindow, BrowserWindowConstructorOptions, RenderProcessGoneDetails } from 'electron';
import { secureWebPreferences } from './security';

/** `packaged`: an installed build, where DevTools do not exist (main/lockdown.ts); on unless told otherwise. */
export function mainWindowOptions(preloadPath: string, packaged = true): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Backstop',
    backgroundColor: '#0f1720',
    autoHideMenuBar: true,
    // Hidden in the tray, the page keeps syncing on schedule: no timer throttling in the background.
    webPreferences: { ...secureWebPreferences(preloadPath), backgroundThrottling: false, devTools: !packaged },
  };
}

/** How many crashes in a row we reload before giving up and showing the error page. */
const MAX_RELOADS = 3;
const RELOAD_WINDOW_MS = 60_000;

/**
 * A crashed page is reloaded (the data is safe in IndexedDB) and told why on its next start, but a
 * page that keeps crashing is not reloaded forever.
 */
export function watchRenderProcess(
  win: Pick<BrowserWindow, 'webContents'>,
  hooks: {
    onNotice: (notice: string) => void;
    log: (message: string) => void;
    /** Milliseconds of the app's clock. */
    now: () => number;
    /** Every exit but a clean one (kept as the last crash for diagnostics). */
    onCrash?: (details: RenderProcessGoneDetails) => void;
  },
): void {
  const now = hooks.now;
  let recent: number[] = [];
  win.webContents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    hooks.log(`renderer gone: ${details.reason} (exit ${details.exitCode})`);
    if (details.reason === 'clean-exit') return;
    hooks.onCrash?.(details);
    const t = now();
    recent = [...recent.filter((r) => t - r < RELOAD_WINDOW_MS), t];
    if (recent.length > MAX_RELOADS) {
      hooks.log('renderer keeps crashing; not reloading again');
      return;
    }
    hooks.onNotice(`Backstop restarted its window after a problem (${details.reason}). No data was lost.`);
    win.webContents.reload();
  });
}
