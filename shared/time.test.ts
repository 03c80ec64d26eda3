/**
 * Station-local time at the edges: a DST change in the station's zone, and stations so far from UTC
 * that their "today" is not UTC's for half the day.
 */
import { describe, expect, it } from 'vitest';
import { addMinutes, age, localDate, localDateTime, localDay, localTime, zoneLabel } from './time';

describe('station-local time across a DST change (London, 28 March 2027)', () => {
  it('jumps from 00:59 GMT to 02:00 BST at 01:00 UTC and labels each side with its zone', () => {
    expect(localTime('2027-03-28T00:59:00Z', 'Europe/London')).toBe('00:59');
    expect(zoneLabel('2027-03-28T00:59:00Z', 'Europe/London')).toBe('GMT');
    expect(localTime('2027-03-28T01:00:00Z', 'Europe/London')).toBe('02:00');
    expect(zoneLabel('2027-03-28T01:00:00Z', 'Europe/London')).toMatch(/^(BST|GMT\+1)$/);
  });

  it('repeats 01:00–02:00 local when the clocks go back, and tells the two apart by zone', () => {
    const first = '2027-10-31T00:30:00Z';
    const second = '2027-10-31T01:30:00Z';
    expect(localTime(first, 'Europe/London')).toBe('01:30');
    expect(localTime(second, 'Europe/London')).toBe('01:30');
    expect(zoneLabel(first, 'Europe/London')).not.toBe(zoneLabel(second, 'Europe/London'));
  });

  it('measures data age in real minutes, not wall-clock minutes', () => {
    // 00:30 GMT to 02:30 BST on the wall is one hour of real time.
    expect(age('2027-03-28T00:30:00Z', Date.parse('2027-03-28T01:30:00Z'))).toBe('1 h 00 min');
    expect(addMinutes('2027-03-28T00:30:00.000Z', 60)).toBe('2027-03-28T01:30:00.000Z');
  });
});

describe('stations far from UTC', () => {
  it("gives Auckland (UTC+13 in summer) tomorrow's date while UTC is still on today", () => {
    const at = '2026-11-26T20:00:00Z';
    expect(localDate(at, 'Pacific/Auckland')).toBe('2026-11-27');
    expect(localDateTime(at, 'Pacific/Auckland')).toBe('27 Nov 09:00');
    expect(localDate(at, 'UTC')).toBe('2026-11-26');
  });

  it('names the station-local day, not the UTC one', () => {
    const at = '2026-11-26T20:00:00Z';
    expect(localDay(at, 'Pacific/Auckland')).toBe('Fri 27 Nov');
    expect(localDay(at, 'UTC')).toBe('Thu 26 Nov');
    expect(localDay('2027-03-28T00:30:00Z', 'Europe/London')).toBe('Sun 28 Mar');
  });

  it("gives Honolulu (UTC−10) yesterday's date while UTC is already on today", () => {
    const at = '2026-11-27T06:00:00Z';
    expect(localDate(at, 'Pacific/Honolulu')).toBe('2026-11-26');
    expect(localTime(at, 'Pacific/Honolulu')).toBe('20:00');
    expect(zoneLabel(at, 'Pacific/Honolulu')).toMatch(/^(HST|GMT-10)$/);
  });

  it('puts New Year at midnight station time, not UTC', () => {
    // 11:30 on 31 Dec UTC is already the new year in Auckland; 09:00 on 1 Jan UTC is still the old one in Honolulu.
    expect(localDate('2027-12-31T11:30:00Z', 'Pacific/Auckland')).toBe('2028-01-01');
    expect(localDate('2028-01-01T09:00:00Z', 'Pacific/Honolulu')).toBe('2027-12-31');
  });
});
