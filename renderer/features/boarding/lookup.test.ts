import { describe, expect, it } from 'vitest';
import { encodeBoardingPass } from '../../../shared/bcbp/encode';
import { checkedIn, flight, passenger } from '../../../tests/support/fixtures';
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

  it('knows a pass printed before the seat changed: the right person, an outdated pass', () => {
    const printed = encodeBoardingPass({ flight: F, passenger: { ...anna, seat: '3A' }, issuedOn: F.date });
    expect(lookupScan(printed, F, all, F.date)).toMatchObject({
      kind: 'found',
      passenger: { id: 'A' },
      pass: { kind: 'outdated', printedSeat: '3A', printedSeq: 12 },
    });
    const current = encodeBoardingPass({ flight: F, passenger: anna, issuedOn: F.date });
    expect(lookupScan(current, F, all, F.date)).toMatchObject({ pass: { kind: 'current' }, scannedSeq: 12 });
  });

  it('knows a void pass of a passenger accepted at two desks, and finds them by it', () => {
    const twice = { ...anna, flags: [{ code: 'VOID_PASS' as const, seqNo: 208, seat: '20A' }] };
    const voidPass = encodeBoardingPass({ flight: F, passenger: { ...anna, seqNo: 208, seat: '20A' }, issuedOn: F.date });
    expect(lookupScan(voidPass, F, [twice, ben, carl], F.date)).toMatchObject({
      kind: 'found',
      passenger: { id: 'A' },
      pass: { kind: 'void', voidSeq: 208 },
    });
  });

  it('knows a pass from a desk this one cannot see: a sequence number on it, no check-in here', () => {
    const fromOtherDesk = encodeBoardingPass({
      flight: F,
      passenger: { ...carl, status: 'checked-in', seqNo: 207, seat: '11A' },
      issuedOn: F.date,
    });
    expect(lookupScan(fromOtherDesk, F, all, F.date)).toMatchObject({
      kind: 'found',
      passenger: { id: 'C' },
      pass: { kind: 'elsewhere', seqNo: 207 },
    });
  });

  it('refuses garbage with a plain reason', () => {
    expect(lookupScan('M1THIS IS NOT A BOARDING PASS AT ALL, REALLY NOT', F, all, F.date).kind).toBe('unreadable');
  });

  it('finds the passenger whose last name fills the whole 20-character name field', () => {
    const long = checkedIn({ id: 'W', lastName: 'WOLFESCHLEGELSTEINHAUSEN', firstName: 'HUBERT', pnr: 'WLF123', seat: '3A', seqNo: 30 });
    const raw = encodeBoardingPass({ flight: F, passenger: long, issuedOn: F.date });
    expect(lookupScan(raw, F, [...all, long], F.date)).toMatchObject({ kind: 'found', passenger: { id: 'W' }, via: 'scan' });
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

  it('finds a name typed without its apostrophe, hyphen or accents, or cut like a barcode', () => {
    const pat = checkedIn({ id: 'O', lastName: "O'BRIEN", firstName: 'PATRICK', seqNo: 40 });
    const alex = checkedIn({ id: 'H', lastName: 'HARRIS-JONES', firstName: 'ALEXANDRA', seqNo: 41 });
    const jurgen = checkedIn({ id: 'M', lastName: 'MÜLLER', firstName: 'JÜRGEN', seqNo: 42 });
    const gate = [...all, pat, alex, jurgen];
    for (const [q, id] of [
      ['OBRIEN', 'O'],
      ['O BRIEN', 'O'],
      ['HARRIS JONES', 'H'],
      ['HARRISJONES/ALEXANDR', 'H'],
      ['MULLER', 'M'],
    ] as const) {
      expect(lookupManual(q, gate), q).toMatchObject({ kind: 'found', passenger: { id } });
    }
  });

  it('offers a choice when several match, and says so when none does', () => {
    const many = lookupManual('smith', all);
    expect(many.kind === 'many' && many.passengers.map((p) => p.id)).toEqual(['A', 'B']);
    expect(lookupManual('77', all).kind).toBe('none');
  });
});
