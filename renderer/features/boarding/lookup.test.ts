import { describe, expect, it } from 'vitest';
import { encodeBoardingPass } from '../../../shared/bcbp/encode';
import { checkedIn, flight, passenger } from '../../../shared/testing/fixtures';
import { looksLikeBoardingPass, lookupManual, lookupScan } from './lookup';

const F = flight();
const anna = checkedIn({ id: 'A', lastName: 'SMITH', firstName: 'ANNA', pnr: 'QX7L2M', seat: '14C', seqNo: 12 });
const ben = checkedIn({ id: 'B', lastName: 'SMITH', firstName: 'BEN', pnr: 'QX7L2M', seat: '14D', seqNo: 13 });
const carl = passenger({ id: 'C', lastName: 'JONES', firstName: 'CARL', pnr: 'ZZ9ZZ9' });
const all = [anna, ben, carl];

describe('finding the passenger from a scanned pass', () => {
  it('finds the passenger by sequence number and name', () => {
    const raw = encodeBoardingPass({ flight: F, passenger: ben, issuedOn: F.date });
    expect(looksLikeBoardingPass(raw)).toBe(true);
    expect(lookupScan(raw, F, all, F.date)).toMatchObject({ kind: 'found', passenger: { id: 'B' }, via: 'scan' });
  });

  it('says WRONG FLIGHT for a pass of another flight or day, naming it', () => {
    const other = encodeBoardingPass({ flight: flight({ number: '456', id: 'X' }), passenger: anna, issuedOn: F.date });
    const result = lookupScan(other, F, all, F.date);
    expect(result.kind).toBe('wrong-flight');
    expect(result.kind === 'wrong-flight' && result.message).toContain('BQ456');
    const tomorrow = encodeBoardingPass({ flight: flight({ date: '2026-11-27' }), passenger: anna, issuedOn: F.date });
    expect(lookupScan(tomorrow, F, all, F.date).kind).toBe('wrong-flight');
  });

  it('refuses garbage with a plain reason', () => {
    expect(lookupScan('M1THIS IS NOT A BOARDING PASS AT ALL, REALLY NOT', F, all, F.date).kind).toBe('unreadable');
  });

  it('reports a pass whose passenger is not on the manifest', () => {
    const stranger = checkedIn({ id: 'Z', lastName: 'NOBODY', firstName: 'NEMO', pnr: 'NOPNR1', seqNo: 99 });
    expect(lookupScan(encodeBoardingPass({ flight: F, passenger: stranger, issuedOn: F.date }), F, all, F.date).kind).toBe('none');
  });
});

describe('finding the passenger from what the agent typed', () => {
  it('takes a sequence number, a seat or a name', () => {
    expect(lookupManual('12', all)).toMatchObject({ kind: 'found', passenger: { id: 'A' } });
    expect(lookupManual('14d', all)).toMatchObject({ kind: 'found', passenger: { id: 'B' } });
    expect(lookupManual('jones', all)).toMatchObject({ kind: 'found', passenger: { id: 'C' } });
    expect(lookupManual('smith/be', all)).toMatchObject({ kind: 'found', passenger: { id: 'B' } });
  });

  it('offers a choice when several match, and says so when none does', () => {
    const many = lookupManual('smith', all);
    expect(many.kind === 'many' && many.passengers.map((p) => p.id)).toEqual(['A', 'B']);
    expect(lookupManual('77', all).kind).toBe('none');
  });
});
