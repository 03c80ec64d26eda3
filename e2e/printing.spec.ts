/**
 * Printed documents as paper: every template rendered to PDF by Chromium and read back with
 * pdftotext (names, seats, counts), boarding passes rendered to PNG and their PDF417 decoded with
 * zxing-wasm and parsed as BCBP (every field equals the passenger's data), the fonts of every PDF
 * (pdffonts: only the ones the documents carry, never one of the machine's), and the browser host's
 * print path (hidden iframe + print dialog, HTML download) under the app's real CSP.
 */
import { neutralTitle } from '../shared/documents/neutral-title';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { decode } from 'bcbp';
import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdfFonts, pdfInfo, pdfPagePng, pdfText, mmToPt, readItf, readPdf417 } from '../tests/support/print/pdf-tools';
import { startBrowserHostServer } from '../scripts/serve-browser';
import { bcbpName, julianDay } from '../shared/bcbp/fields';
import { parseBoardingPassScan } from '../shared/bcbp/scan';
import { isScannerTestPass } from '../shared/bcbp/test-pass';
import { boardingPass } from '../shared/documents/boarding-pass';
import { bagManifest } from '../shared/documents/bag-manifest';
import { bagTags } from '../shared/documents/bag-tag';
import { closeoutReport } from '../shared/documents/closeout';
import { flightMessage, loadSheet } from '../shared/documents/load-sheet';
import { plateLabel } from '../shared/domain/bag-tags';
import { DEFAULT_STANDARD_WEIGHTS, ldmText, loadFigures, parseLdm } from '../shared/domain/load';
import { parsePfs, pfsText } from '../shared/domain/messages';
import { EMBEDDED_FACES, FONT_FAMILIES } from '../shared/documents/fonts/embedded.generated';
import { passengerManifest } from '../shared/documents/manifest';
import { PAGE_SIZES, PAPERS, PASS_PAPERS, type Paper } from '../shared/documents/page';
import type { PrintJobInfo, PrintOutcome, PrinterEntry } from '../shared/documents/print-job';
import { reconciliationReport } from '../shared/documents/reconciliation';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../tests/support/sample-flight';
import { ssrList } from '../shared/documents/ssr-list';
import { printerTestPage } from '../shared/documents/test-page';
import type { PrintDocument } from '../shared/documents/types';
import type { HostResult } from '../renderer/host/host';
import { headcount, inNameOrder, inSeatOrder, type StatusCounts } from '../shared/domain/headcount';
import { displayName } from '../shared/domain/rules';
import type { Passenger } from '../shared/domain/schemas';

// Playwright's trace recorder injects scripts into every frame; in the browser host's script-less
// print frame that shows up as a console error that is the recorder's, not the app's. (The PDFs and
// PNGs each test writes to its output folder say more than a trace would.)
test.use({ trace: 'off' });

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pv = SAMPLE_PROVENANCE;
const flight = sampleFlight();
const seatMap = sampleSeatMap();
const passengers = samplePassengers(60, flight, seatMap);
const issuedOn = '2026-11-26';

/** Renders a document the way the print service does (explicit size, CSS page size, backgrounds). */
async function toPdf(page: Page, doc: PrintDocument, name: string, info: TestInfo): Promise<string> {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.setContent(doc.html, { waitUntil: 'load' });
  const pdf = await page.pdf({
    width: `${doc.pageSize.widthMm}mm`,
    height: `${doc.pageSize.heightMm}mm`,
    preferCSSPageSize: true,
    printBackground: true,
    margin: { top: '0', bottom: '0', left: '0', right: '0' },
  });
  // A printed document is self-contained: nothing fetched, so nothing leaks and nothing is missing.
  expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
  const file = info.outputPath(`${name}.pdf`);
  await writeFile(file, pdf);
  return file;
}

async function expectPage(file: string, paper: Paper, pages?: number) {
  const info = await pdfInfo(file);
  expect(Math.abs(info.widthPt - mmToPt(PAGE_SIZES[paper].widthMm))).toBeLessThan(1);
  expect(Math.abs(info.heightPt - mmToPt(PAGE_SIZES[paper].heightMm))).toBeLessThan(1);
  if (pages !== undefined) expect(info.pages).toBe(pages);
  return info;
}

/** pdftotext keeps layout; collapse runs of spaces so phrases can be found. */
function flat(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

/** Every run of whitespace, line ends too, as one space: for phrases that may wrap on a narrow pass. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * No whitespace at all, for letter-spaced marks ("ISSUED IN FALLBACK"): pdftotext guesses word
 * breaks from the gaps between glyphs, and letter-spacing makes those gaps a matter of font metrics.
 */
function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}

function find(predicate: (p: Passenger) => boolean, what: string): Passenger {
  const p = passengers.find(predicate);
  if (!p) throw new Error(`sample flight has no ${what}`);
  return p;
}

const regular = find(
  (p) => p.status === 'checked-in' && p.paxType === 'ADT' && p.vetting === 'cleared' && p.bags.count > 0 && p.infantId === null,
  'checked-in adult with bags',
);
const selectee = {
  ...find((p) => p.status === 'checked-in' && p.paxType === 'ADT' && p.infantId === null && p.id !== regular.id, 'second adult'),
  vetting: 'selectee' as const,
};
const infant = find((p) => p.paxType === 'INF' && (p.status === 'checked-in' || p.status === 'boarded'), 'accepted lap infant');
const infantAdult = find((p) => p.id === infant.infantOf, "infant's adult");
const child = {
  ...find(
    (p) => p.status === 'boarded' && p.paxType === 'ADT' && p.id !== regular.id && p.id !== selectee.id && p.infantId === null,
    'third adult',
  ),
  paxType: 'CHD' as const,
  bags: { count: 0, weightKg: 0 },
};
const standby = {
  ...find((p) => p.status === 'checked-in' && p.id !== regular.id && p.id !== selectee.id && p.infantId === null, 'fourth adult'),
  seat: null,
  standby: true,
};

function pass(p: Passenger, layout: Paper, companion: Passenger | null = null): PrintDocument {
  const r = boardingPass({ flight, passenger: p, companion, provenance: pv, layout });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Every field of the barcode against the passenger and flight it was printed for. */
function expectBarcodeOf(text: string, p: Passenger) {
  const scan = parseBoardingPassScan(text, { today: issuedOn });
  if (!scan.ok) throw new Error(scan.message);
  expect(scan.value.name).toBe(bcbpName(p));
  expect(scan.value.issuedOn).toBe(issuedOn);
  expect(scan.value.legs).toEqual([
    {
      pnr: p.pnr,
      from: flight.origin,
      to: flight.destination,
      carrier: flight.carrier,
      flightNumber: flight.number,
      julianDay: julianDay(flight.date),
      flightDate: flight.date,
      compartment: p.bookingClass,
      seat: p.paxType === 'INF' ? 'INF' : p.seat,
      seqNo: p.seqNo,
      passengerStatus: p.standby && p.seat === null ? '7' : p.bags.count > 0 ? '3' : '1',
      selectee: p.vetting === 'selectee',
    },
  ]);
  // The package's own decoder, independently: format, e-ticket, description, document, issuer.
  const d = decode(text, 2026);
  expect(d.meta).toMatchObject({ formatCode: 'M', numberOfLegs: 1, electronicTicketIndicator: 'E', versionNumber: 6 });
  expect(d.data).toMatchObject({
    passengerDescription: { ADT: '0', CHD: '3', INF: '4' }[p.paxType],
    documentType: 'B',
    boardingPassIssuerDesignator: flight.carrier,
  });
  const leg = d.data?.legs?.[0];
  expect(`${leg?.airlineNumericCode}${leg?.serialNumber}`).toBe(p.eticket);
  expect(leg?.selecteeIndicator).toBe(p.vetting === 'selectee' ? '1' : '0');
}

test.describe('boarding passes on paper', () => {
  const cases: [string, Passenger, Passenger | null][] = [
    ['regular', regular, null],
    ['selectee', selectee, null],
    ['infant', infant, infantAdult],
    ['child', child, null],
    ['standby', standby, null],
  ];
  for (const layout of ['A4', 'Letter', 'roll-80', 'atb'] as const) {
    test(`${layout}: one page of the right size, readable facts, and a barcode that scans to each passenger's data`, async ({
      page,
    }, info) => {
      for (const [name, p, companion] of layout === 'Letter' ? cases.slice(0, 1) : cases) {
        const file = await toPdf(page, pass(p, layout, companion), `${layout}-${name}`, info);
        await expectPage(file, layout, 1);
        const text = oneLine(await pdfText(file));
        expect(text).toContain(displayName(p));
        expect(text).toContain(`${flight.carrier}${flight.number}`);
        expect(text).toContain('26NOV');
        expect(text).toContain(p.paxType === 'INF' ? 'INF' : (p.seat ?? 'STBY'));
        expect(text).toContain(String(p.seqNo).padStart(3, '0'));
        expect(text).toContain(flight.gate!);
        expect(text).toContain('13:50 GMT');
        expect(squeezed(text)).toContain('ISSUEDINFALLBACK');
        expect(text).toContain('Data as of 26 Nov 12:55 GMT');
        expect(text).toContain('GATE-B32-1');
        expect(text).toContain('AG1001 Ola Nordmann');
        expect(text.includes('SSSS')).toBe(p.vetting === 'selectee');
        if (p.paxType === 'INF') expect(text).toContain(`INFANT on the lap of ${displayName(infantAdult)}`);

        const png = await pdfPagePng(file, 1, 200);
        await writeFile(info.outputPath(`${layout}-${name}.png`), png);
        const codes = await readPdf417(png);
        expect(codes).toHaveLength(1);
        expectBarcodeOf(codes[0]!, p);
      }
    });
  }
});

/** The PostScript name of an embedded face, as a PDF names the font after its subset tag. */
function faceName(family: string, weight: number): string {
  const face = EMBEDDED_FACES.find((f) => f.family === family && f.weight === weight);
  if (!face) throw new Error(`no embedded face ${family} ${weight}`);
  return face.postscriptName;
}

test.describe('fonts on paper', () => {
  const bundled = new Set(EMBEDDED_FACES.map((f) => f.postscriptName));
  const sans = [faceName(FONT_FAMILIES.sans, 400), faceName(FONT_FAMILIES.sans, 700)];
  const mono = [faceName(FONT_FAMILIES.mono, 400), faceName(FONT_FAMILIES.mono, 700)];

  /** The fonts of a PDF, by PostScript name, after checking each is ours and embedded. */
  async function expectOnlyBundledFonts(file: string, what: string): Promise<string[]> {
    const fonts = await pdfFonts(file);
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    const foreign = fonts
      .filter((f, i) => !f.embedded || !bundled.has(names[i]!))
      .map((f) => `${f.name} (${f.type}${f.embedded ? '' : ', not embedded'})`);
    expect(foreign, `${what} uses fonts other than the ones it carries`).toEqual([]);
    return names;
  }

  test('every kind of document prints in its own bundled fonts only, each embedded in the PDF, none of the machine', async ({
    page,
  }, info) => {
    const reconciliation = reconciliationReport({
      scope: 'Outage 26 Nov 09:12–13:40 GMT',
      provenance: pv,
      rows: [
        {
          at: '2026-11-26T10:02:00.000Z',
          action: 'passenger.board',
          passenger: 'SMITH/ANNA MS',
          flight: 'BQ123 26NOV',
          outcome: 'conflict',
          code: 'ALREADY_BOARDED',
          message: 'Already boarded at 10:01 by AG1002.',
          staffId: 'AG1001',
        },
      ],
    });
    const withTags: Passenger = {
      ...regular,
      id: 'TAGGED',
      bags: { count: 1, weightKg: 23, pieces: [{ tag: '1934000123', weightKg: 23, destination: 'JFK' }] },
    };
    const figures = loadFigures(flight, passengers, { basis: 'boarded', weights: DEFAULT_STANDARD_WEIGHTS, seatMap });
    const docs: [string, PrintDocument, string[]][] = [
      // The selectee's SSSS is set in weight 900, the infant's pass names the adult: both in the sans.
      ...PASS_PAPERS.map((layout): [string, PrintDocument, string[]] => [`pass-${layout}`, pass(selectee, layout), sans]),
      ['pass-infant', pass(infant, 'roll-80', infantAdult), sans],
      ['manifest', passengerManifest({ flight, passengers, seatMap, provenance: pv }), [...sans, ...mono]],
      ['pil', passengerManifest({ flight, passengers, seatMap, provenance: pv, variant: 'crew', paper: 'Letter' }), [...sans, ...mono]],
      ['ssr', ssrList({ flight, passengers, provenance: pv }), [...sans, ...mono]],
      ['closeout', closeoutReport({ flight, passengers, seatMap, provenance: pv }), [...sans, mono[0]!]],
      ['reconciliation', reconciliation, [...sans, mono[0]!]],
      // Bags, load figures and messages (the plate in the sans; lists and message texts in the mono).
      ['bag-tag', bagTags({ flight, passenger: withTags, provenance: pv })!, sans],
      ['bag-manifest', bagManifest({ flight, passengers: [...passengers, withTags], provenance: pv }), [...sans, ...mono]],
      [
        'load-sheet',
        loadSheet({ flight, figures, ldm: ldmText(flight, figures, { cockpit: 2, cabin: 9 }), provenance: pv }),
        [...sans, mono[0]!],
      ],
      ['pfs', flightMessage({ flight, kind: 'PFS', text: pfsText(flight, passengers), provenance: pv }), [...sans, mono[0]!]],
      ...PAPERS.map((paper): [string, PrintDocument, string[]] => [
        `test-page-${paper}`,
        printerTestPage({ paper, printer: 'Gate B32', provenance: pv }),
        sans,
      ]),
    ];
    for (const [name, doc, expected] of docs) {
      const used = await expectOnlyBundledFonts(await toPdf(page, doc, `fonts-${name}`, info), name);
      // And the fonts are really in use: each face the document's text needs, none left out.
      expect(new Set(used), name).toEqual(new Set(expected));
    }
  });

  test('letters beyond ASCII (latin-ext) print in the bundled fonts and read back exactly', async ({ page }, info) => {
    const agent = { id: 'AG1001', name: 'Łucja Ağaoğlu-Dvořák' };
    const r = boardingPass({ flight, passenger: regular, companion: null, provenance: { ...pv, agent }, layout: 'A4' });
    if (!r.ok) throw new Error(r.message);
    const file = await toPdf(page, r.value, 'fonts-latin-ext', info);
    expect(await expectOnlyBundledFonts(file, 'a pass with latin-ext letters')).toEqual(expect.arrayContaining(sans));
    expect(flat(await pdfText(file))).toContain(`Agent AG1001 ${agent.name}`);
  });
});

function countsRow(text: string, label: string): number[] {
  const line = text.split('\n').find((l) => l.trim().startsWith(label));
  if (!line) throw new Error(`no "${label}" line`);
  return (line.slice(line.indexOf(label) + label.length).match(/\d+/g) ?? []).map(Number);
}

const row = (c: StatusCounts) => [c.booked, c.checkedIn, c.boarded, c.notBoarded];

test.describe('flight documents on paper', () => {
  test('the manifest prints the headcount of shared/domain/headcount and every passenger in seat and in name order', async ({
    page,
  }, info) => {
    const file = await toPdf(page, passengerManifest({ flight, passengers, seatMap, provenance: pv }), 'manifest', info);
    const { pages } = await expectPage(file, 'A4');
    expect(pages).toBeGreaterThan(1);
    const text = await pdfText(file);
    const h = headcount(passengers, seatMap);
    for (const c of h.cabins)
      expect(countsRow(text, `${c.cabin} ${{ F: 'First', J: 'Business', W: 'Premium Economy', Y: 'Economy' }[c.cabin]}`)).toEqual([
        c.capacity!,
        ...row(c),
      ]);
    expect(countsRow(text, 'Total (seats)')).toEqual([h.cabins.reduce((n, c) => n + c.capacity!, 0), ...row(h.total)]);
    expect(countsRow(text, 'Infants (lap, no seat)')).toEqual(row(h.infants));
    expect(flat(text)).toContain(`Persons on board (boarded + infants): ${h.total.boarded} + ${h.infants.boarded} INF = ${h.soulsOnBoard}`);
    expect(flat(text)).toContain(`Passengers in seat order (${passengers.length})`);
    expect(flat(text)).toContain('Page 1 of');

    // Both lists, in their order: each row is found after the one before it.
    const seatPart = flat(text.slice(text.indexOf('Passengers in seat order'), text.indexOf('Passengers in alphabetical order')));
    const namePart = flat(text.slice(text.indexOf('Passengers in alphabetical order')));
    let at = 0;
    for (const p of inSeatOrder(passengers)) {
      const next = seatPart.indexOf(displayName(p), at);
      expect(next, `${displayName(p)} ${p.seat} in seat order`).toBeGreaterThan(at - 1);
      if (p.seat) expect(seatPart.slice(Math.max(0, next - 40), next)).toContain(p.seat);
      at = next;
    }
    at = 0;
    for (const p of inNameOrder(passengers)) {
      const next = namePart.indexOf(displayName(p), at);
      expect(next, `${displayName(p)} in name order`).toBeGreaterThan(at - 1);
      at = next;
    }
    await writeFile(info.outputPath('manifest-1.png'), await pdfPagePng(file, 1, 80));
  });

  test('the crew passenger list holds only checked-in and boarded passengers, with SSRs and infants', async ({ page }, info) => {
    const file = await toPdf(
      page,
      passengerManifest({ flight, passengers, seatMap, provenance: pv, variant: 'crew', paper: 'Letter', orders: ['seat'] }),
      'pil',
      info,
    );
    await expectPage(file, 'Letter');
    const text = flat(await pdfText(file));
    const accepted = passengers.filter((p) => p.status === 'checked-in' || p.status === 'boarded');
    expect(text).toContain('Passenger information list (crew)');
    expect(text).toContain(`Passengers in seat order (${accepted.length})`);
    for (const p of accepted) expect(text).toContain(displayName(p));
    // Sample names repeat; only names no accepted passenger's name contains can be checked absent.
    const absent = passengers.filter((x) => x.status === 'booked' && !accepted.some((a) => displayName(a).includes(displayName(x))));
    expect(absent.length).toBeGreaterThan(0);
    for (const p of absent) expect(text).not.toContain(displayName(p));
    // Not even letter-spaced in a column header.
    expect(squeezed(text)).not.toContain('PNR');
  });

  test('the SSR list groups every request by code, with seat and name', async ({ page }, info) => {
    const file = await toPdf(page, ssrList({ flight, passengers, provenance: pv }), 'ssr', info);
    await expectPage(file, 'A4');
    const text = flat(await pdfText(file));
    const travelling = passengers.filter((p) => p.status !== 'offloaded' && p.status !== 'no-show' && p.ssrs.length > 0);
    expect(travelling.length).toBeGreaterThan(0);
    for (const p of travelling) {
      for (const code of p.ssrs) expect(text).toContain(code);
      expect(text).toContain(displayName(p));
    }
    const wchr = travelling.filter((p) => p.ssrs.includes('WCHR')).length;
    if (wchr > 0) expect(text).toContain(`WCHR Wheelchair: can walk short distances and climb steps ${wchr} pax`);
  });

  test('the close-out report has the headcount, who has not boarded, and signature lines', async ({ page }, info) => {
    const file = await toPdf(page, closeoutReport({ flight, passengers, seatMap, provenance: pv }), 'closeout', info);
    await expectPage(file, 'A4');
    const text = await pdfText(file);
    const h = headcount(passengers, seatMap);
    expect(countsRow(text, 'Total (seats)').slice(1)).toEqual(row(h.total));
    expect(flat(text)).toContain(`${h.notYetBoarded.length} ACCEPTED PASSENGERS HAVE NOT BOARDED`);
    for (const p of h.notYetBoarded) expect(flat(text)).toContain(displayName(p));
    // Letter-spaced headings.
    for (const who of ['GATE AGENT', 'SUPERVISOR', 'CAPTAIN OR PURSER']) expect(squeezed(text)).toContain(squeezed(who));
    expect(flat(text)).toContain('Cabin crew headcount:');
    // The bags against the people, as the ramp counts them.
    const pc = (b: { count: number; weightKg: number }) => (b.count === 0 ? 'none' : `${b.count} pc / ${b.weightKg} kg`);
    const bags = h.bagReconciliation;
    expect(flat(text)).toMatch(new RegExp(`With boarded passengers \\(may fly\\)\\s*${pc(bags.ofBoarded)}`));
    expect(flat(text)).toMatch(new RegExp(`With accepted passengers not boarded \\(off unless they board\\)\\s*${pc(bags.ofNotBoarded)}`));
    expect(flat(text)).toContain('Hold count by the ramp:');
    await writeFile(info.outputPath('closeout-1.png'), await pdfPagePng(file, 1, 80));
  });

  test('the reconciliation report lists each rejected or conflicting action in time order', async ({ page }, info) => {
    const doc = reconciliationReport({
      scope: 'Outage 26 Nov 09:12–13:40 GMT',
      provenance: pv,
      rows: [
        {
          at: '2026-11-26T10:02:00.000Z',
          action: 'passenger.board',
          passenger: 'SMITH/ANNA MS',
          flight: 'BQ123 26NOV',
          outcome: 'conflict',
          code: 'ALREADY_BOARDED',
          message: 'Already boarded at 10:01 by AG1002.',
          staffId: 'AG1001',
        },
        {
          at: '2026-11-26T09:40:00.000Z',
          action: 'passenger.checkIn',
          passenger: 'JONES/OMAR MR',
          flight: 'BQ123 26NOV',
          outcome: 'rejected',
          code: 'SEAT_TAKEN',
          message: 'Seat 14C is taken by GARCIA/LUCA MR.',
          staffId: 'AG1003',
        },
      ],
    });
    const text = flat(await pdfText(await toPdf(page, doc, 'reconciliation', info)));
    expect(text).toContain('2 offline actions need attention: 1 rejected, 1 in conflict');
    expect(text.indexOf('JONES/OMAR MR')).toBeLessThan(text.indexOf('SMITH/ANNA MS'));
    expect(text).toContain('SEAT_TAKEN');
    expect(text).toContain('Check-in');
  });

  for (const paper of ['A4', 'Letter', 'roll-80', 'atb'] as const) {
    test(`the ${paper} printer test page measures the paper and carries a scanner test barcode`, async ({ page }, info) => {
      const file = await toPdf(page, printerTestPage({ paper, printer: 'Gate B32', provenance: pv }), `test-page-${paper}`, info);
      await expectPage(file, paper, 1);
      const text = flat(await pdfText(file));
      expect(text).toContain('Backstop printer test');
      expect(text).toContain(`${PAGE_SIZES[paper].widthMm - 10}`);
      const [code] = await readPdf417(await pdfPagePng(file, 1, 200));
      const scan = parseBoardingPassScan(code ?? '', { today: issuedOn });
      expect(scan.ok && isScannerTestPass(scan.value)).toBe(true);
    });
  }

  test('a 400-passenger manifest renders in full', async ({ page }, info) => {
    const big = samplePassengers(400, flight, seatMap);
    const started = Date.now();
    const doc = passengerManifest({ flight, passengers: big, seatMap, provenance: pv });
    const built = Date.now();
    const file = await toPdf(page, doc, 'manifest-400', info);
    // Reported for the benchmark notes, never asserted.
    console.log(
      `400-pax manifest: template ${built - started} ms, Chromium PDF ${Date.now() - built} ms, ${Math.round(doc.html.length / 1024)} KB HTML`,
    );
    const text = flat(await pdfText(file));
    expect(text).toContain(`Passengers in seat order (400)`);
    expect(text).toContain(`Passengers in alphabetical order (400)`);
  });
});

declare global {
  interface Window {
    printTest?: {
      print(doc: PrintDocument, kind: 'dialog' | 'download' | 'cups'): Promise<PrintOutcome>;
      reprint(jobId: string): Promise<PrintOutcome>;
      printers(): Promise<HostResult<PrinterEntry[]>>;
      jobs(): Promise<HostResult<PrintJobInfo[]>>;
      frames: {
        title: string;
        text: string;
        ssssBorder: string;
        barcodeRects: number;
        iframeSandbox: string | null;
        framesInPage: number;
        fonts: string[];
      }[];
    };
  }
}

/** The text of a type B message as it reads on paper: from its first line (`kind`) to END<kind>, or to the line that starts with `stop`. */
function messageOnPaper(pdf: string, kind: string, stop: string): string {
  const lines = pdf
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const start = lines.findIndex((l, i) => l === kind && /^[A-Z0-9]{2}\d+[A-Z]?\//.test(lines[i + 1] ?? ''));
  const out: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith(stop)) break;
    out.push(line);
    if (line === `END${kind}`) break;
  }
  return out.join('\n');
}

test.describe('bags, load figures and messages on paper', () => {
  const tagged: Passenger = {
    ...regular,
    bags: {
      count: 2,
      weightKg: 41,
      pieces: [
        { tag: '1934000123', weightKg: 23, destination: 'JFK' },
        { tag: '1934000124', weightKg: 18, destination: 'BOS' },
      ],
    },
  };

  test('a bag tag is one 54 × 470 mm page per bag whose Interleaved 2 of 5 barcodes scan to its licence plate', async ({ page }, info) => {
    const doc = bagTags({ flight, passenger: tagged, provenance: pv });
    if (!doc) throw new Error('no tags');
    const file = await toPdf(page, doc, 'bag-tags', info);
    await expectPage(file, 'bag-tag', 2);
    for (const [i, piece] of tagged.bags.pieces!.entries()) {
      const text = flat(await pdfText(file).then((t) => t.split('\f')[i] ?? ''));
      expect(text).toContain(plateLabel(piece.tag));
      expect(text).toContain(piece.destination);
      expect(text).toContain(`${piece.weightKg} KG`);
      expect(text).toContain(displayName(tagged));
      expect(text).toContain(`BAG ${i + 1} OF 2`);
      const png = await pdfPagePng(file, i + 1, 300);
      await writeFile(info.outputPath(`bag-tag-${i + 1}.png`), png);
      // Across the strip twice and along it once: every symbol on the page is this bag's plate.
      const read = await readItf(png);
      expect(read.length).toBeGreaterThanOrEqual(2);
      expect(new Set(read)).toEqual(new Set([piece.tag]));
    }
  });

  test('the boarding pass carries the bag receipt: each tag, its destination and weight', async ({ page }, info) => {
    for (const layout of ['A4', 'atb'] as const) {
      const text = oneLine(await pdfText(await toPdf(page, pass(tagged, layout), `pass-receipt-${layout}`, info)));
      expect(text).toContain('BAG RECEIPT');
      expect(text).toContain('1934 000123 JFK 23KG');
      expect(text).toContain('1934 000124 BOS 18KG');
    }
  });

  test('the bag manifest lists every bag by tag with what the ramp does with it, and the close-out names the tags to take off', async ({
    page,
  }, info) => {
    const offloaded: Passenger = { ...tagged, id: 'OFF', status: 'offloaded', seat: null, lastName: 'OFFLOADED' };
    const list = [...passengers, offloaded];
    const text = flat(await pdfText(await toPdf(page, bagManifest({ flight, passengers: list, provenance: pv }), 'bag-manifest', info)));
    expect(text).toContain('Bag manifest');
    expect(text).toContain('Find and offload: OFFLOADED/');
    expect(text).toContain('1934 000123');
    expect(text).toMatch(/1934 000124\s+FB\s+BOS\s+18/);
    const r = headcount(list, seatMap).bagReconciliation;
    expect(text).toContain(`With boarded passengers: load ${r.ofBoarded.count} pc / ${r.ofBoarded.weightKg} kg`);
    const closeout = oneLine(
      await pdfText(await toPdf(page, closeoutReport({ flight, passengers: list, seatMap, provenance: pv }), 'closeout-tags', info)),
    );
    expect(closeout).toContain('Offloaded: take off 2 pc / 41 kg 1934 000123, 1934 000124');
  });

  test('the load figures sheet and the messages print their figures and text as sent', async ({ page }, info) => {
    const closed = { ...flight, status: 'closed' as const };
    const figures = loadFigures(closed, passengers, { basis: 'boarded', weights: DEFAULT_STANDARD_WEIGHTS, seatMap });
    const ldm = ldmText(closed, figures, { cockpit: 2, cabin: 9 });
    const sheet = await pdfText(await toPdf(page, loadSheet({ flight: closed, figures, ldm, provenance: pv }), 'load-sheet', info));
    const h = headcount(passengers, seatMap);
    expect(flat(sheet)).toContain('Load figures');
    expect(flat(sheet)).toContain(`Checked bags: ${h.bagReconciliation.ofBoarded.count} pc / ${h.bagReconciliation.ofBoarded.weightKg} kg`);
    // The LDM on paper is the LDM sent: read back from the PDF, it parses to the headcount.
    const printed = parseLdm(messageOnPaper(sheet, 'LDM', 'Load controller'));
    expect(printed?.destinations[0]).toMatchObject({ destination: 'JFK', infant: h.infants.boarded });
    const d = printed!.destinations[0]!;
    expect(d.male + d.female + d.child).toBe(h.total.boarded);
    const pfs = pfsText(closed, passengers);
    const pfsPdf = await pdfText(await toPdf(page, flightMessage({ flight: closed, kind: 'PFS', text: pfs, provenance: pv }), 'pfs', info));
    const back = parsePfs(messageOnPaper(pfsPdf, 'PFS', 'Data as of'));
    expect(back).not.toBeNull();
    for (const c of h.cabins) expect(back!.boarded[c.cabin]).toBe(c.boarded);
  });
});

test.describe('browser host printing', () => {
  let ui: Awaited<ReturnType<typeof startBrowserHostServer>>;
  let root: string;

  test.beforeAll(async () => {
    // A page that loads BrowserHost as the app does (same origin, same CSP, same static server),
    // with a print hook that looks at the frame before the (headless: silent) print dialog.
    root = await mkdtemp(path.join(os.tmpdir(), 'backstop-print-page-'));
    const entry = `
      import { BrowserHost } from './renderer/host/browser-host';
      const frames = [];
      const host = new BrowserHost({ printFrame: (w) => {
        const ssss = w.document.querySelector('.ssss');
        frames.push({
          title: w.document.title,
          text: w.document.body.innerText,
          ssssBorder: ssss ? w.getComputedStyle(ssss).borderTopWidth : '',
          barcodeRects: w.document.querySelectorAll('svg[role="img"] path').length,
          iframeSandbox: w.frameElement ? w.frameElement.getAttribute('sandbox') : null,
          framesInPage: document.querySelectorAll('iframe').length,
          fonts: [...w.document.fonts].map((f) => f.family.replace(/"/g, '') + ' ' + f.weight + ' ' + f.status),
        });
        w.print();
      } });
      const context = { flightId: 'BQ123-2026-11-26-LHR', passengerId: 'P1', staffId: 'AG1001' };
      window.printTest = {
        print: (doc, kind) => host.print(doc, kind === 'cups' ? { kind, queue: 'PDF' } : { kind }, { context }),
        reprint: (jobId) => host.reprint(jobId, { staffId: 'SU9001' }),
        printers: () => host.printers(),
        jobs: () => host.jobs(),
        frames,
      };
      document.getElementById('status').textContent = 'ready';
    `;
    await build({
      stdin: { contents: entry, resolveDir: repoRoot, loader: 'ts' },
      bundle: true,
      format: 'esm',
      target: 'chrome120',
      outfile: path.join(root, 'print-test.js'),
      logLevel: 'error',
    });
    await writeFile(
      path.join(root, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./print-test.js"></script></head><body><p id="status">loading</p></body></html>',
    );
    ui = await startBrowserHostServer({
      port: 0,
      root,
      backendUrl: 'http://127.0.0.1:9',
      station: 'LHR',
      workstation: 'E2E-1',
      enrolmentKey: 'x',
    });
  });
  test.afterAll(async () => {
    await ui?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function open(page: Page) {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(ui.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('#status')).toHaveText('ready');
    return problems;
  }

  test('prints a boarding pass through a hidden, script-less same-origin iframe under the app CSP', async ({ page }) => {
    const problems = await open(page);
    const doc = pass(selectee, 'roll-80');
    const outcome = await page.evaluate((d) => window.printTest!.print(d, 'dialog'), doc);
    expect(outcome).toMatchObject({
      ok: true,
      job: { status: 'printed', kind: 'boarding-pass', target: { kind: 'dialog' }, pageSize: PAGE_SIZES['roll-80'] },
    });
    const [frame] = await page.evaluate(() => window.printTest!.frames);
    // The print spooler names the job after the frame's title: the kind of document, never the passenger.
    expect(frame).toMatchObject({ title: 'Backstop boarding-pass', iframeSandbox: 'allow-same-origin allow-modals', framesInPage: 1 });
    expect(frame!.title).not.toContain(selectee.lastName);
    expect(frame!.text).toContain(displayName(selectee));
    expect(frame!.text).toContain('ISSUED IN FALLBACK');
    // The template's inline styles apply under the app's CSP (style-src 'unsafe-inline'), and so do
    // its own fonts (data: URLs): loaded by the time the dialog opens.
    expect(frame!.ssssBorder).not.toBe('0px');
    expect(frame!.fonts, "the pass's own fonts (data: URLs) load in the print frame").toEqual(
      expect.arrayContaining([`${FONT_FAMILIES.sans} 400 loaded`, `${FONT_FAMILIES.sans} 700 loaded`]),
    );
    expect(frame!.barcodeRects).toBeGreaterThan(0);
    await expect(page.locator('iframe')).toHaveCount(1);
    expect(problems).toEqual([]);

    const again = await page.evaluate((id) => window.printTest!.reprint(id), outcome.job!.id);
    expect(again).toMatchObject({ ok: true, job: { reprintOf: outcome.job!.id, context: { staffId: 'SU9001' } } });
    expect(await page.evaluate(() => window.printTest!.jobs().then((j) => j.ok && j.value.length))).toBe(2);
  });

  test('prints documents one after another, each in a frame of its own, so a second never replaces the first', async ({ page }) => {
    const problems = await open(page);
    const adult = pass(regular, 'atb');
    const second = pass(selectee, 'atb');
    // Both sent at once, as the check-in of an adult with a lap infant does.
    const outcomes = await page.evaluate(
      ([a, b]) => Promise.all([window.printTest!.print(a, 'dialog'), window.printTest!.print(b, 'dialog')]),
      [adult, second] as const,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const frames = await page.evaluate(() => window.printTest!.frames);
    // The dialog opened on each document in turn, with the earlier frame still there for its dialog.
    // The spooler sees the neutral title only, never a passenger's name.
    expect(frames.map((f) => f.title)).toEqual([neutralTitle('boarding-pass'), neutralTitle('boarding-pass')]);
    expect(frames.map((f) => f.framesInPage)).toEqual([1, 2]);
    expect(frames[0]!.text).toContain(displayName(regular));
    expect(frames[1]!.text).toContain(displayName(selectee));
    await expect(page.locator('iframe')).toHaveCount(2);
    expect(problems).toEqual([]);
  });

  test('keeps its print jobs across a reload, and reprints from them', async ({ page }) => {
    await open(page);
    const doc = pass(regular, 'A4');
    const first = await page.evaluate((d) => window.printTest!.print(d, 'dialog'), doc);
    await page.reload();
    await expect(page.locator('#status')).toHaveText('ready');
    const jobs = await page.evaluate(() => window.printTest!.jobs());
    expect(jobs).toMatchObject({ ok: true, value: [{ id: first.job!.id, title: doc.title, status: 'printed' }] });
    const again = await page.evaluate((id) => window.printTest!.reprint(id), first.job!.id);
    expect(again).toMatchObject({ ok: true, job: { reprintOf: first.job!.id } });
    const frames = await page.evaluate(() => window.printTest!.frames);
    expect(frames.map((f) => f.title)).toEqual([neutralTitle('boarding-pass')]);
  });

  test('downloads a document as an HTML file', async ({ page }) => {
    await open(page);
    const doc = closeoutReport({ flight, passengers, seatMap, provenance: pv });
    const [download, outcome] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate((d) => window.printTest!.print(d, 'download'), doc),
    ]);
    expect(outcome).toMatchObject({ ok: true, job: { status: 'saved' } });
    expect(download.suggestedFilename()).toBe('Close-out-report-BQ123-2026-11-26.html');
    expect(await readFile(await download.path(), 'utf8')).toBe(doc.html);
  });

  test('offers the print dialog and the download, and says plainly what it cannot do', async ({ page }) => {
    await open(page);
    const printers = await page.evaluate(() => window.printTest!.printers());
    expect(printers.ok && printers.value.map((p) => p.target.kind)).toEqual(['dialog', 'download']);
    const doc = pass(regular, 'A4');
    await expect(page.evaluate((d) => window.printTest!.print(d, 'cups'), doc)).resolves.toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_TARGET',
      job: null,
    });
    const huge = { ...doc, html: 'x'.repeat(5 * 1024 * 1024) };
    await expect(page.evaluate((d) => window.printTest!.print(d, 'dialog'), huge)).resolves.toMatchObject({
      ok: false,
      code: 'INVALID_REQUEST',
    });
  });
});
