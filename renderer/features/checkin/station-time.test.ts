import { describe, expect, it } from 'vitest';
import { stationTimeToIso } from './station-time';

describe('a station-local time read off a handwritten pass', () => {
  it('becomes the UTC instant it was in the station’s zone', () => {
    expect(stationTimeToIso('2026-11-26', '09:40', 'Europe/London')).toBe('2026-11-26T09:40:00.000Z');
    expect(stationTimeToIso('2026-11-26', '09:40', 'Pacific/Auckland')).toBe('2026-11-25T20:40:00.000Z');
    expect(stationTimeToIso('2026-11-26', '21:15', 'Pacific/Honolulu')).toBe('2026-11-27T07:15:00.000Z');
  });

  it('knows summer time, and that the hour skipped in spring does not exist', () => {
    // At 01:00 GMT London's clocks jump to 02:00 BST: 01:30 never happened there that night.
    expect(stationTimeToIso('2027-03-28', '01:30', 'Europe/London')).toBeNull();
    expect(stationTimeToIso('2027-03-28', '02:30', 'Europe/London')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('refuses what is not a time', () => {
    expect(stationTimeToIso('2026-11-26', '9.40', 'Europe/London')).toBeNull();
  });
});
