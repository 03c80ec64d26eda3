/**
 * The tray icon: Backstop keeps running there when its window is closed, so the periodic sync keeps
 * the cache warm for the next outage. The tooltip says how old the data is, when sync was last
 * tried and how many actions are unsent; the menu opens the window, syncs now, installs a
 * downloaded update (when the policy allows) and quits.
 *
 * `trayView` is pure (what to show); `createTray` binds it to Electron's Tray and Menu.
 */
import type { BrowserWindow, Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { UpdateSummary, WorkstationStatus } from '../shared/ipc/contract';
import { formatAge, HOLD_REASONS, mainStrings } from './strings';
import type { HoldReason } from './updates/policy';

const t = mainStrings.tray;

export type TrayItemId = 'open' | 'sync' | 'update' | 'quit';
export type TrayItem = { id: TrayItemId; label: string; enabled: boolean } | { id: 'separator' };

export interface TrayView {
  tooltip: string;
  menu: TrayItem[];
}

export interface TrayInput {
  /** The page's latest report and whether it is current (StatusBoard.last). */
  report: { status: WorkstationStatus; fresh: boolean } | null;
  update: UpdateSummary;
  /** Restarting into the downloaded update is allowed right now. */
  installAllowed: boolean;
  now: Date;
  /** The machine's zone unless given (tests). */
  timeZone?: string;
}

function clockTime(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) }).format(
    new Date(iso),
  );
}

export function trayView({ report, update, installAllowed, now, timeZone }: TrayInput): TrayView {
  const lines: string[] = [t.title];
  if (!report) {
    lines.push(t.starting);
  } else {
    const s = report.status;
    if (!report.fresh) lines.push(t.notResponding);
    if (s.drill) lines.push(t.drill);
    else if (s.fallback) lines.push(t.fallback);
    else if (s.link === 'offline') lines.push(t.offline);
    lines.push(
      s.lastSyncAt ? t.dataFrom(clockTime(s.lastSyncAt, timeZone), formatAge(now.getTime() - Date.parse(s.lastSyncAt))) : t.noData,
    );
    if (s.lastAttemptAt && s.lastAttemptAt !== s.lastSyncAt) lines.push(t.lastTry(clockTime(s.lastAttemptAt, timeZone)));
    lines.push(t.pending(s.pending));
  }
  const menu: TrayItem[] = [
    { id: 'open', label: t.open, enabled: true },
    { id: 'sync', label: t.syncNow, enabled: report !== null },
  ];
  const version = update.version ?? '';
  if (update.phase === 'downloaded') {
    menu.push(
      installAllowed
        ? { id: 'update', label: t.installUpdate(version), enabled: true }
        : { id: 'update', label: t.updateWaits(version, HOLD_REASONS[update.reason as HoldReason] ?? update.reason), enabled: false },
    );
  } else if (update.phase === 'downloading') {
    menu.push({ id: 'update', label: t.downloading(version, update.progressPercent), enabled: false });
  }
  menu.push({ id: 'separator' }, { id: 'quit', label: t.quit, enabled: true });
  return { tooltip: lines.join('\n'), menu };
}

export interface TrayDeps {
  Tray: new (image: NativeImage | string) => Pick<Tray, 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  icon: NativeImage | string;
  view: () => TrayView;
  actions: Record<TrayItemId, () => void>;
}

export interface TrayHandle {
  /** Redraws tooltip and menu from `view()` (on every report, update event and every half minute). */
  refresh(): void;
  destroy(): void;
}

export function createTray(deps: TrayDeps): TrayHandle {
  const tray = new deps.Tray(deps.icon);
  tray.on('click', () => deps.actions.open());
  const refresh = () => {
    const view = deps.view();
    tray.setToolTip(view.tooltip);
    const template: MenuItemConstructorOptions[] = view.menu.map((item) =>
      item.id === 'separator'
        ? { type: 'separator' }
        : { id: item.id, label: item.label, enabled: item.enabled, click: () => deps.actions[item.id]() },
    );
    tray.setContextMenu(deps.Menu.buildFromTemplate(template));
  };
  refresh();
  const timer = setInterval(refresh, 30_000);
  timer.unref?.();
  return {
    refresh,
    destroy: () => {
      clearInterval(timer);
      tray.destroy();
    },
  };
}

/**
 * Closing the window hides it instead (Backstop stays in the tray, syncing), unless the app is
 * quitting: from the tray menu, the OS shutting down, or restarting into an update.
 */
export function keepInTray(win: Pick<BrowserWindow, 'on' | 'hide'>, isQuitting: () => boolean): void {
  win.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    win.hide();
  });
}

/** Brings the window back from the tray (or from minimised) and focuses it. */
export function showWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'isVisible' | 'show' | 'focus'> | null): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
