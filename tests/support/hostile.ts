/**
 * Hostile variants of real protocol values, and the side-by-side check of the compiled fast path
 * (shared/protocol/fast-check.ts) against zod: the same verdict, output and issues on every input.
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { compileCheck, fastSafeParse } from '../../shared/protocol/fast-check';
import type { SeededRandom } from './random';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value`. */
export function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

/** Hostile replacements for one value: wrong types, edge numbers, bad strings, stray keys, inherited keys. */
export function hostile(value: unknown, random: SeededRandom): unknown[] {
  const out: unknown[] = [null, undefined, true, 0, -1, 1.5, -0, 2 ** 53, NaN, Infinity, '', 'x'.repeat(10_001), [], {}, [value]];
  if (typeof value === 'string') {
    out.push(value.toLowerCase(), ` ${value}`, `${value}\n`, value.slice(1), value + value, Number(value), value.replace(/\d/g, 'Z'));
    out.push(value.replace(/T/, ' '), `${value.slice(0, -1)}+25:00`, value.normalize('NFD') + '\u0301');
  }
  if (typeof value === 'number') out.push(value + 0.5, -value, value * 1_000_000, String(value), value + 1, value - 1);
  if (Array.isArray(value)) {
    const items = value as unknown[];
    out.push([...items, ...items, ...items], items.slice(1), [null], [{}], Object.assign([...items], { extra: 1 }));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    out.push({ ...value, unexpected: 'x' }, JSON.parse(`{"__proto__": {"polluted": 1}, ${JSON.stringify(value).slice(1, -1)}}`));
    out.push(Object.assign(Object.create(value) as object, {}), new Map(entries), Object.fromEntries(entries.slice(1)));
    if (entries.length > 0) {
      const [key] = random.pick(entries);
      const { [key]: _dropped, ...rest } = value as Record<string, unknown>;
      out.push(rest, { ...rest, [key]: undefined });
    }
  }
  return out;
}

export function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

export function sameVerdict(schema: z.ZodType, input: unknown): void {
  const fast = fastSafeParse(schema, input);
  const slow = schema.safeParse(input);
  expect(fast.success, JSON.stringify(input)?.slice(0, 300)).toBe(slow.success);
  if (fast.success && slow.success) expect(fast.data).toStrictEqual(slow.data);
  if (!fast.success && !slow.success) expect(fast.error.issues).toEqual(slow.error.issues);
}

/**
 * The compiled fast path takes each of `pages` as it is, without zod (the compiled check says yes and
 * the data out is the page itself), and zod says the same of it.
 */
export function expectFastAccepts(schema: z.ZodType, pages: readonly unknown[]): void {
  const check = compileCheck(schema);
  expect(check, 'the schema compiles').not.toBeNull();
  for (const page of pages) {
    expect(check!(page)).toBe(true);
    expect(fastSafeParse(schema, page)).toEqual({ success: true, data: page });
    sameVerdict(schema, page);
  }
}

/**
 * `rounds` times: a value from `pick`, one random place in it replaced by each of that place's hostile
 * variants, `wrap`ped into what the schema checks; the fast path and zod must agree on every one.
 * Returns how many inputs were tried and how many zod refused.
 */
export function hostileRounds(
  schema: z.ZodType,
  random: SeededRandom,
  rounds: number,
  pick: () => unknown,
  wrap: (value: unknown) => unknown = (value) => value,
): { tried: number; rejected: number } {
  let tried = 0;
  let rejected = 0;
  for (let round = 0; round < rounds; round++) {
    const value = pick();
    const path = random.pick(paths(value));
    const at = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
    for (const replacement of hostile(at, random)) {
      const input = wrap(setAt(value, path, replacement));
      sameVerdict(schema, input);
      tried++;
      if (!schema.safeParse(input).success) rejected++;
    }
  }
  return { tried, rejected };
}
