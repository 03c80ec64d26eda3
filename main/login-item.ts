/**
 * Launch at login, for kiosk-style desks (`--launch-at-login` / BACKSTOP_LAUNCH_AT_LOGIN). Windows
 * and macOS have a login item API; Linux desktops start what ~/.config/autostart names (the XDG
 * autostart spec), so there Backstop writes or removes its own .desktop entry.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  setLoginItemSettings: (settings: { openAtLogin: boolean }) => void;
  /** The program to start: the AppImage when run from one ($APPIMAGE), else the executable. */
  executable: string;
  /** $XDG_CONFIG_HOME, or ~/.config. */
  configHome: string;
}

export const AUTOSTART_FILE = 'backstop.desktop';

/** A path in a desktop entry's Exec key: quoted, with the characters the spec reserves escaped. */
export function quoteExec(file: string): string {
  return `"${file.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Backstop',
    'Comment=Offline fallback for airline departures',
    `Exec=${quoteExec(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Turns launch at login on or off; returns where it was set (for the log). */
export function applyLaunchAtLogin(enabled: boolean, deps: LoginItemDeps): string {
  if (deps.platform === 'win32' || deps.platform === 'darwin') {
    deps.setLoginItemSettings({ openAtLogin: enabled });
    return 'login item';
  }
  const dir = path.join(deps.configHome, 'autostart');
  const file = path.join(dir, AUTOSTART_FILE);
  if (enabled) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, autostartEntry(deps.executable), { mode: 0o644 });
  } else {
    rmSync(file, { force: true });
  }
  return file;
}
