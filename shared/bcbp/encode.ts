/**
 * The IATA BCBP (Resolution 792, version 6) string of a Backstop boarding pass, encoded with the
 * `bcbp` package: every mandatory item plus the conditional items Backstop knows (passenger
 * description, check-in and issuance source, issuance date with its year digit, document type,
 * issuer, e-ticket airline code and serial number, selectee indicator, document verification,
 * marketing carrier).
 */
import { encode, type BarcodedBoardingPass } from 'bcbp';
import type { Flight, Passenger } from '../domain/schemas';
import {
  INFANT_SEAT,
  bcbpFlightNumber,
  bcbpName,
  bcbpPassengerDescription,
  bcbpPassengerStatus,
  bcbpSeat,
  bcbpSequence,
  utcMidnight,
} from './fields';

/** Check-in and issuance source "O": issued by an airport agent. */
const AIRPORT_AGENT = 'O';

export interface BcbpSource {
  flight: Flight;
  passenger: Passenger;
  /** Station-local date the pass is issued ("YYYY-MM-DD"); it gives the barcode its year digit. */
  issuedOn: string;
}

/** The structured content of the barcode (what `bcbp` encodes and decodes). */
export function bcbpContent({ flight, passenger: p, issuedOn }: BcbpSource): BarcodedBoardingPass {
  const seat = p.paxType === 'INF' ? INFANT_SEAT : p.seat === null ? undefined : bcbpSeat(p.seat);
  return {
    data: {
      passengerName: bcbpName(p),
      passengerDescription: bcbpPassengerDescription(p),
      checkInSource: AIRPORT_AGENT,
      boardingPassIssuanceSource: AIRPORT_AGENT,
      issuanceDate: utcMidnight(issuedOn),
      documentType: 'B',
      boardingPassIssuerDesignator: flight.carrier,
      legs: [
        {
          operatingCarrierPNR: p.pnr,
          departureAirport: flight.origin,
          arrivalAirport: flight.destination,
          operatingCarrierDesignator: flight.carrier,
          flightNumber: bcbpFlightNumber(flight.number),
          flightDate: utcMidnight(flight.date),
          // Airlines print the booking class (RBD) here; it also tells the cabin to fast-track lanes.
          compartmentCode: p.bookingClass,
          seatNumber: seat,
          checkInSequenceNumber: p.seqNo === null ? undefined : bcbpSequence(p.seqNo),
          passengerStatus: bcbpPassengerStatus(p),
          airlineNumericCode: p.eticket.slice(0, 3),
          serialNumber: p.eticket.slice(3),
          selecteeIndicator: p.vetting === 'selectee' ? '1' : '0',
          // 2 = documents verified; left blank when they were not (we do not know if they are required).
          internationalDocumentationVerification: p.docsChecked ? '2' : undefined,
          marketingCarrierDesignator: flight.carrier,
        },
      ],
    },
    meta: { formatCode: 'M', numberOfLegs: 1, electronicTicketIndicator: 'E' },
  };
}

/** The BCBP string for one passenger's boarding pass. */
export function encodeBoardingPass(source: BcbpSource): string {
  return encode(bcbpContent(source));
}
