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
] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}
