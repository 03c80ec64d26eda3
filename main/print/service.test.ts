/**
 * The print pipeline end to end on real parts: documents rendered to PDF by Chromium (the engine
 * inside Electron, driven through playwright-core instead of a BrowserWindow), the print archive
 * and queue file on disk, and the real CUPS queue "PDF" (cups-pdf) of scripts/cups-test-queue.sh.
 * Only the clock is ours, so retries happen when the test says, not after real waiting.
 */
import { execFile as execFileCb } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseBoardingPassScan } from '../../shared/bcbp/scan';
import { isScannerTestPass } from '../../shared/bcbp/test-pass';
import { boardingPass } from '../../shared/documents/boarding-pass';
import { printerTestPage } from '../../shared/documents/test-page';
import type { ElectronPrintTarget, PrintOutcome } from '../../shared/documents/print-job';
import type { PrintDocument } from '../../shared/documents/types';
import { SAMPLE_PROVENANCE } from '../../tests/support/sample-flight';
import { checkedIn, flight } from '../../tests/support/fixtures';
import { PrintArchive } from './archive';
import { launchChromiumBackend, type ChromiumBackend } from '../../tests/support/print/chromium-backend';
import { runCommand } from './cups';
import { mmToPt, pdfInfo, pdfText, readPdf417FromPdf } from '../../tests/support/print/pdf-tools';
import { PrintQueueStore } from './queue-store';
import { PrintService, type Timers } from './service';

vi.mock('electron', () => ({}));

const execFile = promisify(execFileCb);
const QUEUE = 'PDF';
const CUPS_PDF_OUT = process.env.BACKSTOP_CUPS_PDF_DIR ?? path.join(os.homedir(), 'PDF');
const hasCups = existsSync('/usr/bin/lp') || existsSync('/usr/local/bin/lp');
const context = { flightId: 'BQ123-2026-11-26-LHR', passengerId: 'P1', staffId: 'AG1001' };

let chromium: ChromiumBackend;
let dir: string;
/** cups-pdf output of these tests, removed at the end. */
const printed: string[] = [];

beforeAll(async () => {
  chromium = await launchChromiumBackend();
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstop-print-'));
});
afterAll(async () => {
  await chromium?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await Promise.all(printed.map((f) => rm(f, { force: true })));
});

function boardingPassDoc(layout: 'A4' | 'roll-80' | 'atb' = 'roll-80', lastName = 'FALLBACK'): PrintDocument {
  const r = boardingPass({
    flight: flight(),
    passenger: checkedIn({ lastName, firstName: 'TESTER', seat: '12C', seqNo: 42 }),
    provenance: SAMPLE_PROVENANCE,
    layout,
  });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** A service on its own folder, with a clock the test moves. */
async function service(name: string, o: { backend?: ChromiumBackend; timers?: Timers | null } = {}) {
  const userData = path.join(dir, name);
  let now = new Date('2026-11-26T13:10:00.000Z');
  const log = vi.fn();
  const open = () =>
    PrintService.open({
      archive: new PrintArchive(path.join(userData, 'prints')),
      store: new PrintQueueStore(path.join(userData, 'print-queue.json'), log, () => now),
      backend: o.backend ?? chromium,
      cups: runCommand,
      log,
      now: () => now,
      timers: o.timers ?? null,
    });
  return {
    userData,
    log,
    open,
    svc: await open(),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    async queueFile() {
      return JSON.parse(await readFile(path.join(userData, 'print-queue.json'), 'utf8')) as {
        jobs: { id: string; status: string; attempts: number }[];
      };
    },
  };
}

function job(outcome: PrintOutcome) {
  if (!outcome.job) throw new Error(`no job: ${outcome.ok ? '' : outcome.message}`);
  return outcome.job;
}

/**
 * Who the printed boarding pass is for, read from its barcode: cups-pdf re-distils the PDF with
 * Type 3 fonts that pdftotext cannot read back, so the paper is checked the way a gate reads it.
 */
async function scannedName(file: string): Promise<string> {
  const [text] = await readPdf417FromPdf(file);
  const scan = parseBoardingPassScan(text ?? '', { today: '2026-11-26' });
  if (!scan.ok) throw new Error(`no boarding pass barcode on ${file}: ${scan.message}`);
  return scan.value.name;
}

/** The file cups-pdf writes for a CUPS request id such as "PDF-12" (it appears a moment later). */
async function cupsPdfOutput(requestId: string): Promise<string> {
  const n = requestId.split('-').pop();
  for (let i = 0; i < 300; i++) {
    const names = existsSync(CUPS_PDF_OUT) ? await readdir(CUPS_PDF_OUT) : [];
    const hit = names.find((f) => f.endsWith(`job_${n}.pdf`));
    if (hit) {
      const file = path.join(CUPS_PDF_OUT, hit);
      // cups-pdf writes in place; wait until the PDF is complete.
      if ((await readFile(file)).includes('%%EOF')) {
        printed.push(file);
        return file;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cups-pdf produced no output for ${requestId} in ${CUPS_PDF_OUT}`);
}

async function requestIdOf(userData: string, jobId: string): Promise<string> {
  const file = JSON.parse(await readFile(path.join(userData, 'print-queue.json'), 'utf8')) as {
    jobs: { id: string; cupsRequestId: string | null }[];
  };
  const id = file.jobs.find((j) => j.id === jobId)?.cupsRequestId;
  if (!id) throw new Error(`job ${jobId} has no CUPS request id`);
  return id;
}

describe('print service: archive and PDF', () => {
  it('keeps the PDF in the archive under prints/<date>/<jobId>-<document>.pdf and lists the job', async () => {
    const s = await service('archive');
    const outcome = await s.svc.submit({ document: boardingPassDoc('A4'), target: { kind: 'pdf' }, copies: 1, context });
    expect(outcome).toMatchObject({ ok: true, job: { status: 'saved', kind: 'boarding-pass', attempts: 1, context } });
    const j = job(outcome);
    expect(j.archiveRef).toBe(path.join(s.userData, 'prints', '2026-11-26', `${j.id}-boarding-pass.pdf`));
    const text = await pdfText(j.archiveRef!);
    expect(text).toContain('FALLBACK/TESTER MS');
    expect(text).toContain('12C');
    expect(s.svc.jobList().map((x) => x.id)).toEqual([j.id]);
    expect((await s.queueFile()).jobs).toMatchObject([{ id: j.id, status: 'saved' }]);
  });

  it('reprints from the archive as a new job with the very same PDF', async () => {
    const s = await service('reprint');
    const first = job(await s.svc.submit({ document: boardingPassDoc('atb'), target: { kind: 'pdf' }, copies: 1, context }));
    s.advance(60_000);
    const again = await s.svc.reprint({ jobId: first.id, target: null, copies: null, staffId: 'SU9001' });
    const second = job(again);
    expect(again.ok).toBe(true);
    expect(second).toMatchObject({ reprintOf: first.id, status: 'saved', context: { ...context, staffId: 'SU9001' } });
    expect(second.id).not.toBe(first.id);
    expect(await readFile(second.archiveRef!)).toEqual(await readFile(first.archiveRef!));
    await expect(s.svc.reprint({ jobId: 'no-such-job-0000', target: null, copies: null, staffId: 'AG1001' })).resolves.toMatchObject({
      ok: false,
      code: 'JOB_NOT_FOUND',
    });
  });

  it('reports a document that cannot be rendered as RENDER_FAILED and keeps nothing', async () => {
    const broken: ChromiumBackend = { ...chromium, renderPdf: () => Promise.reject(new Error('renderer crashed')) };
    const s = await service('render-fail', { backend: broken });
    const outcome = await s.svc.submit({ document: boardingPassDoc(), target: { kind: 'pdf' }, copies: 1, context });
    expect(outcome).toMatchObject({ ok: false, code: 'RENDER_FAILED', job: null });
    expect(await readdir(path.join(s.userData, 'prints', '2026-11-26'))).toEqual([]);
    expect(s.svc.jobList()).toEqual([]);
  });

  it('prints no local files or network resources, even when a document asks for them', async () => {
    const s = await service('hostile');
    const hostile: PrintDocument = {
      kind: 'manifest',
      title: 'Hostile',
      pageSize: { paper: 'A4', widthMm: 210, heightMm: 297 },
      html: '<!doctype html><html><body><p>VISIBLE</p><iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object><img src="http://127.0.0.1:9/x.png"><script>document.body.append("SCRIPT RAN")</script></body></html>',
    };
    const j = job(await s.svc.submit({ document: hostile, target: { kind: 'pdf' }, copies: 1, context }));
    const text = await pdfText(j.archiveRef!);
    expect(text).toContain('VISIBLE');
    expect(text).not.toMatch(/root:|SCRIPT RAN/);
  });

  it('sets a corrupt queue file aside and goes on printing', async () => {
    const s = await service('corrupt');
    await s.svc.close();
    await mkdir(s.userData, { recursive: true });
    await writeFile(path.join(s.userData, 'print-queue.json'), '{"version":1,"jobs":[{"id":');
    const svc = await s.open();
    expect(svc.jobList()).toEqual([]);
    expect((await readdir(s.userData)).some((f) => f.startsWith('print-queue.json.corrupt-'))).toBe(true);
    expect(s.log).toHaveBeenCalledWith(expect.stringContaining('set aside'));
    await expect(svc.submit({ document: boardingPassDoc(), target: { kind: 'pdf' }, copies: 1, context })).resolves.toMatchObject({
      ok: true,
    });
  });
});

describe('print service: system printers (Chromium print path)', () => {
  it('prints silently to a connected printer, from the archived HTML', async () => {
    chromium.systemPrinters = [{ name: 'Gate B32 laser', displayName: 'Gate B32 laser', description: '', isDefault: true, state: 'ready' }];
    const s = await service('system');
    const outcome = await s.svc.submit({
      document: boardingPassDoc('A4'),
      target: { kind: 'system', printer: 'Gate B32 laser' },
      copies: 2,
      context,
    });
    expect(outcome).toMatchObject({ ok: true, job: { status: 'printed' } });
    const sent = chromium.silentPrints.at(-1)!;
    expect(sent.options).toEqual({ printer: 'Gate B32 laser', pageSize: { paper: 'A4', widthMm: 210, heightMm: 297 }, copies: 2 });
    expect(await readFile(sent.htmlFile, 'utf8')).toContain('FALLBACK/TESTER MS');
  });

  it('queues the job while the printer is unplugged or paused, and prints it when it is back', async () => {
    chromium.systemPrinters = [];
    const s = await service('system-offline');
    const target: ElectronPrintTarget = { kind: 'system', printer: 'Gate B32 laser' };
    const first = await s.svc.submit({ document: boardingPassDoc(), target, copies: 1, context });
    expect(first).toMatchObject({
      ok: false,
      code: 'PRINTER_NOT_FOUND',
      job: { status: 'queued', nextAttemptAt: '2026-11-26T13:10:05.000Z' },
    });
    chromium.systemPrinters = [
      { name: 'Gate B32 laser', displayName: 'Gate B32 laser', description: '', isDefault: false, state: 'offline' },
    ];
    s.advance(5_000);
    await s.svc.retryDue();
    expect(s.svc.jobList()[0]).toMatchObject({
      status: 'queued',
      attempts: 2,
      lastError: { code: 'PRINTER_OFFLINE' },
      nextAttemptAt: '2026-11-26T13:10:15.000Z',
    });
    chromium.systemPrinters[0]!.state = 'ready';
    s.advance(10_000);
    await s.svc.retryDue();
    expect(s.svc.jobList()[0]).toMatchObject({ status: 'printed', attempts: 3, lastError: null });
  });
});

describe.skipIf(!hasCups)('print service: CUPS queue "PDF" (cups-pdf)', () => {
  beforeAll(async () => {
    // CI starts CUPS in .ci/run; this makes the tests runnable on their own too.
    await execFile('scripts/cups-test-queue.sh', ['start'], { cwd: path.resolve(import.meta.dirname, '../..') });
  });

  it('delivers a roll boarding pass through lp with its own page size; cups-pdf writes it out', async () => {
    const s = await service('cups');
    const outcome = await s.svc.submit({
      document: boardingPassDoc('roll-80', 'CUPSROLL'),
      target: { kind: 'cups', queue: QUEUE },
      copies: 1,
      context,
    });
    expect(outcome).toMatchObject({ ok: true, job: { status: 'printed', target: { kind: 'cups', queue: QUEUE } } });
    const out = await cupsPdfOutput(await requestIdOf(s.userData, job(outcome).id));
    expect(await scannedName(out)).toBe('CUPSROLL/TESTER');
    const info = await pdfInfo(out);
    expect(info.pages).toBe(1);
    expect(Math.abs(info.widthPt - mmToPt(80))).toBeLessThan(2);
    expect(Math.abs(info.heightPt - mmToPt(180))).toBeLessThan(2);
  });

  it('shows the spooler a neutral job title, never the passenger (the title cups-pdf names its file after)', async () => {
    const s = await service('cups-title');
    const outcome = await s.svc.submit({
      document: boardingPassDoc('roll-80', 'SPOOLNAME'),
      target: { kind: 'cups', queue: QUEUE },
      copies: 1,
      context,
    });
    expect(outcome).toMatchObject({ ok: true, job: { status: 'printed' } });
    const out = await cupsPdfOutput(await requestIdOf(s.userData, job(outcome).id));
    expect(await scannedName(out)).toBe('SPOOLNAME/TESTER'); // the paper does name the passenger
    // cups-pdf names its output after the job's title as the spooler carried it (what lpstat and the
    // CUPS web page list): the kind of document and the job number only.
    expect(path.basename(out)).not.toMatch(/SPOOLNAME|TESTER/i);
    expect(path.basename(out)).toMatch(new RegExp(`Backstop.boarding-pass.${job(outcome).id.slice(0, 8)}`));
  });

  it('keeps the job queued while the queue is paused and prints it on a retry after cupsenable', async () => {
    const s = await service('cups-offline');
    try {
      await execFile('cupsdisable', [QUEUE]);
      const outcome = await s.svc.submit({
        document: boardingPassDoc('atb', 'PAUSED'),
        target: { kind: 'cups', queue: QUEUE },
        copies: 1,
        context,
      });
      expect(outcome).toMatchObject({ ok: false, code: 'PRINTER_OFFLINE', job: { status: 'queued', attempts: 1 } });
      expect(outcome.ok ? '' : outcome.message).toMatch(/paused.*queued/s);
      expect((await s.queueFile()).jobs).toMatchObject([{ status: 'queued' }]);

      s.advance(5_000);
      await s.svc.retryDue();
      expect(s.svc.jobList()[0]).toMatchObject({ status: 'queued', attempts: 2 });

      await execFile('cupsenable', [QUEUE]);
      s.advance(10_000);
      await s.svc.retryDue();
      const done = s.svc.jobList()[0]!;
      expect(done).toMatchObject({ status: 'printed', attempts: 3 });
      const out = await cupsPdfOutput(await requestIdOf(s.userData, done.id));
      expect(await scannedName(out)).toBe('PAUSED/TESTER');
      expect(Math.abs((await pdfInfo(out)).widthPt - mmToPt(203))).toBeLessThan(2);
    } finally {
      await execFile('cupsenable', [QUEUE]);
      await execFile('cupsaccept', [QUEUE]);
    }
  });

  it('picks up a queued job after a restart and prints it once the printer is back', async () => {
    const s = await service('cups-restart');
    try {
      await execFile('cupsreject', [QUEUE]);
      const queued = job(
        await s.svc.submit({
          document: printerTestPage({ paper: 'A4', printer: QUEUE, provenance: SAMPLE_PROVENANCE }),
          target: { kind: 'cups', queue: QUEUE },
          copies: 1,
          context: { ...context, flightId: null, passengerId: null },
        }),
      );
      expect(queued.status).toBe('queued');
      await s.svc.close();
    } finally {
      await execFile('cupsaccept', [QUEUE]);
      await execFile('cupsenable', [QUEUE]);
    }
    const restarted = await s.open();
    s.advance(5_000);
    await restarted.retryDue();
    const done = restarted.jobList()[0]!;
    expect(done).toMatchObject({ status: 'printed', attempts: 2 });
    const [text] = await readPdf417FromPdf(await cupsPdfOutput(await requestIdOf(s.userData, done.id)));
    const scan = parseBoardingPassScan(text ?? '', { today: '2026-11-26' });
    expect(scan.ok && isScannerTestPass(scan.value)).toBe(true);
  });

  it('waits for a queue that does not exist, and can be cancelled', async () => {
    const s = await service('cups-missing');
    const outcome = await s.svc.submit({
      document: boardingPassDoc(),
      target: { kind: 'cups', queue: 'NO_SUCH_QUEUE' },
      copies: 1,
      context,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'PRINTER_NOT_FOUND', job: { status: 'queued' } });
    const cancelled = await s.svc.cancel(job(outcome).id);
    expect(cancelled).toMatchObject({ ok: true, job: { status: 'cancelled' } });
    await expect(s.svc.cancel(job(outcome).id)).resolves.toMatchObject({ ok: false, code: 'JOB_FINISHED' });
    s.advance(60_000);
    await s.svc.retryDue();
    expect(s.svc.jobList()[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
  });

  it('stops retrying after two hours; "retry now" revives the job', async () => {
    const s = await service('cups-expiry');
    const id = job(
      await s.svc.submit({ document: boardingPassDoc(), target: { kind: 'cups', queue: 'NO_SUCH_QUEUE' }, copies: 1, context }),
    ).id;
    s.advance(2 * 60 * 60 * 1000 + 1);
    await s.svc.retryDue();
    expect(s.svc.jobList()[0]).toMatchObject({ status: 'failed', lastError: { code: 'JOB_EXPIRED' } });
    const revived = await s.svc.retry(id);
    expect(revived).toMatchObject({ ok: false, code: 'PRINTER_NOT_FOUND', job: { status: 'queued' } });
    const redirected = await s.svc.reprint({ jobId: id, target: { kind: 'cups', queue: QUEUE }, copies: null, staffId: 'AG1001' });
    expect(redirected).toMatchObject({ ok: true, job: { status: 'printed', reprintOf: id } });
    expect(await scannedName(await cupsPdfOutput(await requestIdOf(s.userData, job(redirected).id)))).toBe('FALLBACK/TESTER');
  });

  it('lists the CUPS queues next to the system printers and Save as PDF', async () => {
    chromium.systemPrinters = [{ name: 'PDF', displayName: 'PDF', description: 'cups-pdf', isDefault: false, state: 'ready' }];
    const s = await service('printers');
    const list = await s.svc.printers();
    expect(list.map((p) => p.target)).toEqual([{ kind: 'system', printer: 'PDF' }, { kind: 'cups', queue: QUEUE }, { kind: 'pdf' }]);
    expect(list.find((p) => p.target.kind === 'cups')).toMatchObject({ status: 'ready' });
  });
});

describe('print service: retry timer', () => {
  it('schedules the next retry for the earliest queued job, with capped backoff', async () => {
    chromium.systemPrinters = [];
    const set = vi.fn<(fn: () => void, ms: number) => unknown>(() => 'timer');
    const clear = vi.fn();
    const s = await service('timers', { timers: { set, clear } });
    await s.svc.submit({ document: boardingPassDoc(), target: { kind: 'system', printer: 'Gone' }, copies: 1, context });
    expect(set).toHaveBeenLastCalledWith(expect.any(Function), 5_000);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [, ms] = set.mock.lastCall!;
      s.advance(ms);
      await s.svc.retryDue();
      delays.push(set.mock.lastCall![1]);
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    await s.svc.close();
    expect(clear).toHaveBeenCalled();
  });
});
