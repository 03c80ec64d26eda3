import { describe, expect, it } from 'vitest';
import { passenger } from '../../../shared/testing/fixtures';
import { buildSearchText } from '../../db/search-text';
import { StationIndex } from './station-search';

const searchStation = (d: { flightId: string; text: string }[], q: string, limit = 50) => StationIndex.build(d).search(q, limit);

const docs = [
  {
    flightId: 'F1',
    text: buildSearchText([
      passenger({ id: 'P1', lastName: 'GARCIA', firstName: 'LUIS', pnr: 'ABC123', eticket: '1760000000001', ffNumber: 'BQ555' }),
    ]),
  },
  {
    flightId: 'F2',
    text: buildSearchText([
      passenger({ id: 'P2', lastName: 'GARCIA LOPEZ', firstName: 'ANA', pnr: 'XYZ789', eticket: '1760000000002' }),
      passenger({ id: 'P3', lastName: 'LUISA', firstName: 'MARIA', pnr: 'ABC124', eticket: '1760000000003' }),
    ]),
  },
];

describe('station-wide search', () => {
  it('finds by last-name prefix across flights', () => {
    expect(
      searchStation(docs, 'garcia')
        .hits.map((h) => h.passengerId)
        .sort(),
    ).toEqual(['P1', 'P2']);
  });

  it('finds by PNR and ranks the exact match first', () => {
    const { hits } = searchStation(docs, 'ABC123');
    expect(hits[0]).toMatchObject({ passengerId: 'P1', rank: 0 });
  });

  it('finds by e-ticket, frequent-flyer number and a later word of the name', () => {
    expect(searchStation(docs, '1760000000003').hits.map((h) => h.passengerId)).toEqual(['P3']);
    expect(searchStation(docs, 'BQ555').hits.map((h) => h.passengerId)).toEqual(['P1']);
    expect(searchStation(docs, 'lopez').hits.map((h) => h.passengerId)).toEqual(['P2']);
    expect(searchStation(docs, 'garcia/luis').hits.map((h) => h.passengerId)).toEqual(['P1']);
  });

  it('does not match inside the passenger id or inside a field, and needs two characters', () => {
    expect(searchStation(docs, 'P1').hits).toEqual([]);
    expect(searchStation(docs, 'ARCIA').hits).toEqual([]);
    expect(searchStation(docs, '000000001').hits).toEqual([]);
    expect(searchStation(docs, 'G').hits).toEqual([]);
  });

  it('caps the results and says there are more', () => {
    const many = [
      { flightId: 'F', text: buildSearchText(Array.from({ length: 80 }, (_, i) => passenger({ id: `X${i}`, lastName: 'LEE' }))) },
    ];
    const result = searchStation(many, 'LEE', 50);
    expect(result.hits).toHaveLength(50);
    expect(result.more).toBe(true);
  });
});
