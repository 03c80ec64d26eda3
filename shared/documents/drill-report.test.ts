/** Drill printouts: every document printed during a drill says DRILL — NOT VALID FOR TRAVEL, and the drill report adds up. */
import { describe, expect, it } from 'vitest';
import { checkedIn, flight } from '../../tests/support/fixtures';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../../tests/support/sample-flight';
import { boardingPass } from './boarding-pass';
import { closeoutReport } from './closeout';
import { drillReport, durationWords, type DrillReportData } from './drill-report';
import { DRILL_MARK, provenanceLine } from './layout';
import { passengerManifest } from './manifest';
import { PAPERS } from './page';
import { PrintDocument, type Provenance } from './types';

const drill: Provenance = { ...SAMPLE_PROVENANCE, drill: true };

function pass(layout: (typeof PAPERS)[number], provenance: Provenance) {
  const r = boardingPass({ flight: flight(), passenger: checkedIn({ seat: '10A', seqNo: 7 }), provenance, layout });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const report: DrillReportData = {
  station: 'LHR',
  startedAt: '2026-11-26T13:00:00.000Z',
  endedAt: '2026-11-26T13:20:00.000Z',
  startedBy: { id: 'SU9001', name: 'Sam Supervisor' },
  endedBy: { id: 'SU9001', name: 'Sam Supervisor' },
  firstPassAt: '2026-11-26T13:03:05.000Z',
  passengers: 12,
  checkIns: 8,
  boardings: 10,
  passesPrinted: 8,
  desks: [{ desk: 'GATE-B32-1', checkIns: 8, boardings: 10, perMinute: 0.9 }],
  agents: [{ staffId: 'AG1001', name: 'Ola Nordmann', checkIns: 8, boardings: 10 }],
  problems: [{ what: 'Refused: seat taken', count: 2 }],
};

describe('drill printouts', () => {
  it.each(PAPERS)('a boarding pass on %s printed in a drill is marked DRILL — NOT VALID FOR TRAVEL, prominently', (layout) => {
    const doc = pass(layout, drill);
    expect(PrintDocument.safeParse(doc).success).toBe(true);
    expect(doc.title).toMatch(/^DRILL /);
    expect(doc.html).toContain('class="drill-band');
    expect(doc.html).toContain('DRILL — NOT VALID FOR TRAVEL</span>');
    expect(doc.html).toContain('class="drill-watermark"');
    // In the provenance line too, first.
    expect(doc.html).toContain(`${DRILL_MARK} · Data as of`);
  });

  it('sheets carry the mark on every page (in the band and the page-margin provenance)', () => {
    const sf = sampleFlight();
    const doc = closeoutReport({ flight: sf, passengers: samplePassengers(40, sf), seatMap: sampleSeatMap(), provenance: drill });
    // The margin box's text is a CSS string: the dash is escaped there.
    expect(doc.html).toContain('@bottom-left { content: "DRILL \\2014  NOT VALID FOR TRAVEL');
    expect(passengerManifest({ flight: sf, passengers: samplePassengers(40, sf), provenance: drill }).html).toContain('drill-band');
  });

  it('a document printed outside a drill carries no drill mark', () => {
    const doc = pass('atb', SAMPLE_PROVENANCE);
    expect(doc.html).not.toContain('DRILL');
    expect(provenanceLine(SAMPLE_PROVENANCE)).not.toContain('DRILL');
  });

  it('the drill report gives time to the first pass, passengers per minute per desk, and the errors', () => {
    const doc = drillReport({ report, provenance: SAMPLE_PROVENANCE });
    expect(PrintDocument.safeParse(doc).success).toBe(true);
    expect(doc.kind).toBe('drill-report');
    expect(doc.html).toContain('DRILL — NOT VALID FOR TRAVEL');
    expect(doc.html).toContain('data-figure="first-pass">3 min 05 s<');
    expect(doc.html).toContain('data-figure="passengers">12<');
    expect(doc.html).toContain('data-figure="per-minute">0.9<');
    expect(doc.html).toContain('GATE-B32-1');
    expect(doc.html).toContain('Refused: seat taken');
    expect(doc.html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
  });

  it('says durations in words', () => {
    expect(durationWords(45_000)).toBe('45 s');
    expect(durationWords(185_000)).toBe('3 min 05 s');
    expect(durationWords(3_720_000)).toBe('1 h 02 min');
  });
});
