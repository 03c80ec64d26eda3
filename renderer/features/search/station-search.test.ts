import { describe, expect, it } from 'vitest';
import { passenger } from '../../../tests/support/fixtures';
import { buildSearchText } from '../../db/search-text';
import { searchFlightOrder } from './flight-order';
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

  it('finds names typed without apostrophes, hyphens or accents, and BCBP names cut at 20 characters', () => {
    const named = [
      {
        flightId: 'F9',
        text: buildSearchText([
          passenger({ id: 'O', lastName: "O'BRIEN", firstName: 'PATRICK' }),
          passenger({ id: 'H', lastName: 'HARRIS-JONES', firstName: 'ALEXANDRA' }),
          passenger({ id: 'M', lastName: 'MÜLLER', firstName: 'JÜRGEN' }),
        ]),
      },
    ];
    const ids = (q: string) => searchStation(named, q).hits.map((h) => h.passengerId);
    expect(ids('OBRIEN')).toEqual(['O']);
    expect(ids('O BRIEN')).toEqual(['O']);
    expect(ids("O'BRIEN")).toEqual(['O']);
    expect(ids('HARRISJONES')).toEqual(['H']);
    expect(ids('HARRIS JONES')).toEqual(['H']);
    expect(ids('HARRIS-JONES')).toEqual(['H']);
    expect(ids('JONES')).toEqual(['H']);
    expect(ids('HARRISJONES/ALEXANDR')).toEqual(['H']);
    expect(ids('MULLER')).toEqual(['M']);
    expect(ids('MÜLLER/JÜRGEN')).toEqual(['M']);
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

describe('ordering hits by flight', () => {
  const flights = [
    { id: 'TOMORROW', std: '2027-03-28T18:00:00.000Z', etd: null, status: 'scheduled' as const },
    { id: 'TONIGHT', std: '2027-03-27T21:00:00.000Z', etd: '2027-03-27T23:10:00.000Z', status: 'scheduled' as const },
    { id: 'GONE', std: '2027-03-27T20:00:00.000Z', etd: null, status: 'departed' as const },
    { id: 'OFF', std: '2027-03-27T21:30:00.000Z', etd: null, status: 'cancelled' as const },
  ];
  const lee = (flightId: string, n: number) => ({
    flightId,
    text: buildSearchText(Array.from({ length: n }, (_, i) => passenger({ id: `${flightId}-${i}`, lastName: 'LEE', firstName: 'KIM' }))),
  });
  const docs = [lee('GONE', 30), lee('OFF', 5), lee('TOMORROW', 80), lee('TONIGHT', 2)];

  it("puts the soonest flight's passengers first, even when another flight has more of the same name than the limit", () => {
    const { hits, more } = StationIndex.build(docs).search('LEE', { limit: 50, flightOrder: searchFlightOrder(flights, false) });
    expect(hits.slice(0, 2).map((h) => h.flightId)).toEqual(['TONIGHT', 'TONIGHT']);
    expect(new Set(hits.slice(2).map((h) => h.flightId))).toEqual(new Set(['TOMORROW']));
    expect(more).toBe(true);
  });

  it('leaves departed flights out unless asked, then lists them after the rest, cancelled after those still to go', () => {
    const order = (includeDeparted: boolean) => [
      ...new Set(
        StationIndex.build(docs)
          .search('LEE', { limit: 500, flightOrder: searchFlightOrder(flights, includeDeparted) })
          .hits.map((h) => h.flightId),
      ),
    ];
    expect(order(false)).toEqual(['TONIGHT', 'TOMORROW', 'OFF']);
    expect(order(true)).toEqual(['TONIGHT', 'TOMORROW', 'OFF', 'GONE']);
  });
});
