import { describe, expect, it } from 'vitest';
import { boardingPass } from '../boarding-pass';
import { closeoutReport } from '../closeout';
import { passengerManifest } from '../manifest';
import { PAPERS } from '../page';
import { reconciliationReport } from '../reconciliation';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../../../tests/support/sample-flight';
import { ssrList } from '../ssr-list';
import { printerTestPage } from '../test-page';
import type { PrintDocument } from '../types';
import { FONT_FAMILIES } from './embedded.generated';

function documents(): PrintDocument[] {
  const flight = sampleFlight();
  const seatMap = sampleSeatMap();
  const passengers = samplePassengers(60, flight, seatMap);
  const p = passengers.find((x) => x.status === 'checked-in' && x.paxType === 'ADT');
  const passes = PAPERS.map((layout) => boardingPass({ flight, passenger: p!, provenance: SAMPLE_PROVENANCE, layout }));
  return [
    ...passes.flatMap((r) => (r.ok ? [r.value] : [])),
    passengerManifest({ flight, passengers, seatMap, provenance: SAMPLE_PROVENANCE }),
    ssrList({ flight, passengers, provenance: SAMPLE_PROVENANCE }),
    closeoutReport({ flight, passengers, seatMap, provenance: SAMPLE_PROVENANCE }),
    reconciliationReport({ rows: [], provenance: SAMPLE_PROVENANCE, scope: 'Outage' }),
    printerTestPage({ paper: 'A4', printer: 'PDF', provenance: SAMPLE_PROVENANCE }),
  ];
}

/** Every family a stylesheet asks for, from font-family and the font shorthand. */
function familiesAskedFor(css: string): Set<string> {
  const lists = [...css.matchAll(/font-family:\s*([^;}]+)/g)].map((m) => m[1]!);
  lists.push(...[...css.matchAll(/\bfont:\s*[^;}]*?\d(?:pt|px|mm|em)\s+([^;}]+)/g)].map((m) => m[1]!));
  return new Set(lists.flatMap((list) => list.split(',').map((f) => f.trim().replace(/^'(.*)'$/, '$1'))));
}

describe('the fonts of a printed document', () => {
  const docs = documents();

  it.each(docs.map((d) => [`${d.kind} ${d.pageSize.paper}`, d] as const))(
    '%s asks for the fonts it carries and no font of the machine',
    (_name, doc) => {
      const css = /<style>([\s\S]*)<\/style>/.exec(doc.html)![1]!;
      const carried = new Set([...css.matchAll(/@font-face \{ font-family: '([^']+)'/g)].map((m) => m[1]!));
      const generic = new Set(['sans-serif', 'monospace']);
      const asked = [...familiesAskedFor(css.replace(/@font-face \{[^}]*\}/g, ''))];
      expect(asked.filter((f) => !carried.has(f) && !generic.has(f))).toEqual([]);
      expect(carried.has(FONT_FAMILIES.sans)).toBe(true);
      // The only fonts its own CSP lets in are the ones inside it.
      expect(doc.html).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*; font-src data:"/);
    },
  );

  it('a sheet carries the mono faces for its codes; a boarding pass, which has none, does not', () => {
    const faces = (d: PrintDocument) => new Set([...d.html.matchAll(/@font-face \{ font-family: '([^']+)'/g)].map((m) => m[1]!));
    expect(faces(docs.find((d) => d.kind === 'manifest')!)).toEqual(new Set([FONT_FAMILIES.sans, FONT_FAMILIES.mono]));
    expect(faces(docs.find((d) => d.kind === 'boarding-pass')!)).toEqual(new Set([FONT_FAMILIES.sans]));
  });
});
