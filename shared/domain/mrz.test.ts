import { describe, expect, it } from 'vitest';
import { checkDocument, mrzLines, readMrz } from './mrz';

/** ICAO 9303 part 4, appendix: the specimen passport of Anna Maria Eriksson of Utopia (expired 2012). */
const ICAO_TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
/** ICAO 9303 part 5, appendix: the specimen identity card (TD1), short document number. */
const ICAO_TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
/** ICAO 9303 part 5: the TD1 specimen with a document number longer than nine characters (overflow). */
const ICAO_TD1_LONG = ['I<UTOD23145890<1233<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<2', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

const TODAY = '2027-03-27';

/** ICAO 9303 check digit (weights 7, 3, 1), written here apart from the parser under test. */
function checkDigit(s: string): string {
  const value = (c: string) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  return String([...s].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3]!, 0) % 10);
}

/** A passport zone with correct check digits. */
function td3(o: { state: string; surname: string; given: string; number: string; nat: string; dob: string; sex: string; exp: string }) {
  const name = `${o.surname}<<${o.given.replace(/ /g, '<')}`.padEnd(39, '<').slice(0, 39);
  const l1 = `P<${o.state}${name}`;
  const num = o.number.padEnd(9, '<');
  const personal = '<'.repeat(14);
  const parts = [
    num + checkDigit(num),
    o.nat,
    o.dob + checkDigit(o.dob),
    o.sex,
    o.exp + checkDigit(o.exp),
    personal + checkDigit(personal),
  ];
  const composite = checkDigit(parts[0]! + parts[2]! + parts[4]! + parts[5]!);
  return [l1, parts.join('') + composite];
}

describe('reading a machine-readable zone (ICAO 9303)', () => {
  it('reads the ICAO specimen passport (TD3): names, number, nationality, four-digit dates', () => {
    const r = readMrz(ICAO_TD3.join('\n'), TODAY);
    expect(r).toEqual({
      ok: true,
      document: {
        type: 'P',
        format: 'TD3',
        number: 'L898902C3',
        issuingState: 'UTO',
        nationality: 'UTO',
        lastName: 'ERIKSSON',
        firstName: 'ANNA MARIA',
        birthDate: '1974-08-12',
        expiryDate: '2012-04-15',
        sex: 'F',
      },
    });
  });

  it('reads the ICAO specimen identity cards (TD1), a long document number included', () => {
    const short = readMrz(ICAO_TD1.join('\n'), TODAY);
    expect(short).toMatchObject({ ok: true, document: { format: 'TD1', type: 'I', number: 'D23145890', nationality: 'UTO' } });
    const long = readMrz(ICAO_TD1_LONG.join('\n'), TODAY);
    expect(long).toMatchObject({ ok: true, document: { format: 'TD1', number: 'D23145890123', birthDate: '1974-08-12' } });
  });

  it('reads what a document reader sends: CR line ends, lower case from a typist, or one unbroken run', () => {
    expect(readMrz(ICAO_TD3.join('\r'), TODAY).ok).toBe(true);
    expect(readMrz(ICAO_TD3.join('\n').toLowerCase(), TODAY).ok).toBe(true);
    expect(readMrz(ICAO_TD3.join(''), TODAY).ok).toBe(true);
    expect(mrzLines(ICAO_TD1.join(''))).toEqual(ICAO_TD1);
  });

  it('refuses a zone whose check digits do not match, naming the field', () => {
    const line2 = ICAO_TD3[1]!;
    // The document number's check digit 6 → 7: a misread character.
    const bad = readMrz(`${ICAO_TD3[0]}\n${line2.slice(0, 9)}7${line2.slice(10)}`, TODAY);
    expect(bad).toMatchObject({ ok: false, code: 'MRZ_CHECK_DIGIT' });
    expect(bad.ok ? [] : bad.fields).toContain('document number check digit');
    // A digit of the birth date changed: its own check digit and the composite no longer agree.
    const dob = readMrz(`${ICAO_TD3[0]}\n${line2.replace('740812', '740813')}`, TODAY);
    expect(dob).toMatchObject({ ok: false, code: 'MRZ_CHECK_DIGIT' });
    expect(dob.ok ? [] : dob.fields).toEqual(expect.arrayContaining(['date of birth check digit', 'overall check digit']));
  });

  it('refuses an identity card (TD1) whose check digits do not match', () => {
    // The document number's check digit 7 → 8 on the specimen card: that digit and the overall one fail.
    const bad = readMrz([`${ICAO_TD1[0]!.slice(0, 14)}8${ICAO_TD1[0]!.slice(15)}`, ICAO_TD1[1], ICAO_TD1[2]].join('\n'), TODAY);
    expect(bad).toMatchObject({ ok: false, code: 'MRZ_CHECK_DIGIT' });
    expect(bad.ok ? [] : bad.fields).toEqual(expect.arrayContaining(['document number check digit', 'overall check digit']));
    // The expiry changed on the second line: its check digit no longer agrees.
    const exp = readMrz([ICAO_TD1[0], ICAO_TD1[1]!.replace('120415', '320415'), ICAO_TD1[2]].join('\n'), TODAY);
    expect(exp).toMatchObject({ ok: false, code: 'MRZ_CHECK_DIGIT' });
    expect(exp.ok ? [] : exp.fields).toContain('expiry date check digit');
  });

  it('refuses what is not a passport or identity card zone', () => {
    expect(readMrz('P<UTOERIKSSON', TODAY)).toMatchObject({ ok: false, code: 'MRZ_UNREADABLE' });
    expect(readMrz(`${ICAO_TD3[0]}\n${ICAO_TD3[1]!.slice(0, 40)}`, TODAY)).toMatchObject({ ok: false, code: 'MRZ_UNREADABLE' });
    expect(readMrz('', TODAY)).toMatchObject({ ok: false, code: 'MRZ_UNREADABLE' });
    // A visa (MRV-A) has the passport's size but another document code.
    const visa = td3({
      state: 'UTO',
      surname: 'ERIKSSON',
      given: 'ANNA',
      number: 'L898902C',
      nat: 'UTO',
      dob: '740812',
      sex: 'F',
      exp: '320415',
    });
    expect(readMrz(`V${visa[0]!.slice(1)}\n${visa[1]}`, TODAY).ok).toBe(false);
  });

  it('refuses an impossible field: an unknown state that is not the ICAO specimen', () => {
    const z = td3({ state: 'ZZZ', surname: 'DOE', given: 'JANE', number: 'X1234567', nat: 'ZZZ', dob: '900101', sex: 'F', exp: '320101' });
    expect(readMrz(z.join('\n'), TODAY)).toMatchObject({ ok: false, code: 'MRZ_INVALID_FIELD' });
  });

  it('puts a birth year in the past century when this century would be in the future', () => {
    const young = td3({
      state: 'GBR',
      surname: 'DOE',
      given: 'KID',
      number: '123456789',
      nat: 'GBR',
      dob: '210101',
      sex: 'M',
      exp: '310101',
    });
    expect(readMrz(young.join('\n'), TODAY)).toMatchObject({ ok: true, document: { birthDate: '2021-01-01', expiryDate: '2031-01-01' } });
    const old = td3({
      state: 'GBR',
      surname: 'DOE',
      given: 'GRAN',
      number: '123456789',
      nat: 'GBR',
      dob: '300101',
      sex: 'F',
      exp: '310101',
    });
    expect(readMrz(old.join('\n'), TODAY)).toMatchObject({ ok: true, document: { birthDate: '1930-01-01' } });
  });
});

describe('checking a document against the booking', () => {
  const valid = td3({
    state: 'GBR',
    surname: 'SMITH',
    given: 'ANNA MARIA',
    number: '533401372',
    nat: 'GBR',
    dob: '850203',
    sex: 'F',
    exp: '310517',
  });
  const doc = (() => {
    const r = readMrz(valid.join('\n'), TODAY);
    if (!r.ok) throw new Error(r.message);
    return r.document;
  })();

  it('passes a valid passport of the booked passenger', () => {
    expect(checkDocument(doc, { lastName: 'SMITH', firstName: 'ANNA' }, TODAY, TODAY)).toEqual({
      expired: false,
      expiresBeforeTravel: false,
      nameMatches: true,
    });
    // The booking may carry both given names, run together or spaced.
    expect(checkDocument(doc, { lastName: 'SMITH', firstName: 'ANNAMARIA' }, TODAY, TODAY).nameMatches).toBe(true);
  });

  it('finds the ICAO specimen passport expired (against the given date, not the machine clock)', () => {
    const r = readMrz(ICAO_TD3.join('\n'), TODAY);
    if (!r.ok) throw new Error(r.message);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'ANNA' }, TODAY, TODAY).expired).toBe(true);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'ANNA' }, '2012-04-15', '2012-04-15').expired).toBe(false);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'ANNA' }, '2012-04-14', '2012-04-16')).toMatchObject({
      expired: false,
      expiresBeforeTravel: true,
    });
  });

  it('finds the ICAO specimen identity card (TD1) expired, and flags it for another passenger', () => {
    const r = readMrz(ICAO_TD1.join('\n'), TODAY);
    if (!r.ok) throw new Error(r.message);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'ANNA' }, TODAY, TODAY)).toEqual({
      expired: true,
      expiresBeforeTravel: true,
      nameMatches: true,
    });
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'ANNA' }, '2011-01-01', '2011-01-02').expired).toBe(false);
    expect(checkDocument(r.document, { lastName: 'ERIKSEN', firstName: 'ANNA' }, TODAY, TODAY).nameMatches).toBe(false);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'MARIA' }, TODAY, TODAY).nameMatches).toBe(true);
    expect(checkDocument(r.document, { lastName: 'ERIKSSON', firstName: 'JOHAN' }, TODAY, TODAY).nameMatches).toBe(false);
  });

  it('flags a name that is not the booked passenger’s', () => {
    expect(checkDocument(doc, { lastName: 'JONES', firstName: 'ANNA' }, TODAY, TODAY).nameMatches).toBe(false);
    expect(checkDocument(doc, { lastName: 'SMITH', firstName: 'JOHN' }, TODAY, TODAY).nameMatches).toBe(false);
  });

  it('allows for a surname the zone cut short and for spaces and hyphens written as fillers', () => {
    const long = td3({
      state: 'GBR',
      surname: 'WOLFESCHLEGELSTEINHAUSENBERGERDORFF',
      given: 'HUBERT',
      number: '533401372',
      nat: 'GBR',
      dob: '850203',
      sex: 'M',
      exp: '310517',
    });
    const r = readMrz(long.join('\n'), TODAY);
    if (!r.ok) throw new Error(r.message);
    expect(
      checkDocument(r.document, { lastName: 'WOLFESCHLEGELSTEINHAUSENBERGERDORFF', firstName: 'HUBERT' }, TODAY, TODAY).nameMatches,
    ).toBe(true);
    const hyphen = td3({
      state: 'GBR',
      surname: 'WALSH<BROWN',
      given: 'ZOE',
      number: '533401372',
      nat: 'GBR',
      dob: '850203',
      sex: 'F',
      exp: '310517',
    });
    const h = readMrz(hyphen.join('\n'), TODAY);
    if (!h.ok) throw new Error(h.message);
    expect(checkDocument(h.document, { lastName: 'WALSH-BROWN', firstName: 'ZOE' }, TODAY, TODAY).nameMatches).toBe(true);
  });
});
