import { describe, expect, it } from 'vitest';
import { flightLabelWithDate } from './flight-label';

describe('a flight named in a message', () => {
  it('is carrier, number and day, not its internal id', () => {
    expect(flightLabelWithDate({ carrier: 'BQ', number: '1840', date: '2026-12-02' })).toBe('BQ1840 on 2 Dec');
    expect(flightLabelWithDate({ carrier: 'BQ', number: '7', date: '2027-03-28' })).toBe('BQ7 on 28 Mar');
  });

  it('falls back to words when the flight is unknown, and to the flight alone when its date is malformed', () => {
    expect(flightLabelWithDate(undefined)).toBe('this flight');
    expect(flightLabelWithDate({ carrier: 'BQ', number: '12', date: 'soon' })).toBe('BQ12');
  });
});
