/**
 * A PrintBackend on Debian's Chromium (through playwright-core) instead of Electron: the same
 * engine and the same PDF options as the Electron backend, for tests and benchmarks on machines
 * without the Electron binary. Never imported by the app.
 *
 * Also the entry points for the print benchmarks (bench/): a boarding pass and a 400-passenger
 * manifest rendered to PDF.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumEnv, chromiumPath } from '../chromium';
import { boardingPass } from '../../../shared/documents/boarding-pass';
import { passengerManifest } from '../../../shared/documents/manifest';
import type { PageSize } from '../../../shared/documents/page';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../sample-flight';
import type { PrintDocument } from '../../../shared/documents/types';
import { fail, ok } from '../../../shared/result';
import type { PrintBackend, SilentPrintOptions, SystemPrinter } from '../../../main/print/electron-backend';

export interface ChromiumBackend extends PrintBackend {
  /** Renders a document held in memory (no archive file needed). */
  renderDocument(doc: PrintDocument): Promise<Uint8Array>;
  /** What printSilently was asked to do, in order (there is no OS printer behind it). */
  readonly silentPrints: { htmlFile: string; options: SilentPrintOptions }[];
  /** The printers listPrinters reports; tests change it to simulate unplugged or paused printers. */
  systemPrinters: SystemPrinter[];
  close(): Promise<void>;
}

export async function launchChromiumBackend(): Promise<ChromiumBackend> {
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, env: chromiumEnv() });
  const context = await browser.newContext({ javaScriptEnabled: false });
  // Like the Electron print session: nothing leaves the page.
  await context.route(/^(?!data:)/, (route) => route.abort());

  // One warm page, one document at a time: like the Electron backend's reused print window.
  const page = await context.newPage();
  let queue: Promise<unknown> = Promise.resolve();

  function render(html: string, pageSize: PageSize): Promise<Uint8Array> {
    const job = queue.then(() => renderNow(html, pageSize));
    queue = job.catch(() => undefined);
    return job;
  }

  async function renderNow(html: string, pageSize: PageSize): Promise<Uint8Array> {
    try {
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({
        width: `${pageSize.widthMm}mm`,
        height: `${pageSize.heightMm}mm`,
        preferCSSPageSize: true,
        printBackground: true,
        margin: { top: '0', bottom: '0', left: '0', right: '0' },
      });
      return new Uint8Array(pdf);
    } finally {
      await page.setContent('');
    }
  }

  const backend: ChromiumBackend = {
    silentPrints: [],
    systemPrinters: [],
    async renderPdf(htmlFile, pageSize) {
      return render(await readFile(htmlFile, 'utf8'), pageSize);
    },
    renderDocument(doc) {
      return render(doc.html, doc.pageSize);
    },
    async printSilently(htmlFile, options) {
      backend.silentPrints.push({ htmlFile, options });
      return backend.systemPrinters.some((p) => p.name === options.printer)
        ? ok(null)
        : fail('PRINT_FAILED', `No printer ${options.printer}.`);
    },
    async listPrinters() {
      return backend.systemPrinters;
    },
    async close() {
      await browser.close();
    },
  };
  return backend;
}

/** Benchmark: one A4 boarding pass (PDF417 included) to PDF. */
export async function renderBoardingPassPdf(
  backend: Pick<ChromiumBackend, 'renderDocument'>,
  layout: 'A4' | 'roll-80' | 'atb' = 'A4',
): Promise<Uint8Array> {
  const flight = sampleFlight();
  const passenger = samplePassengers(40, flight).find((p) => p.status === 'checked-in' && p.paxType === 'ADT' && p.vetting === 'cleared');
  if (!passenger) throw new Error('sample flight has no checked-in adult');
  const doc = boardingPass({ flight, passenger, provenance: SAMPLE_PROVENANCE, layout });
  if (!doc.ok) throw new Error(doc.message);
  return backend.renderDocument(doc.value);
}

/** Benchmark: a passenger manifest of `passengers` (400 by default) in seat and name order. */
export async function renderManifestPdf(backend: Pick<ChromiumBackend, 'renderDocument'>, passengers = 400): Promise<Uint8Array> {
  const flight = sampleFlight();
  const seatMap = sampleSeatMap();
  const doc = passengerManifest({
    flight,
    passengers: samplePassengers(passengers, flight, seatMap),
    seatMap,
    provenance: SAMPLE_PROVENANCE,
  });
  return backend.renderDocument(doc);
}
