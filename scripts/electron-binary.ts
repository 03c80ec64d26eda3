/**
 * Finds the Electron executable the `electron` package installed, without triggering its lazy
 * download (which hangs and fails on machines with no internet). Null when there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/electron');

export function findElectronBinary(): string | null {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, relative ?? 'electron') : relative ? path.join(electronDir, 'dist', relative) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}
