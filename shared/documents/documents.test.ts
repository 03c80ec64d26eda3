/**
 * What the templates promise without a browser: complete, script-free documents with their page
 * size, provenance and escaping. (What they look like in print is tested in e2e/printing.spec.ts.)
 */
import { describe, expect, it } from 'vitest';
import { checkedIn, flight, passenger } from '../../tests/support/fixtures';
import { boardingPass } from './boarding-pass';
import { closeoutReport } from './closeout';
import { cssString, html } from './html';
import { passengerManifest } from './manifest';
import { PAGE_SIZES, PAPERS, PASS_PAPERS } from './page';
import { reconciliationReport } from './reconciliation';
import { SAMPLE_PROVENANCE, sampleFlight, samplePassengers, sampleSeatMap } from '../../tests/support/sample-flight';
import { ssrList } from './ssr-list';
import { printerTestPage } from './test-page';
import { MAX_DOCUMENT_HTML, PrintDocument, type Provenance } from './types';

const pv: Provenance = SAMPLE_PROVENANCE;
const f = flight();

function pass(overrides: Parameters<typeof checkedIn>[0] = {}, layout: (typeof PAPERS)[number] = 'A4') {
  const r = boardingPass({ flight: f, passenger: checkedIn({ seat: '10A', seqNo: 7, ...overrides }), provenance: pv, layout });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function allDocuments(): PrintDocument[] {
  const sf = sampleFlight();
  const map = sampleSeatMap();
  const pax = samplePassengers(60, sf, map);
  return [
    ...PAPERS.map((layout) => pass({}, layout)),
    passengerManifest({ flight: sf, passengers: pax, seatMap: map, provenance: pv }),
    passengerManifest({ flight: sf, passengers: pax, provenance: pv, variant: 'crew', paper: 'Letter' }),
    ssrList({ flight: sf, passengers: pax, provenance: pv }),
    closeoutReport({ flight: sf, passengers: pax, seatMap: map, provenance: pv }),
    reconciliationReport({ rows: [], provenance: pv, scope: 'Outage' }),
    ...PAPERS.map((paper) => printerTestPage({ paper, printer: 'PDF', provenance: pv })),
  ];
}

describe('every document', () => {
  it.each(allDocuments().map((d) => [`${d.kind} ${d.pageSize.paper}`, d] as const))(
    '%s is a complete, script-free document within the size limit',
    (_name, doc) => {
      expect(PrintDocument.safeParse(doc).success).toBe(true);
      expect(doc.html.startsWith('<!doctype html>')).toBe(true);
      expect(doc.html).toContain(`size: ${doc.pageSize.widthMm}mm ${doc.pageSize.heightMm}mm`);
      expect(doc.html).toContain(`Content-Security-Policy" content="default-src 'none'`);
      expect(doc.html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
      expect(doc.html.length).toBeLessThan(MAX_DOCUMENT_HTML);
    },
  );

  it.each(allDocuments().map((d) => [`${d.kind} ${d.pageSize.paper}`, d] as const))(
    '%s says when the data is from, where and by whom it was printed',
    (_name, doc) => {
      expect(doc.html).toContain('Data as of 26 Nov 12:55 GMT');
      expect(doc.html).toContain('GATE-B32-1');
      expect(doc.html).toContain('AG1001');
    },
  );

  it('shows times in the station zone with its label (summer time in London is BST)', () => {
    const doc = pass({}, 'A4');
    const summer = boardingPass({
      flight: flight({ date: '2026-07-01', std: '2026-07-01T14:30:00.000Z' }),
      passenger: checkedIn({ seat: '10A', seqNo: 7 }),
      provenance: { ...pv, dataAsOf: '2026-07-01T12:00:00.000Z', printedAt: '2026-07-01T12:10:00.000Z' },
      layout: 'A4',
    });
    expect(doc.html).toContain('13:50 GMT');
    expect(summer.ok && summer.value.html).toContain('14:50 BST');
  });

  it('flags data that was already old when printed', () => {
    const stale = passengerManifest({ flight: f, passengers: [], provenance: { ...pv, dataAsOf: '2026-11-26T09:00:00.000Z' } });
    expect(stale.html).toContain('DATA MAY BE OUT OF DATE: last synchronised 4 h 10 min before printing');
    expect(passengerManifest({ flight: f, passengers: [], provenance: pv }).html).not.toContain('OUT OF DATE');
  });
});

describe('boarding pass', () => {
  it('marks a selectee with SSSS, and a cleared passenger without', () => {
    expect(pass({ vetting: 'selectee' }).html).toMatch(/>SSSS</);
    expect(pass().html).not.toMatch(/>SSSS</);
  });

  it("refuses a passenger without a vetting clearance or not checked in, with the rule's reason", () => {
    const held = boardingPass({ flight: f, passenger: checkedIn({ vetting: 'inhibited' }), provenance: pv, layout: 'A4' });
    expect(held).toMatchObject({ ok: false, code: 'VETTING_HOLD' });
    const booked = boardingPass({ flight: f, passenger: passenger({ status: 'booked' }), provenance: pv, layout: 'A4' });
    expect(booked).toMatchObject({ ok: false, code: 'NOT_CHECKED_IN' });
    const other = boardingPass({ flight: flight({ id: 'OTHER' }), passenger: checkedIn(), provenance: pv, layout: 'A4' });
    expect(other).toMatchObject({ ok: false, code: 'WRONG_FLIGHT' });
  });

  it('names the infant on the adult pass and the adult on the infant pass', () => {
    const adult = checkedIn({ id: 'A1', lastName: 'BROWN', firstName: 'JO', seat: '11A', infantId: 'I1' });
    const infant = passenger({
      id: 'I1',
      lastName: 'BROWN',
      firstName: 'BABY',
      title: null,
      paxType: 'INF',
      infantOf: 'A1',
      status: 'checked-in',
      seqNo: 9,
    });
    const a = boardingPass({ flight: f, passenger: adult, companion: infant, provenance: pv, layout: 'roll-80' });
    const i = boardingPass({ flight: f, passenger: infant, companion: adult, provenance: pv, layout: 'roll-80' });
    expect(a.ok && a.value.html).toContain('+ INFANT BROWN/BABY');
    expect(i.ok && i.value.html).toContain('INFANT on the lap of BROWN/JO MS');
    expect(i.ok && i.value.html).toMatch(/Seat<\/div><div class="value">INF</);
  });

  it('marks a reprint "REPRINT n" on the pass, its stub, its title and provenance, and a first print not at all', () => {
    for (const layout of PAPERS) {
      const r = boardingPass({ flight: f, passenger: checkedIn({ seat: '10A', seqNo: 7 }), provenance: { ...pv, reprint: 2 }, layout });
      if (!r.ok) throw new Error(r.message);
      expect(r.value.html, layout).toMatch(/<span class="reprint" data-reprint>REPRINT 2<\/span>/);
      expect(r.value.title).toMatch(/ REPRINT 2$/);
      expect(r.value.html).toContain('AG1001 Ola Nordmann · REPRINT 2 · Backstop');
    }
    expect(pass().html).not.toContain('REPRINT');
    expect(
      boardingPass({ flight: f, passenger: checkedIn({ seat: '10A', seqNo: 7 }), provenance: { ...pv, reprint: 0 }, layout: 'atb' }),
    ).toMatchObject({
      ok: true,
      value: { html: expect.not.stringContaining('REPRINT') as unknown },
    });
  });

  it('uses the paper of each layout', () => {
    expect(PASS_PAPERS.map((l) => pass({}, l).pageSize)).toEqual(PASS_PAPERS.map((l) => PAGE_SIZES[l]));
    // Bag-tag stock is for bag tags: a pass asked for on it is laid out as an ATB card.
    expect(pass({}, 'bag-tag').pageSize).toEqual(PAGE_SIZES.atb);
    expect(PAGE_SIZES.atb).toMatchObject({ widthMm: 203, heightMm: 82 });
  });
});

describe('escaping', () => {
  it('never lets text become markup', () => {
    const evil = '<img src=x onerror=alert(1)> & "quotes"';
    expect(html`<p>${evil}</p>`.value).toBe('<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;</p>');
    const doc = reconciliationReport({
      rows: [
        {
          at: '2026-11-26T10:00:00.000Z',
          action: 'passenger.board',
          passenger: '</td><script>x()</script>',
          flight: 'BQ123',
          outcome: 'conflict',
          code: 'ALREADY_BOARDED',
          message: evil,
          staffId: 'AG1',
        },
      ],
      provenance: { ...pv, workstation: 'GATE"</style><script>' },
      scope: 'Outage',
    });
    expect(doc.html).not.toMatch(/<script|<img/i);
    expect(doc.html).toContain('&lt;/td&gt;&lt;script&gt;');
  });

  it('escapes CSS strings so a workstation name cannot end the string or the style element', () => {
    expect(cssString('GATE "1" </style> · \\')).toBe('"GATE \\22 1\\22  \\3C /style\\3E  \\B7  \\5C "');
  });
});

describe('manifest', () => {
  it('lists the crew only passengers who are checked in or boarded', () => {
    const pax = [
      checkedIn({ lastName: 'ACCEPTED', seat: '10A' }),
      passenger({ lastName: 'BOOKED' }),
      passenger({ lastName: 'GONE', status: 'no-show' }),
    ];
    const crew = passengerManifest({ flight: f, passengers: pax, provenance: pv, variant: 'crew' });
    const station = passengerManifest({ flight: f, passengers: pax, provenance: pv });
    expect(crew.html).toContain('ACCEPTED/ANNA');
    expect(crew.html).not.toContain('BOOKED/ANNA');
    expect(station.html).toContain('BOOKED/ANNA');
    expect(station.html).toContain('GONE/ANNA');
  });
});

describe('close-out report', () => {
  it('names whose bags must come off: offloaded passengers with checked bags', () => {
    const passengers = [
      checkedIn({ id: 'ON', lastName: 'ABOARD', status: 'boarded', seat: '10A', seqNo: 1, bags: { count: 2, weightKg: 41 } }),
      checkedIn({
        id: 'OFF',
        lastName: 'LEFT',
        status: 'offloaded',
        seat: null,
        seqNo: 2,
        pnr: 'OFF123',
        bags: { count: 1, weightKg: 18, pieces: [{ tag: '1934000777', weightKg: 18, destination: 'MAD' }] },
      }),
      checkedIn({ id: 'NB', lastName: 'WAITING', seat: '11A', seqNo: 3, bags: { count: 0, weightKg: 0 } }),
    ];
    const doc = closeoutReport({ flight: f, passengers, provenance: pv });
    const text = doc.html.replace(/<[^>]+>/g, '');
    expect(text).toContain('With boarded passengers (may fly)2 pc / 41 kg');
    expect(text).toContain('With accepted passengers not boarded (off unless they board)none');
    expect(text).toContain('With offloaded passengers (must come off)1 pc / 18 kg');
    // Whose bags come off, and which: by tag number.
    expect(text).toContain('LEFT/ANNA MS002OFF123Offloaded: take off1 pc / 18 kg1934 000777');
  });
});
