import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PrintTarget } from '../../shared/documents/print-job';
import { DocumentKind } from '../../shared/documents/types';
import { recoverFields } from './settings-record';

const Schema = z.object({
  targets: z.partialRecord(DocumentKind, PrintTarget),
  sheet: z.enum(['A4', 'Letter']),
  minutes: z.number().int().min(1),
});
const DEFAULTS: z.infer<typeof Schema> = { targets: {}, sheet: 'A4', minutes: 5 };

describe('a settings record read field by field', () => {
  it('keeps every good field when one field is damaged', () => {
    const raw = { targets: { manifest: { kind: 'cups', queue: 'GATE12' } }, sheet: 'A3', minutes: 10 };
    expect(recoverFields(Schema, DEFAULTS, raw)).toEqual({
      targets: { manifest: { kind: 'cups', queue: 'GATE12' } },
      sheet: 'A4',
      minutes: 10,
    });
  });

  it('keeps the good entries of a printer map when one entry is damaged', () => {
    const raw = {
      targets: { manifest: { kind: 'cups', queue: 'GATE12' }, 'boarding-pass': { kind: 'teleport' } },
      sheet: 'Letter',
      minutes: 3,
    };
    expect(recoverFields(Schema, DEFAULTS, raw)).toEqual({
      targets: { manifest: { kind: 'cups', queue: 'GATE12' } },
      sheet: 'Letter',
      minutes: 3,
    });
  });

  it('falls back to the defaults for a record that is missing or not an object at all', () => {
    expect(recoverFields(Schema, DEFAULTS, undefined)).toEqual(DEFAULTS);
    expect(recoverFields(Schema, DEFAULTS, 'garbage')).toEqual(DEFAULTS);
  });
});
