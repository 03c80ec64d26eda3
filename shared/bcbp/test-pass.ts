/**
 * A boarding-pass barcode that is valid BCBP but can never match a real passenger: printed on the
 * printer test page so the gate can check its scanner too. YY is IATA's "no airline" designator and
 * ZZZ its "no airport" code.
 */
import { encode } from 'bcbp';
import { utcMidnight } from './fields';
import type { ScannedBoardingPass } from './scan';

export const TEST_PASS = { name: 'TEST/SCANNER', pnr: 'TEST00', carrier: 'YY', from: 'ZZZ', to: 'ZZZ', flightNumber: '0' } as const;

export function scannerTestPass(issuedOn: string): string {
  const date = utcMidnight(issuedOn);
  return encode({
    data: {
      passengerName: TEST_PASS.name,
      issuanceDate: date,
      documentType: 'B',
      legs: [
        {
          operatingCarrierPNR: TEST_PASS.pnr,
          departureAirport: TEST_PASS.from,
          arrivalAirport: TEST_PASS.to,
          operatingCarrierDesignator: TEST_PASS.carrier,
          flightNumber: '0000',
          flightDate: date,
          compartmentCode: 'Y',
          seatNumber: '001A',
          checkInSequenceNumber: '0001',
          passengerStatus: '1',
        },
      ],
    },
  });
}

/** True for the test page's barcode: the gate shows "scanner works" instead of "not found". */
export function isScannerTestPass(scan: ScannedBoardingPass): boolean {
  const leg = scan.legs[0];
  return scan.name === TEST_PASS.name && leg?.pnr === TEST_PASS.pnr && leg.carrier === TEST_PASS.carrier;
}
