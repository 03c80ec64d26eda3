/**
 * A CSP-safe fast path for zod: the same schema, compiled once into plain closures (no `eval`, no
 * `new Function`), that only answers "certainly valid, and zod would hand back exactly this value".
 *
 * Why: zod compiles its object parsers with `new Function` when it may; the app's CSP (`script-src
 * 'self'`, no 'unsafe-eval') forbids that, and zod's interpreted path then costs ~8 µs per passenger,
 * a third of a hub's first fill. These closures check the same things for a fraction of that.
 *
 * How it stays exactly as strict: the fast check is only ever trusted when it says yes. Every rule it
 * applies is zod's own (type tests as zod writes them, and for every check zod's own `_zod.check`, or
 * a specialised copy of the common ones: lengths, regexes, bounds, safe integers); anything it does not
 * know (transforms, defaults, catch-alls, async checks) makes it say no. When it says no — an invalid
 * value, an unknown key zod would strip, a schema it cannot compile — the value goes through zod
 * itself, which gives the verdict, the stripped output and the error message. So the verdict is always
 * zod's; fast-check.test.ts runs both on valid and hostile inputs and requires the same answers.
 */
import type { z } from 'zod';

type Check = (value: unknown) => boolean;

/** What this file reads of zod's internals (zod 4 `_zod`): the definition and the checks' own functions. */
interface Internals {
  def: Def;
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  values?: Set<unknown>;
  propValues?: Record<string, Set<unknown>>;
  check?: (payload: { value: unknown; issues: unknown[] }) => unknown;
}
interface Def {
  type: string;
  checks?: Node[];
  check?: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  when?: (payload: { value: unknown; issues: unknown[] }) => boolean;
  shape?: Record<string, Node>;
  catchall?: Node;
  element?: Node;
  innerType?: Node;
  options?: Node[];
  discriminator?: string;
  getter?: () => Node;
}
interface Node {
  _zod: Internals;
}

const compiled = new WeakMap<object, Check | null>();

/** The closure checking `schema`, or null when it uses something this compiler does not know. */
export function compileCheck(schema: z.ZodType): Check | null {
  return compileNode(schema as unknown as Node);
}

function compileNode(node: Node): Check | null {
  if (compiled.has(node)) return compiled.get(node)!;
  // Recursive schemas (z.lazy) reach themselves: the placeholder forwards to the finished closure.
  let done: Check | null = null;
  compiled.set(node, (v) => done!(v));
  done = build(node);
  compiled.set(node, done);
  return done;
}

function build(node: Node): Check | null {
  const def = node._zod.def;
  // The node itself is a check when the schema is a format (z.iso.datetime(), z.uuid()).
  const list: Node[] = [...(def.check ? [node] : []), ...(def.checks ?? [])];
  // Strings, numbers and arrays take their common checks inline: one closure per schema, not one
  // call per check (calls through shared closures are what makes interpreters slow).
  if (def.type === 'string') return stringOf(list);
  if (def.type === 'number') return numberOf(list);
  const base = shapeOf(node, def);
  if (!base) return null;
  const extra = combine(list);
  if (extra === null) return null;
  return extra === true ? base : (v) => base(v) && extra(v);
}

function stringOf(list: Node[]): Check | null {
  let min = 0;
  let max = Infinity;
  const patterns: RegExp[] = [];
  const rest: Node[] = [];
  for (const c of list) {
    const d = c._zod.def;
    if (d.when) rest.push(c);
    else if (d.check === 'min_length') min = Math.max(min, d.minimum!);
    else if (d.check === 'max_length') max = Math.min(max, d.maximum!);
    else if (d.check === 'string_format' && d.pattern && REGEX_ONLY_FORMATS.has(d.format ?? '')) patterns.push(d.pattern);
    else rest.push(c);
  }
  const extra = combine(rest);
  if (extra === null) return null;
  const [first, ...others] = patterns;
  return (v) => {
    if (typeof v !== 'string' || v.length < min || v.length > max) return false;
    if (first) {
      first.lastIndex = 0;
      if (!first.test(v)) return false;
      for (const p of others) {
        p.lastIndex = 0;
        if (!p.test(v)) return false;
      }
    }
    return extra === true || extra(v);
  };
}

function numberOf(list: Node[]): Check | null {
  let lo = -Infinity;
  let loIncl = true;
  let hi = Infinity;
  let hiIncl = true;
  let safeInt = false;
  const rest: Node[] = [];
  for (const c of list) {
    const d = c._zod.def;
    if (d.when) rest.push(c);
    else if (d.check === 'number_format' && d.format === 'safeint') safeInt = true;
    else if (d.check === 'greater_than' && (d.value! > lo || (d.value === lo && !d.inclusive)))
      [lo, loIncl] = [d.value!, d.inclusive === true];
    else if (d.check === 'less_than' && (d.value! < hi || (d.value === hi && !d.inclusive)))
      [hi, hiIncl] = [d.value!, d.inclusive === true];
    else rest.push(c);
  }
  const extra = combine(rest);
  if (extra === null) return null;
  return (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!safeInt || Number.isSafeInteger(v)) &&
    (loIncl ? v >= lo : v > lo) &&
    (hiIncl ? v <= hi : v < hi) &&
    (extra === true || extra(v));
}

/** Formats whose zod check is its pattern and nothing else (zod 4 $ZodCheckStringFormat). */
const REGEX_ONLY_FORMATS = new Set(['regex', 'datetime', 'date', 'time', 'duration', 'uuid', 'guid', 'email']);

/** The checks as one closure; true: there are none; null: one cannot run here. */
function combine(list: Node[]): Check | true | null {
  let all = true as Check | true;
  for (const c of list) {
    const check = checkOf(c);
    if (!check) return null;
    const before: Check | true = all;
    all = before === true ? check : (v) => before(v) && check(v);
  }
  return all;
}

function shapeOf(node: Node, def: Def): Check | null {
  switch (def.type) {
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'enum':
    case 'literal': {
      const values = node._zod.values;
      return values ? (v) => values.has(v) : null;
    }
    case 'nullable': {
      const inner = def.innerType && compileNode(def.innerType);
      return inner ? (v) => v === null || inner(v) : null;
    }
    case 'optional': {
      const inner = def.innerType && compileNode(def.innerType);
      return inner ? (v) => v === undefined || inner(v) : null;
    }
    case 'lazy': {
      const getter = def.getter;
      if (!getter) return null;
      let inner: Check | null | undefined;
      // Resolved on first use, as zod does: the schema it names may not exist yet at compile time.
      return (v) => {
        if (inner === undefined) inner = compileNode(getter());
        return inner !== null && inner(v);
      };
    }
    case 'array': {
      const element = def.element && compileNode(def.element);
      if (!element) return null;
      return (v) => {
        // A plain, dense array with nothing but its items: what JSON.parse makes, and what zod returns.
        if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'object':
      return objectOf(def);
    case 'union':
      return unionOf(def);
    default:
      return null;
  }
}

function objectOf(def: Def): Check | null {
  // A catch-all validates the keys the shape does not name: not compiled, zod does those.
  if (def.catchall || !def.shape) return null;
  const fields: { key: string; check: Check; optional: boolean }[] = [];
  for (const [key, field] of Object.entries(def.shape)) {
    if (key === '__proto__') return null;
    const { optin, optout } = field._zod;
    // Defaults fill a value in: the output would differ from the input.
    if (optin === 'defaulted') return null;
    const check = compileNode(field);
    if (!check) return null;
    fields.push({ key, check, optional: optin === 'optional' && optout === 'optional' });
  }
  return (v) => {
    // A plain object, as JSON.parse makes them: zod copies own and inherited values alike into a
    // plain object, so anything else (a prototype carrying fields, a Map) is left to it.
    if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
    const o = v as Record<string, unknown>;
    let present = 0;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (!(f.key in o)) {
        if (f.optional) continue;
        return false;
      }
      if (!f.check(o[f.key])) return false;
      present++;
    }
    // zod strips keys its shape does not name: leave those objects to zod, so the output is its own.
    // Every named key found counted once, so any other enumerable key makes the counts differ.
    let keys = 0;
    for (const key in o) if (key !== undefined) keys++;
    return keys === present;
  };
}

function unionOf(def: Def): Check | null {
  const options = def.options?.map((o) => ({ node: o, check: compileNode(o) }));
  if (!options || options.some((o) => !o.check)) return null;
  const discriminator = def.discriminator;
  if (discriminator === undefined) {
    // zod answers with the first option that parses; one that passes here parses unchanged.
    const checks = options.map((o) => o.check!);
    return (v) => checks.some((c) => c(v));
  }
  const byValue = new Map<unknown, Check>();
  for (const o of options) {
    const values = o.node._zod.propValues?.[discriminator];
    if (!values) return null;
    for (const value of values) {
      // Two options for one value: zod would try both; not worth compiling.
      if (byValue.has(value)) return null;
      byValue.set(value, o.check!);
    }
  }
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const check = byValue.get((v as Record<string, unknown>)[discriminator]);
    return check !== undefined && check(v);
  };
}

function checkOf(node: Node): Check | null {
  const def = node._zod.def;
  if (def.when) return generic(node);
  switch (def.check) {
    case 'overwrite':
      // trim(), toLowerCase()…: zod changes the value, so the input is not its output.
      return null;
    case 'min_length': {
      const min = def.minimum!;
      return (v) => (v as { length: number }).length >= min;
    }
    case 'max_length': {
      const max = def.maximum!;
      return (v) => (v as { length: number }).length <= max;
    }
    case 'greater_than': {
      const { value: bound, inclusive } = def;
      return inclusive ? (v) => (v as number) >= bound! : (v) => (v as number) > bound!;
    }
    case 'less_than': {
      const { value: bound, inclusive } = def;
      return inclusive ? (v) => (v as number) <= bound! : (v) => (v as number) < bound!;
    }
    case 'number_format':
      return def.format === 'safeint' ? (v) => Number.isSafeInteger(v) : generic(node);
    case 'string_format':
      // A plain regex (z.string().regex, or a format that is nothing more): test it as zod does.
      if (def.format === 'regex' && def.pattern) {
        const pattern = def.pattern;
        return (v) => {
          pattern.lastIndex = 0;
          return pattern.test(v as string);
        };
      }
      return generic(node);
    default:
      return generic(node);
  }
}

/** Any other check (a refinement, a format with its own test): zod's own function, on its own terms. */
function generic(node: Node): Check | null {
  const run = node._zod.check;
  if (!run) return null;
  const when = node._zod.def.when;
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    if (when && !when(payload)) return true;
    const result = run(payload);
    return !(result instanceof Promise) && payload.issues.length === 0;
  };
}

/**
 * `schema.safeParse` with the compiled fast path in front: a value the closures accept is returned
 * as it is (zod would return an equal copy); anything else goes through zod.
 */
export function fastParser<S extends z.ZodType>(schema: S): (input: unknown) => z.ZodSafeParseResult<z.output<S>> {
  const check = compileCheck(schema);
  if (!check) return (input) => schema.safeParse(input);
  return (input) => (check(input) ? { success: true, data: input as z.output<S> } : schema.safeParse(input));
}

const parsers = new WeakMap<z.ZodType, (input: unknown) => z.ZodSafeParseResult<unknown>>();

/** fastParser(schema)(input), with the compiled parser kept per schema. */
export function fastSafeParse<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  let parse = parsers.get(schema);
  if (!parse) parsers.set(schema, (parse = fastParser(schema)));
  return parse(input) as z.ZodSafeParseResult<z.output<S>>;
}
