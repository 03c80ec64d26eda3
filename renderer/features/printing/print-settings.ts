/** Which printer each kind of document goes to at this workstation, and the boarding-pass stock. */
import { z } from 'zod';
import { PrintTarget } from '../../../shared/documents/print-job';
import { PASS_PAPERS } from '../../../shared/documents/page';
import { DocumentKind } from '../../../shared/documents/types';
import type { BackstopDB } from '../../db/schema';
import { loadSettingsRecord, saveSettingsRecord } from '../../db/settings-record';
import type { Host } from '../../host';

export const PrintSettings = z.object({
  targets: z.partialRecord(DocumentKind, PrintTarget),
  boardingPassLayout: z.enum(PASS_PAPERS),
  sheet: z.enum(['A4', 'Letter']),
});
export type PrintSettings = z.infer<typeof PrintSettings>;

export const DEFAULT_PRINT_SETTINGS: PrintSettings = { targets: {}, boardingPassLayout: 'atb', sheet: 'A4' };

const KEY = 'printing';

/** One damaged printer choice (or field) falls back alone; every other choice is kept. */
export function loadPrintSettings(db: BackstopDB): Promise<PrintSettings> {
  return loadSettingsRecord(db, KEY, PrintSettings, DEFAULT_PRINT_SETTINGS);
}

export function savePrintSettings(db: BackstopDB, settings: PrintSettings): Promise<void> {
  return saveSettingsRecord(db, KEY, PrintSettings, settings);
}

/** The chosen printer for a document kind, else the host's default printer, else keep it as a PDF. */
export async function targetFor(host: Host, settings: PrintSettings, kind: DocumentKind): Promise<PrintTarget> {
  const chosen = settings.targets[kind];
  if (chosen) return chosen;
  const listed = await host.printers();
  const printers = listed.ok ? listed.value : [];
  return (printers.find((p) => p.isDefault) ?? printers[0])?.target ?? (host.kind === 'electron' ? { kind: 'pdf' } : { kind: 'dialog' });
}
