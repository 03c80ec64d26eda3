/**
 * The print fonts checked in under shared/documents/fonts/ are exactly what the pinned @fontsource
 * packages give (so a font update is a deliberate `npm run fonts` and commit), and they have a glyph
 * for every character the templates print: one they lacked would make Chromium fall back to
 * whatever font the workstation has, and the same pass would look different on every machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardingPass } from '../../shared/documents/boarding-pass';
import { closeoutReport } from '../../shared/documents/closeout';
import { EMBEDDED_FACES, FONT_FAMILIES } from '../../shared/documents/fonts/embedded.generated';
import { CABIN_NAMES, STATUS_CODES, STATUS_LABELS } from '../../shared/documents/format';
import { passengerManifest } from '../../shared/documents/manifest';
import { PAPERS } from '../../shared/documents/page';
import { reconciliationReport } from '../../shared/documents/reconciliation';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../../tests/support/sample-flight';
import { ssrList } from '../../shared/documents/ssr-list';
import { SSR_NAMES } from '../../shared/documents/ssr-names';
import { printerTestPage } from '../../shared/documents/test-page';
import type { PrintDocument } from '../../shared/documents/types';
import { generate, LICENCE_FILE, MODULE_FILE, UI_CSS_FILE } from './generate';
import { readWoff2 } from './woff2';

describe('the embedded print fonts', () => {
  it('are the woff2 files and licences of the installed @fontsource packages, unchanged, for paper and screen alike', () => {
    const g = generate();
    const stale = 'is not what the installed @fontsource packages give: run `npm run fonts` and commit the result';
    expect(readFileSync(MODULE_FILE, 'utf8') === g.module, `${MODULE_FILE} ${stale}`).toBe(true);
    expect(readFileSync(LICENCE_FILE, 'utf8') === g.licence, `${LICENCE_FILE} ${stale}`).toBe(true);
    expect(readFileSync(UI_CSS_FILE, 'utf8') === g.uiCss, `${UI_CSS_FILE} ${stale}`).toBe(true);
  });

  it('are the latin and latin-ext subsets of a regular and a bold face, for a sans and a mono family only', () => {
    expect(EMBEDDED_FACES.map((f) => `${f.family} ${f.weight} ${f.subset}`)).toEqual(
      [FONT_FAMILIES.sans, FONT_FAMILIES.mono].flatMap((family) =>
        [400, 700].flatMap((weight) => ['latin', 'latin-ext'].map((subset) => `${family} ${weight} ${subset}`)),
      ),
    );
  });

  it('have a glyph, in every family and weight, for every character any document prints', () => {
    const text = new Set<string>();
    for (const doc of everyDocument()) for (const ch of printedText(doc.html)) text.add(ch);
    for (const label of [
      ...Object.values(SSR_NAMES),
      ...Object.values(STATUS_LABELS),
      ...Object.values(STATUS_CODES),
      ...Object.values(CABIN_NAMES),
    ]) {
      for (const ch of label) text.add(ch);
    }
    // The samples print the letters A–Z, digits and the template's own punctuation (· – — ×).
    expect(text.size).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const [who, covers] of coverage()) {
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp >= 0x20 && !covers(cp)) missing.push(`"${ch}" U+${cp.toString(16).toUpperCase().padStart(4, '0')} in ${who}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cover the letters of names beyond ASCII (latin-ext), such as Ł, İ, Ğ, Ř and Ő', () => {
    const names = 'ŁUKASZEWICZ İLKAY ĞÜNEŞ DVOŘÁK ŐRSÉG ØVERÅS ÇELİK ÆGIR ßüñéç';
    for (const [who, covers] of coverage()) {
      expect(
        [...names].filter((ch) => !covers(ch.codePointAt(0)!)),
        who,
      ).toEqual([]);
    }
  });

  it('leave the mono faces out of a boarding pass, which prints nothing in mono', () => {
    const passes = everyDocument().filter((d) => d.kind === 'boarding-pass');
    expect(passes.length).toBeGreaterThan(0);
    for (const doc of passes) {
      expect(doc.html).not.toContain(`font-family: '${FONT_FAMILIES.mono}'; font-style`);
      expect(doc.html).not.toMatch(/class="[^"]*\bmono\b/);
    }
  });
});

/** For each family and weight: does a face of it have the character, inside its unicode-range? */
function coverage(): [string, (cp: number) => boolean][] {
  const byFont = new Map<string, ((cp: number) => boolean)[]>();
  for (const face of EMBEDDED_FACES) {
    const { codePoints } = readWoff2(Buffer.from(face.woff2, 'base64'));
    const inRange = unicodeRange(face.unicodeRange);
    const key = `'${face.family}' ${face.weight}`;
    byFont.set(key, [...(byFont.get(key) ?? []), (cp) => codePoints.has(cp) && inRange(cp)]);
  }
  return [...byFont].map(([key, faces]) => [key, (cp) => faces.some((covers) => covers(cp))]);
}

/** "U+0000-00FF,U+0131" as a predicate. */
function unicodeRange(css: string): (cp: number) => boolean {
  const ranges = css.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)] as const;
  });
  return (cp) => ranges.some(([from, to]) => cp >= from && cp <= to);
}

/** The text a document puts on paper: no CSS, no barcode, no markup; entities decoded. */
function printedText(html: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;|&lt;|&gt;|&quot;|&#39;/g, (e) => entities[e]!);
}

let documents: PrintDocument[] | undefined;

/** Every kind of document, with every passenger that can have a pass, late and stale variants too. */
function everyDocument(): PrintDocument[] {
  documents ??= renderEveryDocument();
  return documents;
}

function renderEveryDocument(): PrintDocument[] {
  const seatMap = sampleSeatMap();
  const flight = sampleFlight();
  const late = sampleFlight({ etd: '2026-11-26T15:05:00.000Z' });
  const pv = SAMPLE_PROVENANCE;
  const stale = { ...pv, dataAsOf: '2026-11-26T09:40:00.000Z' };
  const passengers = samplePassengers(60, flight, seatMap);
  const byId = new Map(passengers.map((p) => [p.id, p]));
  const docs: PrintDocument[] = [];
  for (const layout of PAPERS) {
    for (const [i, p] of passengers.entries()) {
      const companion = byId.get(p.infantOf ?? p.infantId ?? '') ?? null;
      const r = boardingPass({ flight: i % 2 ? late : flight, passenger: p, companion, provenance: i % 3 ? pv : stale, layout });
      if (r.ok) docs.push(r.value);
    }
  }
  for (const provenance of [pv, stale]) {
    docs.push(
      passengerManifest({ flight: late, passengers, seatMap, provenance }),
      passengerManifest({ flight, passengers, seatMap, provenance, variant: 'crew', paper: 'Letter' }),
      ssrList({ flight, passengers, provenance }),
      closeoutReport({ flight: late, passengers, seatMap, provenance }),
      reconciliationReport({ rows: [], provenance, scope: 'Outage' }),
      reconciliationReport({
        scope: 'Outage 26 Nov 09:12–13:40 GMT',
        provenance,
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
            action: 'flight.close',
            passenger: null,
            flight: null,
            outcome: 'rejected',
            code: 'FLIGHT_CLOSED',
            message: 'Closed.',
            staffId: null,
          },
        ],
      }),
      ...PAPERS.map((paper) => printerTestPage({ paper, printer: 'Gate B32', provenance })),
    );
  }
  return docs;
}
