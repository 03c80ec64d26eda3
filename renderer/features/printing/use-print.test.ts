/**
 * Printing from the screens tells the agent what happened, as it happened: a document that went to
 * the browser's print dialog is "sent to the print dialog", a download "downloaded"; a failing
 * print service is a message on screen, never an unhandled rejection; a pass issued again is a
 * numbered reprint, and logged as one.
 */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/clock';
import type { PrintJobInfo, PrintOutcome, PrintTarget } from '../../../shared/documents/print-job';
import type { PrintDocument } from '../../../shared/documents/types';
import { ok } from '../../../shared/result';
import { A320, checkedIn, flight } from '../../../tests/support/fixtures';
import { memoryDatabase, seedFlight } from '../../../tests/support/memory-db';
import type { Host } from '../../host';
import type { Services } from '../../services';
import { DEFAULT_SETTINGS } from '../../settings';
import { deliveryWords, passesIssued, printAndRecord } from './use-print';

const NOW = '2027-03-27T22:30:00.000Z';
const F = flight({ id: 'F1' });
const staff = { id: 'AG1001', name: 'Priya Shah', role: 'agent' as const, at: NOW };
const doc: PrintDocument = {
  kind: 'boarding-pass',
  title: 'Boarding pass SMITH/ANNA BQ123 26NOV',
  html: '<!doctype html><p>pass</p>',
  pageSize: { paper: 'A4', widthMm: 210, heightMm: 297 },
};

function job(target: PrintTarget, status: PrintJobInfo['status'], reprintOf: string | null = null): PrintJobInfo {
  return {
    id: `job-${Math.abs(JSON.stringify(target).length * 7919 + status.length)}-${reprintOf ?? 'first'}`,
    kind: 'boarding-pass',
    title: doc.title,
    pageSize: doc.pageSize,
    target,
    copies: 1,
    context: { flightId: F.id, passengerId: 'P1', staffId: 'AG1001' },
    createdAt: NOW,
    status,
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    finishedAt: NOW,
    archiveRef: null,
    reprintOf,
  };
}

async function services(print: Host['print']): Promise<Services> {
  const host = {
    kind: 'browser',
    print,
    printers: async () =>
      ok([{ target: { kind: 'dialog' }, name: 'Print dialog', description: '', isDefault: true, status: 'ready' as const }]),
  } as unknown as Host;
  const db = memoryDatabase();
  await seedFlight(db, { flight: F, seatMap: A320, passengers: [checkedIn({ id: 'P1', flightId: F.id })] });
  return {
    host,
    clock: fixedClock(NOW),
    db,
    info: {
      version: 'test',
      platform: 'test',
      workstation: 'DESK-1',
      backendUrl: 'http://127.0.0.1:9',
      station: 'LHR',
      demoEnrolment: false,
      notice: null,
      clockOffsetMs: 0,
    },
    sync: { syncNow: () => undefined, localWrite: () => undefined, declareFallback: () => undefined, stop: () => undefined },
    settings: DEFAULT_SETTINGS,
  };
}

describe('what the agent is told about a print', () => {
  it('says where the document went, not that it printed', () => {
    expect(deliveryWords(job({ kind: 'dialog' }, 'printed'))).toBe('sent to the print dialog');
    expect(deliveryWords(job({ kind: 'download' }, 'saved'))).toBe('downloaded');
    expect(deliveryWords(job({ kind: 'cups', queue: 'GATE1' }, 'printed'))).toBe('printed on GATE1 (CUPS)');
    expect(deliveryWords(job({ kind: 'pdf' }, 'saved'))).toBe('saved as PDF in the print archive');
    expect(deliveryWords(job({ kind: 'system', printer: 'Zebra' }, 'queued'))).toBe('waiting for Zebra');
  });

  it('shows a print service that throws as a message, and resolves', async () => {
    const s = await services(() => Promise.reject(new Error('IPC channel closed')));
    const feedback = await printAndRecord(s, staff, doc, { flightId: 'F1', passengerId: 'P1' });
    expect(feedback).toEqual({ kind: 'bad', title: 'Not printed', message: 'IPC channel closed' });
    expect(await s.db.prints.count()).toBe(0);
  });

  it('records a job sent to the print dialog, logs it, and says so in those words', async () => {
    const s = await services(async (): Promise<PrintOutcome> => ({ ok: true, job: job({ kind: 'dialog' }, 'printed') }));
    const feedback = await printAndRecord(s, staff, doc, { flightId: 'F1', passengerId: 'P1', pass: { seat: '14C', seqNo: 12 } });
    expect(feedback).toMatchObject({ kind: 'ok', title: `${doc.title}: sent to the print dialog` });
    expect(feedback?.message).toMatch(/check the printer/i);
    expect(await s.db.prints.toArray()).toMatchObject([{ passengerId: 'P1', document: 'boarding-pass', status: 'printed' }]);
    const [logged] = await s.db.outbox.toArray();
    expect(logged).toMatchObject({ type: 'print.logged', args: { reprint: false, passengerId: 'P1', seat: '14C', seqNo: 12 } });
    expect(await passesIssued(s.db, 'F1', 'P1')).toBe(1);
  });

  it('logs a reprint as a reprint', async () => {
    const s = await services(async (): Promise<PrintOutcome> => ({ ok: true, job: job({ kind: 'download' }, 'saved') }));
    const feedback = await printAndRecord(s, staff, doc, { flightId: 'F1', passengerId: 'P1' }, true);
    expect(feedback).toMatchObject({ kind: 'ok', title: `${doc.title}: downloaded` });
    const [logged] = await s.db.outbox.toArray();
    expect(logged).toMatchObject({ type: 'print.logged', args: { reprint: true } });
  });

  it('does not count a failed print as an issued pass', async () => {
    const s = await services(async (): Promise<PrintOutcome> => ({
      ok: false,
      code: 'PRINT_FAILED',
      message: 'The print frame did not open.',
      job: { ...job({ kind: 'dialog' }, 'failed'), lastError: { code: 'PRINT_FAILED', message: 'The print frame did not open.' } },
    }));
    const feedback = await printAndRecord(s, staff, doc, { flightId: 'F1', passengerId: 'P1' });
    expect(feedback).toMatchObject({ kind: 'bad', message: 'The print frame did not open.' });
    expect(await passesIssued(s.db, 'F1', 'P1')).toBe(0);
  });
});
