import { describe, expect, it } from 'vitest';
import { checkedIn, flight } from '../../tests/support/fixtures';
import { boardingPass } from './boarding-pass';
import { withNeutralTitle } from './neutral-title';

function boardingPassTestDocument(lastName: string, firstName: string) {
  const built = boardingPass({
    flight: flight(),
    passenger: checkedIn({ lastName, firstName }),
    provenance: {
      dataAsOf: '2026-11-26T11:00:00.000Z',
      printedAt: '2026-11-26T12:00:00.000Z',
      timeZone: 'Europe/London',
      station: 'LHR',
      workstation: 'GATE-1',
      agent: { id: 'AG1001', name: 'Priya Shah' },
    },
    layout: 'atb',
  });
  if (!built.ok) throw new Error(built.message);
  return built.value;
}

describe('the title a spooler sees', () => {
  it('names the kind of document, never the passenger', () => {
    const html = '<!DOCTYPE html><html><head><title>Boarding pass OKONKWO/ADAEZE MS BQ123 26NOV</title></head><body>x</body></html>';
    const out = withNeutralTitle(html, 'boarding-pass');
    expect(out).toContain('<title>Backstop boarding-pass</title>');
    expect(out).not.toContain('OKONKWO');
    expect(withNeutralTitle('<html><head></head></html>', 'manifest')).toContain('<title>Backstop manifest</title>');
  });

  it('is applied to a real boarding pass, whose own title names the passenger', () => {
    const doc = boardingPassTestDocument('OKONKWO', 'ADAEZE');
    expect(doc.title).toContain('OKONKWO');
    expect(withNeutralTitle(doc.html, doc.kind)).not.toMatch(/<title>[^<]*OKONKWO/);
  });
});
