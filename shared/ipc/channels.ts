/**
 * Channel names only, with no schema library attached, so the sandboxed preload stays tiny.
 * `contract.ts` must define exactly these (checked at compile time there).
 */
export const CHANNELS = [
  'app:info',
  'print:document',
  'print:printers',
  'print:jobs',
  'print:reprint',
  'print:cancel',
  'print:retry',
  'app:status',
  'app:diagnostics',
  'app:export-diagnostics',
  'app:install-update',
  'device:enrol',
  'vault:open',
  'vault:accept-risk',
  'app:wipe',
  'relay:status',
  'relay:issue-code',
] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Events main sends to the page (main → renderer), the only other thing the preload passes through.
 * `contract.ts` gives each its payload schema.
 */
export const EVENTS = ['sync:now', 'session:lock'] as const;
export type EventName = (typeof EVENTS)[number];

export function isEvent(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENTS as readonly string[]).includes(name);
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}
