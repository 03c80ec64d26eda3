import { decode, encode } from 'bcbp';
import { describe, expect, it } from 'vitest';
import type { Passenger } from '../domain/schemas';
import { checkedIn, flight, passenger } from '../../tests/support/fixtures';
import { encodeBoardingPass } from './encode';
import { bcbpName } from './fields';
import { legFrom, parseBoardingPassScan, scannedNameMatches } from './scan';
import { isScannerTestPass, scannerTestPass } from './test-pass';

const f = flight();
const issuedOn = '2026-11-26';

function scan(p: Passenger, text = encodeBoardingPass({ flight: f, passenger: p, issuedOn })) {
  const r = parseBoardingPassScan(text, { today: issuedOn });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('BCBP encoding', () => {
  it('writes every mandatory item of a Resolution 792 boarding pass', () => {
    const p = checkedIn({
      pnr: 'XK4P2Q',
      lastName: 'SMITH',
      firstName: 'ANNA',
      seat: '10A',
      seqNo: 7,
      bookingClass: 'M',
      bags: { count: 0, weightKg: 0 },
    });
    const text = encodeBoardingPass({ flight: f, passenger: p, issuedOn });
    // Format M, 1 leg, name padded to 20, E-ticket, PNR padded to 7, from, to, carrier padded to 3,
    // flight number padded to 5, Julian date, compartment, seat, sequence padded to 5, status, then
    // the hex size of the conditional section.
    expect(text.slice(0, 58)).toBe('M1SMITH/ANNA          EXK4P2Q LHRMADBQ 0123 330M010A0007 1');
    expect(parseInt(text.slice(58, 60), 16)).toBe(text.length - 60);
    const d = decode(text, 2026);
    expect(d.meta).toMatchObject({
      formatCode: 'M',
      numberOfLegs: 1,
      electronicTicketIndicator: 'E',
      versionNumberIndicator: '>',
      versionNumber: 6,
    });
  });

  it('adds the conditional items the barcode can carry: issue date with year, document type, ticket, selectee', () => {
    const p = checkedIn({ seat: '10A', seqNo: 7, eticket: '1762345678901', vetting: 'selectee', docsChecked: true });
    const d = decode(encodeBoardingPass({ flight: f, passenger: p, issuedOn }), 2026);
    expect(d.data).toMatchObject({
      passengerDescription: '0',
      checkInSource: 'O',
      boardingPassIssuanceSource: 'O',
      documentType: 'B',
      boardingPassIssuerDesignator: 'BQ',
    });
    expect(d.data?.issuanceDate?.toISOString().slice(0, 10)).toBe(issuedOn);
    expect(d.data?.legs?.[0]).toMatchObject({
      airlineNumericCode: '176',
      serialNumber: '2345678901',
      selecteeIndicator: '1',
      internationalDocumentationVerification: '2',
      marketingCarrierDesignator: 'BQ',
    });
  });

  it('marks a cleared passenger as not a selectee and leaves document verification blank when not done', () => {
    const leg = decode(encodeBoardingPass({ flight: f, passenger: checkedIn({ docsChecked: false }), issuedOn }), 2026).data?.legs?.[0];
    expect(leg?.selecteeIndicator).toBe('0');
    expect(leg?.internationalDocumentationVerification).toBeUndefined();
  });

  it('gives a lap infant a pass of its own with seat INF and passenger description 4', () => {
    const inf = passenger({ paxType: 'INF', firstName: 'LILY', status: 'checked-in', seqNo: 8 });
    const text = encodeBoardingPass({ flight: f, passenger: inf, issuedOn });
    expect(decode(text, 2026).data?.passengerDescription).toBe('4');
    expect(scan(inf, text).legs[0]).toMatchObject({ seat: 'INF', seqNo: 8 });
  });

  it('encodes a standby passenger with no seat and passenger status 7', () => {
    const sb = checkedIn({ seat: null, standby: true, seqNo: 31 });
    expect(scan(sb).legs[0]).toMatchObject({ seat: null, seqNo: 31, passengerStatus: '7' });
  });

  it('cuts a long name to the 20 characters of the field, without apostrophes or hyphens', () => {
    expect(bcbpName({ lastName: "O'BRIEN-WALSH", firstName: 'MARY ANNE' })).toBe('OBRIENWALSH/MARY ANN');
  });

  it('writes accented names in the plain letters the barcode field allows', () => {
    expect(bcbpName({ lastName: 'MÜLLER', firstName: 'JÜRGEN' })).toBe('MULLER/JURGEN');
    expect(bcbpName({ lastName: 'ÇELİK', firstName: 'ŞULE' })).toBe('CELIK/SULE');
  });
});

describe('reading a scanned boarding pass', () => {
  it('returns what finds the passenger: PNR, name, flight, date, sequence, seat and origin', () => {
    const p = checkedIn({ pnr: 'XK4P2Q', lastName: 'SMITH', firstName: 'ANNA', seat: '10A', seqNo: 7 });
    const s = scan(p);
    expect(s).toMatchObject({ name: 'SMITH/ANNA', lastName: 'SMITH', firstName: 'ANNA', issuedOn });
    expect(s.legs).toEqual([
      {
        pnr: 'XK4P2Q',
        from: 'LHR',
        to: 'MAD',
        carrier: 'BQ',
        flightNumber: '123',
        julianDay: 330,
        flightDate: '2026-11-26',
        compartment: 'Y',
        seat: '10A',
        seqNo: 7,
        passengerStatus: '1',
        selectee: false,
      },
    ]);
    expect(scannedNameMatches(s, p)).toBe(true);
    expect(legFrom(s, 'LHR')?.flightNumber).toBe('123');
    expect(legFrom(s, 'MAD')).toBeUndefined();
  });

  it("reads another airline's pass (the package's own example) and resolves its year from today", () => {
    const r = parseBoardingPassScan('M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 226F001A0025 100', { today: '2026-08-10' });
    expect(r).toMatchObject({
      ok: true,
      value: {
        lastName: 'DESMARAIS',
        firstName: 'LUC',
        legs: [{ pnr: 'ABC123', from: 'YUL', carrier: 'AC', flightNumber: '834', flightDate: '2026-08-14', seat: '1A', seqNo: 25 }],
      },
    });
  });

  it('puts a flight early in January into the next year when the pass was issued in December', () => {
    const late = flight({ date: '2027-01-02' });
    const text = encodeBoardingPass({ flight: late, passenger: checkedIn({ flightId: late.id }), issuedOn: '2026-12-31' });
    const r = parseBoardingPassScan(text, { today: '2026-12-31' });
    expect(r.ok && r.value.legs[0]?.flightDate).toBe('2027-01-02');
  });

  it('reads both legs of a through pass and finds the one departing from this station', () => {
    const leg = { compartmentCode: 'Y', passengerStatus: '1', flightDate: new Date('2026-08-14T00:00:00Z') };
    const text = encode({
      data: {
        passengerName: 'DESMARAIS/LUC',
        issuanceDate: new Date('2026-08-01T00:00:00Z'),
        legs: [
          {
            ...leg,
            operatingCarrierPNR: 'ABC123',
            departureAirport: 'YUL',
            arrivalAirport: 'FRA',
            operatingCarrierDesignator: 'AC',
            flightNumber: '0834',
            seatNumber: '001A',
            checkInSequenceNumber: '0025',
            airlineNumericCode: '014',
          },
          {
            ...leg,
            operatingCarrierPNR: 'DEF456',
            departureAirport: 'FRA',
            arrivalAirport: 'GVA',
            operatingCarrierDesignator: 'LH',
            flightNumber: '3664',
            seatNumber: '012C',
            checkInSequenceNumber: '0002',
          },
        ],
      },
    });
    const r = parseBoardingPassScan(text, { today: '2026-08-10' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.legs.map((l) => `${l.carrier}${l.flightNumber} ${l.from}-${l.to} ${l.seat} ${l.flightDate}`)).toEqual([
      'AC834 YUL-FRA 1A 2026-08-14',
      'LH3664 FRA-GVA 12C 2026-08-14',
    ]);
    expect(legFrom(r.value, 'FRA')?.pnr).toBe('DEF456');
  });

  it('ignores a scanner symbology prefix and the line end a scanner adds', () => {
    const p = checkedIn({ seat: '11C', seqNo: 12 });
    const text = encodeBoardingPass({ flight: f, passenger: p, issuedOn });
    expect(scan(p, `]L2${text}\r\n`).legs[0]?.seat).toBe('11C');
  });

  it('accepts a name with a title appended by another airline', () => {
    expect(scannedNameMatches({ name: 'SMITH/ANNAMS' }, { lastName: 'SMITH', firstName: 'ANNA' })).toBe(true);
    expect(scannedNameMatches({ name: 'SMITH/JOHN' }, { lastName: 'SMITH', firstName: 'ANNA' })).toBe(false);
  });

  it("accepts another system's spelling of the same name: spaces, accents, a 20-character cut", () => {
    expect(scannedNameMatches({ name: 'VANDERBERG/JAN' }, { lastName: 'VAN DER BERG', firstName: 'JAN' })).toBe(true);
    expect(scannedNameMatches({ name: 'MULLER/JURGEN' }, { lastName: 'MÜLLER', firstName: 'JÜRGEN' })).toBe(true);
    expect(scannedNameMatches({ name: 'O BRIEN/PATRICK' }, { lastName: "O'BRIEN", firstName: 'PATRICK' })).toBe(true);
    expect(scannedNameMatches({ name: 'HARRIS JONES/ALEXAND' }, { lastName: 'HARRIS-JONES', firstName: 'ALEXANDRA' })).toBe(true);
    expect(scannedNameMatches({ name: 'MULLER/JOHN' }, { lastName: 'MÜLLER', firstName: 'JÜRGEN' })).toBe(false);
  });

  it.each([
    ['', 'SCAN_EMPTY'],
    ['\r\n', 'SCAN_EMPTY'],
    ['4006381333931', 'NOT_A_BOARDING_PASS'],
    ['https://example.com/ticket', 'NOT_A_BOARDING_PASS'],
    ['M1SMITH/ANNA          EABC123 LHRMAD', 'BOARDING_PASS_UNREADABLE'],
    ['M1SMITH/ANNA          EABC123 LHRMADBQ 0123 33XY010A0007 100', 'BOARDING_PASS_UNREADABLE'],
    ['M1SMITH ANNA          EABC123 LHRMADBQ 0123 330Y010A0007 100', 'BOARDING_PASS_UNREADABLE'],
    ['M1SMITH/ANNA          E!!!!!! LHRMADBQ 0123 330Y010A0007 100', 'BOARDING_PASS_UNREADABLE'],
    ['M1SMITH/ANNA          EABC123 LHRMADBQ ABCD 330Y010A0007 100', 'BOARDING_PASS_UNREADABLE'],
    [`M1${'\u0000'.repeat(70)}`, 'BOARDING_PASS_UNREADABLE'],
  ])('refuses %j with %s and a message in plain words', (text, code) => {
    const r = parseBoardingPassScan(text, { today: issuedOn });
    expect(r).toMatchObject({ ok: false, code });
    expect(r.ok ? '' : r.message).toMatch(/[a-z]{3,}.*\.$/);
  });

  it('names the damaged field', () => {
    const r = parseBoardingPassScan('M1SMITH/ANNA          EABC123 LHRMADBQ ABCD 330Y010A0007 100', { today: issuedOn });
    expect(r.ok ? '' : r.message).toMatch(/flight number/);
  });

  it('recognises the scanner test barcode of the printer test page', () => {
    const r = parseBoardingPassScan(scannerTestPass(issuedOn), { today: issuedOn });
    expect(r.ok && isScannerTestPass(r.value)).toBe(true);
    expect(isScannerTestPass(scan(checkedIn()))).toBe(false);
  });
});

describe('BCBP dates across a year boundary (the barcode holds a day of the year, not a year)', () => {
  const passFor = (flightDate: string, issued: string) => {
    const fl = flight({ date: flightDate });
    return encodeBoardingPass({ flight: fl, passenger: checkedIn({ flightId: fl.id }), issuedOn: issued });
  };
  /** The same pass with its conditional items cut off: another airline's pass without an issue date. */
  const withoutIssueDate = (text: string) => `${text.slice(0, 58)}00`;
  const flightDateOf = (text: string, today: string) => {
    const r = parseBoardingPassScan(text, { today });
    if (!r.ok) throw new Error(r.message);
    return r.value.legs[0]?.flightDate;
  };

  it('reads a pass printed on 31 December for a 1 January flight as next year, on either day', () => {
    const text = passFor('2028-01-01', '2027-12-31');
    expect(text.slice(44, 47)).toBe('001');
    expect(flightDateOf(text, '2027-12-31')).toBe('2028-01-01');
    expect(flightDateOf(text, '2028-01-01')).toBe('2028-01-01');
    expect(flightDateOf(withoutIssueDate(text), '2027-12-31')).toBe('2028-01-01');
  });

  it('reads day 365 scanned on 1 January as last year, with or without an issue date', () => {
    const text = passFor('2027-12-31', '2027-12-31');
    expect(text.slice(44, 47)).toBe('365');
    expect(flightDateOf(text, '2028-01-01')).toBe('2027-12-31');
    expect(flightDateOf(withoutIssueDate(text), '2028-01-01')).toBe('2027-12-31');
  });

  it('reads day 366 of a leap year scanned on 1 January as 31 December', () => {
    const text = passFor('2028-12-31', '2028-12-30');
    expect(text.slice(44, 47)).toBe('366');
    expect(flightDateOf(text, '2029-01-01')).toBe('2028-12-31');
    expect(flightDateOf(withoutIssueDate(text), '2029-01-01')).toBe('2028-12-31');
  });

  it('keeps the issue year of a pass issued in the last year of a decade (its barcode holds one digit of the year)', () => {
    const r = parseBoardingPassScan(passFor('2030-01-02', '2029-12-31'), { today: '2030-01-01' });
    expect(r.ok && [r.value.issuedOn, r.value.legs[0]?.flightDate]).toEqual(['2029-12-31', '2030-01-02']);
  });
});
