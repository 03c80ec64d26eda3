/**
 * Everything random in a simulation comes from its one seed. Named streams are derived from it (so
 * that, say, a network fault drawn differently never shifts what the agents decide), and the
 * identifiers the code under test makes for itself — device ids on the backend (node:crypto
 * randomUUID), mutation ids at the desks (crypto.randomUUID) — are drawn from the seed too: device
 * ids break ties in the ledger's canonical order, so they must not differ between two runs of a seed.
 */
import nodeCrypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { SeededRandom } from '../tests/support/random';

/** FNV-1a over the text: a stable 32-bit seed for a named stream. */
export function hashSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The run's random source: one seed, a stream per concern. */
export class SimRandom {
  private readonly streams = new Map<string, SeededRandom>();
  constructor(readonly seed: number) {}
  stream(name: string): SeededRandom {
    let s = this.streams.get(name);
    if (!s) this.streams.set(name, (s = new SeededRandom(hashSeed(this.seed, name))));
    return s;
  }
}

type UuidFn = () => `${string}-${string}-${string}-${string}-${string}`;

function uuidFrom(random: SeededRandom): ReturnType<UuidFn> {
  const word = () => (Math.floor(random.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
  const h = word() + word() + word() + word();
  // Version 4, RFC 4122 variant: the shape every schema expects of a UUID.
  const variant = '89ab'[parseInt(h[16]!, 16) & 3]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const original = { node: nodeCrypto.randomUUID, web: globalThis.crypto.randomUUID.bind(globalThis.crypto) };

/**
 * Makes randomUUID (node:crypto and the global Web Crypto alike) draw from `random` until the
 * returned function is called. One simulation at a time per process.
 */
export function seedUuids(random: SeededRandom): () => void {
  const next = (() => uuidFrom(random)) as UuidFn;
  (nodeCrypto as { randomUUID: UuidFn }).randomUUID = next;
  syncBuiltinESMExports();
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: next, configurable: true, writable: true });
  return () => {
    (nodeCrypto as { randomUUID: UuidFn }).randomUUID = original.node;
    syncBuiltinESMExports();
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original.web, configurable: true, writable: true });
  };
}
