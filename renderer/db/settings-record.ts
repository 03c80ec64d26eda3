/**
 * Settings records in the `settings` table, read so that damage stays small: each field is checked
 * on its own (and each entry of a map-like field), and only what does not parse falls back to its
 * default. One unreadable value must never wipe a workstation's other choices (its printers, say).
 */
import { z } from 'zod';
import type { BackstopDB } from './schema';

export function recoverFields<S extends z.ZodObject>(schema: S, defaults: z.infer<S>, raw: unknown): z.infer<S> {
  const whole = schema.safeParse(raw);
  if (whole.success) return whole.data;
  const source = isPlainObject(raw) ? raw : {};
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, field] of Object.entries<z.ZodType>(schema.shape)) {
    if (!(key in source)) continue;
    const parsed = field.safeParse(source[key]);
    if (parsed.success) out[key] = parsed.data;
    else if (field instanceof z.ZodRecord && isPlainObject(source[key])) out[key] = recoverEntries(field, source[key]);
  }
  return schema.parse(out);
}

/** The entries of a record that parse, one by one. */
function recoverEntries(field: z.ZodRecord, raw: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (field.safeParse({ [k]: v }).success) kept[k] = v;
  }
  return kept;
}

export async function loadSettingsRecord<S extends z.ZodObject>(
  db: BackstopDB,
  key: string,
  schema: S,
  defaults: z.infer<S>,
): Promise<z.infer<S>> {
  const row = await db.settings.get(key);
  return recoverFields(schema, defaults, row?.value);
}

export async function saveSettingsRecord<S extends z.ZodObject>(db: BackstopDB, key: string, schema: S, value: z.infer<S>): Promise<void> {
  await db.settings.put({ key, value: schema.parse(value) });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
