import { encode } from 'bcbp';
import { describe, expect, it } from 'vitest';
import { checkedIn, flight } from '../../tests/support/fixtures';
import { encodeBoardingPass } from './encode';
import { BCBP_MANDATORY_LENGTH, bcbpMessageLength, isBcbpShaped } from './shape';
import { scannerTestPass } from './test-pass';

const issuedOn = '2026-11-26';
const ours = encodeBoardingPass({ flight: flight(), passenger: checkedIn({ seat: '10A', seqNo: 7 }), issuedOn });
const leg = { compartmentCode: 'Y', passengerStatus: '1', flightDate: new Date('2026-08-14T00:00:00Z') };
const throughPass = encode({
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

describe('the shape of a BCBP message', () => {
  it('recognises a pass Backstop prints, and the scanner test pass', () => {
    expect(isBcbpShaped(ours)).toBe(true);
    expect(bcbpMessageLength(ours)).toBe(ours.length);
    expect(isBcbpShaped(scannerTestPass(issuedOn))).toBe(true);
  });

  it("recognises another airline's pass with no conditional items, exactly the mandatory length", () => {
    const bare = 'M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 226F001A0025 100';
    expect(bare).toHaveLength(BCBP_MANDATORY_LENGTH);
    expect(isBcbpShaped(bare)).toBe(true);
  });

  it('follows every leg of a through pass by its size fields', () => {
    expect(throughPass.startsWith('M2')).toBe(true);
    expect(isBcbpShaped(throughPass)).toBe(true);
  });

  it('includes the security data after the legs', () => {
    const signed = encode({
      data: {
        passengerName: 'SMITH/ANNA',
        legs: [
          {
            ...leg,
            operatingCarrierPNR: 'ABC123',
            departureAirport: 'LHR',
            arrivalAirport: 'MAD',
            operatingCarrierDesignator: 'BQ',
            flightNumber: '0123',
          },
        ],
        securityData: 'GIWVC5EH7JNT684FVNJ91W2QA4DVN5J8K4F0L0GEQ3DF5TGBN8709HKT5D3DW3GBHFCVHMY7J5T6HFR41W2QA4DVN5J8K4F0L0GE',
      },
    });
    expect(signed).toContain('^');
    expect(isBcbpShaped(signed)).toBe(true);
    expect(isBcbpShaped(signed.slice(0, -1))).toBe(false);
  });

  it('accepts the symbology prefix a scanner may send first', () => {
    for (const prefix of [']L0', ']L1', ']L2']) expect(isBcbpShaped(`${prefix}${ours}`)).toBe(true);
    expect(isBcbpShaped(`]L7${ours}`)).toBe(false);
  });

  it('refuses a pass cut short or followed by other text', () => {
    expect(isBcbpShaped(ours.slice(0, -1))).toBe(false);
    expect(isBcbpShaped(ours.slice(0, 40))).toBe(false);
    expect(isBcbpShaped(`${ours}X`)).toBe(false);
    expect(isBcbpShaped(`X${ours}`)).toBe(false);
  });

  it('refuses a leg count the size fields do not bear out', () => {
    expect(isBcbpShaped(`M2${ours.slice(2)}`)).toBe(false);
    expect(isBcbpShaped(`M1${throughPass.slice(2)}`)).toBe(false);
    expect(isBcbpShaped(`M5${ours.slice(2)}`)).toBe(false);
  });

  it('refuses a size field that is not hexadecimal, and text that only starts like a pass', () => {
    expect(isBcbpShaped(`${ours.slice(0, 58)}ZZ${ours.slice(60)}`)).toBe(false);
    expect(isBcbpShaped('M1THIS IS NOT A BOARDING PASS AT ALL, REALLY NOT, NOT EVEN CLOSE TO IT')).toBe(false);
    expect(isBcbpShaped('')).toBe(false);
    expect(isBcbpShaped('SMITH/ANNA')).toBe(false);
  });
});
