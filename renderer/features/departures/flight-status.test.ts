import { describe, expect, it } from 'vitest';
import { byStationDay, matchesFlight } from './flight-status';

describe('departures across several days', () => {
  it('groups flights by the station-local day of their STD and names the zone of each day', () => {
    const flights = [
      { id: 'A', std: '2027-03-27T22:45:00.000Z' },
      { id: 'B', std: '2027-03-28T00:30:00.000Z' },
      { id: 'C', std: '2027-03-28T07:10:00.000Z' },
      { id: 'D', std: '2027-03-29T06:00:00.000Z' },
    ];
    const days = byStationDay(flights, 'Europe/London');
    expect(days.map((d) => [d.date, d.label, d.flights.map((f) => f.id)])).toEqual([
      ['2027-03-27', 'Sat 27 Mar', ['A']],
      ['2027-03-28', 'Sun 28 Mar', ['B', 'C']],
      ['2027-03-29', 'Mon 29 Mar', ['D']],
    ]);
    // The clocks go forward on the 28th: that day's times are in two zones.
    expect(days[0]!.zones).toEqual(['GMT']);
    expect(days[1]!.zones).toHaveLength(2);
    expect(days[1]!.zones[0]).toBe('GMT');
  });

  it('puts a late UTC evening flight on the next day where the station is ahead of UTC', () => {
    const days = byStationDay([{ std: '2026-11-26T20:00:00.000Z' }], 'Pacific/Auckland');
    expect(days[0]).toMatchObject({ date: '2026-11-27', label: 'Fri 27 Nov' });
  });
});

describe('jumping to a flight', () => {
  it('matches a flight number with or without carrier, or a destination', () => {
    const f = { carrier: 'BQ', number: '123', destination: 'MAD' };
    expect(['123', 'BQ123', 'bq 123', 'MAD', ''].map((q) => matchesFlight(f, q))).toEqual([true, true, true, true, true]);
    expect(matchesFlight(f, 'BQ124')).toBe(false);
  });
});
