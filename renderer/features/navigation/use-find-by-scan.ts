/**
 * Outside gate mode, scanning a boarding pass opens that passenger wherever they are at the
 * station, so an agent at a desk can scan instead of typing — whatever has focus, a search or
 * filter field included (the scanner leaves the field as it was).
 */
import { parseBoardingPassScan, legFrom } from '../../../shared/bcbp/scan';
import { localDate } from '../../../shared/time';
import { openFlight } from '../../state/navigation';
import { useServices } from '../../services';
import { useStationZone } from '../../ui/hooks';
import { useWedgeScanner } from '../boarding/use-wedge-scanner';
import { offerDocumentScan } from '../checkin/document-scans';

/** `onProblem` hears why a scan found no one, and null once a scan did (the old reason no longer applies). */
export function useFindByScan(enabled: boolean, onProblem: (message: string | null) => void): void {
  const { db, info, clock } = useServices();
  const zone = useStationZone();
  useWedgeScanner((text) => {
    // A line from a document reader goes to the travel-document field on screen, if there is one.
    if (offerDocumentScan(text)) return;
    void (async () => {
      const parsed = parseBoardingPassScan(text, { today: localDate(clock().toISOString(), zone) });
      if (!parsed.ok) return onProblem(parsed.message);
      const leg = legFrom(parsed.value, info.station) ?? parsed.value.legs[0];
      if (!leg) return onProblem('The pass holds no flight.');
      const flight = (await db.flights.where('origin').equals(info.station).toArray()).find(
        (f) => f.carrier === leg.carrier && f.number === leg.flightNumber && f.date === leg.flightDate,
      );
      if (!flight)
        return onProblem(`No flight ${leg.carrier}${leg.flightNumber} on ${leg.flightDate} from ${info.station} in the local copy.`);
      const manifest = await db.manifests.get(flight.id);
      const pax = manifest?.passengers.find((p) => (leg.seqNo !== null && p.seqNo === leg.seqNo) || p.pnr === leg.pnr);
      onProblem(null);
      openFlight(flight.id, 'manifest', pax?.id ?? null);
    })();
  }, enabled);
}
