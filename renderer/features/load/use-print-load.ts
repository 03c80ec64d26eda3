/**
 * Printing the bag, load and message documents (shared/documents): bag tags after check-in, the bag
 * manifest, the load figures sheet and the flight messages. Same path as every other printout
 * (printing/use-print.ts): provenance on the page, the host's print service, the local print index
 * and a `print.logged` action. Never rejects: whatever goes wrong comes back as feedback.
 */
import { useMemo } from 'react';
import type { PrintDocument, Provenance } from '../../../shared/documents/types';
import { templates, type Templates } from '../printing/templates';
import type { LoadFigures } from '../../../shared/domain/load';
import { displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger } from '../../../shared/domain/schemas';
import { domainFlight } from '../../db/flight-store';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import type { FeedbackState } from '../../ui/Feedback';
import { notPrinted, printAndRecord, printFlightDocument, provenance } from '../printing/use-print';

/** The fallback tags of a passenger's bags, one per bag, on the bag-tag printer. */
export function usePrintBagTags(): (flight: Flight, passenger: Passenger) => Promise<FeedbackState> {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(
    () => async (flight: Flight, p: Passenger) => {
      if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
      try {
        const { bagTags } = await templates();
        const doc = bagTags({
          flight: domainFlight(flight),
          passenger: p,
          provenance: await provenance(services.db, services, staff, flight),
        });
        if (!doc) return { kind: 'bad', title: strings.printing.notPrinted, message: strings.load.noTaggedBags(displayName(p)) };
        const n = p.bags.pieces?.length ?? 0;
        return await printAndRecord(services, staff, doc, { flightId: flight.id, passengerId: p.id }, false, (how) =>
          strings.checkin.tagsPrinted(n, how),
        );
      } catch (error) {
        return notPrinted(error);
      }
    },
    [services, staff],
  );
}

export interface LoadPrinter {
  bagManifest(flight: Flight, passengers: readonly Passenger[]): Promise<FeedbackState>;
  loadSheet(flight: Flight, figures: LoadFigures, ldm: string): Promise<FeedbackState>;
  message(flight: Flight, kind: 'PFS' | 'PTM' | 'LDM', text: string): Promise<FeedbackState>;
}

export function usePrintLoad(): LoadPrinter {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(() => {
    const run = (flight: Flight, build: (pv: Provenance, paper: 'A4' | 'Letter', t: Templates) => PrintDocument) =>
      printFlightDocument(services, staff, flight, build);
    return {
      bagManifest: (flight, passengers) =>
        run(flight, (pv, paper, { bagManifest }) => bagManifest({ flight: domainFlight(flight), passengers, provenance: pv, paper })),
      loadSheet: (flight, figures, ldm) =>
        run(flight, (pv, paper, { loadSheet }) => loadSheet({ flight: domainFlight(flight), figures, ldm, provenance: pv, paper })),
      message: (flight, kind, text) =>
        run(flight, (pv, paper, { flightMessage }) => flightMessage({ flight: domainFlight(flight), kind, text, provenance: pv, paper })),
    };
  }, [services, staff]);
}
