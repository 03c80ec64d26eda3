import { describe, expect, it } from 'vitest';
import { checkedIn, passenger } from '../../../tests/support/fixtures';
import { encodeBoardingPass } from '../../../shared/bcbp/encode';
import { flight } from '../../../tests/support/fixtures';
import { DEFAULT_QUERY, matchesText, passengerOfScan, queryManifest } from './manifest-query';

const anna = checkedIn({
  id: 'A',
  lastName: 'SMITH',
  firstName: 'ANNA',
  pnr: 'QX7L2M',
  seat: '14C',
  seqNo: 12,
  eticket: '1762400000012',
  ffNumber: 'BQ123456789',
});
const bob = passenger({
  id: 'B',
  lastName: 'SMITHSON',
  firstName: 'BOB',
  pnr: 'ZZ9ZZ9',
  eticket: '1762400000099',
  cabin: 'J',
  ssrs: ['WCHR'],
});
const chi = checkedIn({ id: 'C', lastName: 'OKAFOR', firstName: 'CHIDI', pnr: 'QX7L2M', seat: '2A', seqNo: 3, status: 'boarded' });

describe('manifest search', () => {
  it.each([
    ['12', ['A']],
    ['14c', ['A']],
    ['QX7L2M', ['A', 'C']],
    ['smith', ['A', 'B']],
    ['SMITH/AN', ['A']],
    ['smith bob', ['B']],
    ['1762400000099', ['B']],
    ['BQ1234', ['A']],
    ['chi', ['C']],
  ])('finds %s', (q, ids) => {
    expect([anna, bob, chi].filter((p) => matchesText(p, q)).map((p) => p.id)).toEqual(ids);
  });

  it('filters by status, cabin and SSR, and sorts by seat, seq or name', () => {
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, status: 'boarded' }).map((p) => p.id)).toEqual(['C']);
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, cabin: 'J' }).map((p) => p.id)).toEqual(['B']);
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, ssr: 'WCHR' }).map((p) => p.id)).toEqual(['B']);
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, sort: 'seat' }).map((p) => p.id)).toEqual(['C', 'A', 'B']);
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, sort: 'seq' }).map((p) => p.id)).toEqual(['C', 'A', 'B']);
    expect(queryManifest([anna, bob, chi], { ...DEFAULT_QUERY, sort: 'name' }).map((p) => p.id)).toEqual(['C', 'A', 'B']);
  });
});

describe('names typed the way they are on the passport or the pass', () => {
  const pat = passenger({ id: 'O', lastName: "O'BRIEN", firstName: 'PATRICK', pnr: 'OBR123' });
  const alex = passenger({ id: 'H', lastName: 'HARRIS-JONES', firstName: 'ALEXANDRA', pnr: 'HJ1234' });
  const jurgen = passenger({ id: 'M', lastName: 'MÜLLER', firstName: 'JÜRGEN', pnr: 'MU1234' });
  const everyone = [anna, bob, chi, pat, alex, jurgen];
  it.each([
    ['OBRIEN', ['O']],
    ['O BRIEN', ['O']],
    ["o'brien/pat", ['O']],
    ['HARRISJONES', ['H']],
    ['HARRIS JONES', ['H']],
    ['jones', ['H']],
    ['MULLER', ['M']],
    ['müller jürgen', ['M']],
    ['HARRISJONES/ALEXANDR', ['H']],
  ])('finds %s', (q, ids) => {
    expect(everyone.filter((p) => matchesText(p, q)).map((p) => p.id)).toEqual(ids);
  });
});

describe('a boarding pass scanned into the manifest search', () => {
  it('finds its passenger', () => {
    const raw = encodeBoardingPass({ flight: flight(), passenger: anna, issuedOn: '2026-11-26' });
    expect(passengerOfScan(raw, [bob, chi, anna], '2026-11-26')?.id).toBe('A');
    expect(passengerOfScan('not a pass', [anna], '2026-11-26')).toBeNull();
  });
});
