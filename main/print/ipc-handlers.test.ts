import { describe, expect, it, vi } from 'vitest';
import type { PrintJobInfo, PrintOutcome } from '../../shared/documents/print-job';
import { MAX_DOCUMENT_HTML } from '../../shared/documents/types';
import { createIpcRouter, type IpcHandlers, type SenderInfo } from '../ipc';
import { printIpcHandlers } from './ipc-handlers';
import type { PrintService } from './service';

vi.mock('electron', () => ({}));

const fromApp: SenderInfo = { senderFrame: { url: 'app://backstop/index.html', parent: null } };

const queuedJob: PrintJobInfo = {
  id: '5c1f0e3a-0000-4000-8000-000000000001',
  kind: 'boarding-pass',
  title: 'Boarding pass',
  pageSize: { paper: 'roll-80', widthMm: 80, heightMm: 180 },
  target: { kind: 'cups', queue: 'PDF' },
  copies: 1,
  context: { flightId: 'F1', passengerId: 'P1', staffId: 'AG1001' },
  createdAt: '2026-11-26T13:10:00.000Z',
  status: 'queued',
  attempts: 1,
  nextAttemptAt: '2026-11-26T13:10:05.000Z',
  lastError: { code: 'PRINTER_OFFLINE', message: 'The printer is offline: printer PDF is paused.' },
  finishedAt: null,
  archiveRef: '/u/prints/2026-11-26/x.pdf',
  reprintOf: null,
};

function router(service: Partial<PrintService> | Promise<never>) {
  const handlers: IpcHandlers = {
    'app:info': () => {
      throw new Error('not used');
    },
    'app:status': () => null,
    'app:diagnostics': () => {
      throw new Error('not used');
    },
    'app:export-diagnostics': () => ({ saved: false }),
    'app:install-update': () => ({ started: false, reason: 'disabled' }),
    'device:enrol': () => ({ ok: false, code: 'NO_ENROLMENT_CODE', message: 'not used' }),
    'vault:open': () => ({ status: 'unavailable', message: 'not used' }),
    'vault:accept-risk': () => ({ status: 'unavailable', message: 'not used' }),
    'app:wipe': () => ({ wiped: false }),
    'relay:status': () => {
      throw new Error('not used');
    },
    'relay:issue-code': () => {
      throw new Error('not used');
    },
    ...printIpcHandlers(service instanceof Promise ? service : Promise.resolve(service as PrintService)),
  };
  return createIpcRouter(handlers, () => {});
}

const request = {
  document: {
    kind: 'boarding-pass',
    title: 'Boarding pass',
    html: '<!doctype html><p>x</p>',
    pageSize: { paper: 'roll-80', widthMm: 80, heightMm: 180 },
  },
  target: { kind: 'cups', queue: 'PDF' },
  copies: 1,
  context: { flightId: 'F1', passengerId: 'P1', staffId: 'AG1001' },
};

describe('print IPC channels', () => {
  it('passes a valid request to the print service and returns an offline printer as a value, with the queued job', async () => {
    const outcome: PrintOutcome = {
      ok: false,
      code: 'PRINTER_OFFLINE',
      message: 'The printer is offline. The job is queued.',
      job: queuedJob,
    };
    const submit = vi.fn(async () => outcome);
    await expect(router({ submit })('print:document', fromApp, request)).resolves.toEqual({ ok: true, value: outcome });
    expect(submit).toHaveBeenCalledWith(request);
  });

  it.each<[string, unknown]>([
    ['an HTML document over the size limit', { ...request, document: { ...request.document, html: 'x'.repeat(MAX_DOCUMENT_HTML + 1) } }],
    ['a CUPS queue name that looks like an lp option', { ...request, target: { kind: 'cups', queue: '-oevil' } }],
    ['a CUPS queue name with a space', { ...request, target: { kind: 'cups', queue: 'PDF queue' } }],
    ['a printer name with control characters', { ...request, target: { kind: 'system', printer: 'Laser\u0000\n' } }],
    ['a browser-only target', { ...request, target: { kind: 'dialog' } }],
    ['no copies', { ...request, copies: 0 }],
    [
      'a page 5 metres long',
      { ...request, document: { ...request.document, pageSize: { paper: 'roll-80', widthMm: 80, heightMm: 5000 } } },
    ],
    ['an unknown document kind', { ...request, document: { ...request.document, kind: 'ransom-note' } }],
    ['no staff id', { ...request, context: { flightId: null, passengerId: null } }],
  ])('refuses %s before it reaches the print service', async (_what, payload) => {
    const submit = vi.fn();
    await expect(router({ submit })('print:document', fromApp, payload)).resolves.toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
    expect(submit).not.toHaveBeenCalled();
  });

  it('answers jobs, printers, reprint, cancel and retry through the service', async () => {
    const ok: PrintOutcome = { ok: true, job: { ...queuedJob, status: 'cancelled' } };
    const svc = {
      jobList: () => [queuedJob],
      printers: async () => [
        { target: { kind: 'pdf' as const }, name: 'Save as PDF', description: '', isDefault: false, status: 'ready' as const },
      ],
      reprint: vi.fn(async () => ok),
      cancel: vi.fn(async () => ok),
      retry: vi.fn(async () => ok),
    };
    const route = router(svc);
    await expect(route('print:jobs', fromApp, null)).resolves.toEqual({ ok: true, value: [queuedJob] });
    await expect(route('print:printers', fromApp, null)).resolves.toMatchObject({ ok: true, value: [{ name: 'Save as PDF' }] });
    await route('print:reprint', fromApp, { jobId: queuedJob.id, target: null, copies: 2, staffId: 'SU9001' });
    expect(svc.reprint).toHaveBeenCalledWith({ jobId: queuedJob.id, target: null, copies: 2, staffId: 'SU9001' });
    await route('print:cancel', fromApp, { jobId: queuedJob.id });
    expect(svc.cancel).toHaveBeenCalledWith(queuedJob.id);
    await route('print:retry', fromApp, { jobId: queuedJob.id });
    expect(svc.retry).toHaveBeenCalledWith(queuedJob.id);
    await expect(route('print:cancel', fromApp, { jobId: '../../etc' })).resolves.toMatchObject({ ok: false, code: 'BAD_PAYLOAD' });
  });

  it('turns a print service that failed to start into a typed error, not an exception', async () => {
    const failed = Promise.reject(new Error('userData is read-only'));
    failed.catch(() => {});
    await expect(router(failed)('print:jobs', fromApp, null)).resolves.toEqual({
      ok: false,
      code: 'FAILED',
      message: 'userData is read-only',
    });
  });
});
