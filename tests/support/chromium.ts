/** Debian's Chromium, as these machines have it (Playwright's own browser download is not possible). */
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.BACKSTOP_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(', ')}). Install it: apt-get install -y chromium`);
  return found;
}

/**
 * The environment Chromium is launched with: ours, minus libfaketime. CI runs the unit suite under
 * `faketime` to prove nothing depends on today's date; Chromium's many threads hang under it, and it
 * needs no fake date anyway (documents and the app take their time from an injected clock).
 */
export function chromiumEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key.startsWith('FAKETIME')) continue;
    if (key === 'LD_PRELOAD') {
      const kept = value.split(/[: ]/).filter((lib) => lib !== '' && !lib.includes('faketime'));
      if (kept.length > 0) out[key] = kept.join(':');
      continue;
    }
    out[key] = value;
  }
  return out;
}
