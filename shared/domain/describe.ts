/** One-line, plain-words descriptions of staff actions, for the audit log and the reconciliation screen. */
import type { Mutation, MutationArgs } from './mutations';
import { displayName } from './rules';
import type { Passenger, TravelDocument } from './schemas';

const DOCUMENT_WORDS: Record<MutationArgs<'print.logged'>['document'], string> = {
  'boarding-pass': 'boarding pass',
  manifest: 'manifest',
  'ssr-list': 'SSR list',
  closeout: 'close-out report',
  reconciliation: 'reconciliation report',
  'test-page': 'test page',
  'drill-report': 'drill report',
  'bag-tag': 'bag tag',
  'bag-manifest': 'bag manifest',
  'load-sheet': 'load figures sheet',
  'flight-message': 'flight message',
};

/** What a person did about a reconciliation flag, in words. */
export const FLAG_DONE: Record<MutationArgs<'passenger.resolve'>['flag'], string> = {
  VOID_PASS: 'Collected the void boarding pass',
  NO_CHECK_IN_RECORD: 'Confirmed the acceptance of a passenger boarded without a check-in record',
  VETTING_REVIEW: 'Supervisor reviewed the vetting',
  REPRINT: 'Confirmed the boarding pass',
  SEQ_REISSUE: 'Confirmed the sequence number',
};

export function describeMutation(m: Mutation, pax: Passenger | undefined, flightLabel: string): string {
  const who = pax ? displayName(pax) : 'passenger';
  switch (m.type) {
    case 'passenger.checkIn':
      return `${m.args.handwritten ? 'Entered the handwritten pass of' : 'Checked in'} ${who} on ${flightLabel}: ${m.args.standby ? 'standby' : `seat ${m.args.seat ?? '—'}`}, seq ${m.args.seqNo}, ${m.args.bags.count} bag(s) ${m.args.bags.weightKg} kg${
        m.args.bags.pieces?.length ? ` (tags ${m.args.bags.pieces.map((b) => b.tag).join(' ')})` : ''
      }${m.args.document ? `, ${documentWords(m.args.document)}` : ''}${
        m.args.vettingOverride ? `; vetting pending, accepted by supervisor: ${m.args.vettingOverride}` : ''
      }`;
    case 'passenger.assignSeat':
      return `Moved ${who} on ${flightLabel} to seat ${m.args.seat}`;
    case 'passenger.board':
      return `Boarded ${who} on ${flightLabel} (${m.args.via === 'scan' ? 'scanned' : 'by hand'})`;
    case 'passenger.unboard':
      return `Un-boarded ${who} on ${flightLabel}: ${m.args.reason}`;
    case 'passenger.offload':
      return `Offloaded ${who} from ${flightLabel}: ${m.args.reason}`;
    case 'passenger.noShow':
      return `Marked ${who} no-show on ${flightLabel}`;
    case 'passenger.standby':
      return `Moved ${who} to standby on ${flightLabel}`;
    case 'passenger.clearStandby':
      return `Cleared standby ${who} on ${flightLabel} to seat ${m.args.seat}`;
    case 'flight.close':
      return `Closed ${flightLabel}${m.args.notBoardedReason ? ` leaving accepted passengers behind: ${m.args.notBoardedReason}` : ''}${
        m.args.apisReason ? `${m.args.notBoardedReason ? ';' : ''} without APIS for every boarded passenger: ${m.args.apisReason}` : ''
      }`;
    case 'passenger.recordDocument':
      return `Read the travel document of ${who} on ${flightLabel}: ${documentWords(m.args.document)}`;
    case 'flight.message':
      return `Sent the ${m.args.kind} of ${flightLabel} to ${m.args.to}`;
    case 'flight.reopen':
      return `Reopened ${flightLabel}: ${m.args.reason}`;
    case 'passenger.resolve':
      return `${FLAG_DONE[m.args.flag]} for ${who} on ${flightLabel}${m.args.note ? `: ${m.args.note}` : ''}`;
    case 'print.logged':
      return `Printed ${DOCUMENT_WORDS[m.args.document]}${m.args.reprint ? ' (reprint)' : ''}${pax ? ` for ${who}` : ''} on ${m.args.destination}`;
    case 'staff.signIn':
      return `${m.staffId} signed in (${m.args.method === 'online' ? 'PIN checked by the backend' : 'offline, PIN checked at this workstation'})`;
    case 'fallback.declared':
      return m.args.on ? 'Declared outage mode at this workstation' : 'Ended the declared outage mode at this workstation';
    case 'print.cancelled':
      return `Cancelled a queued print (${m.args.document})${pax ? ` for ${who}` : ''}`;
  }
}

/** "passport GBR 123456789 (typed MRZ, name differs from booking)": no birth date, it is personal data. */
function documentWords(d: TravelDocument): string {
  const how = d.source === 'reader' ? 'document reader' : d.source === 'typed' ? 'typed MRZ' : 'DCS';
  return `${d.type === 'P' ? 'passport' : 'identity card'} ${d.nationality} ${d.number} (${how}${d.nameMismatch ? ', name differs from booking' : ''})`;
}

export function passengerIdOf(m: Mutation): string | null {
  return 'passengerId' in m.args ? m.args.passengerId : null;
}
