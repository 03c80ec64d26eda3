/**
 * Printing from the screens: build the document with the pure templates, send it to the host's
 * print service, keep the job in the local print index and log it as a `print.logged` action so
 * the backend's audit has it too. Every document carries data-as-of, workstation and agent.
 */
import { useMemo } from 'react';
import {
  boardingPass,
  closeoutReport,
  passengerManifest,
  reconciliationReport,
  ssrList,
  type ReconciliationRow,
} from '../../../shared/documents';
import { targetLabel, type PrintOutcome } from '../../../shared/documents/print-job';
import type { PrintDocument, Provenance } from '../../../shared/documents/types';
import { canPrintBoardingPass, displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { perform } from '../../db/write-path';
import { useServices, type Services } from '../../services';
import { useSession, type SignedIn } from '../../state/session';
import { readSyncString, SYNC_KEYS } from '../../db/sync-state';
import { strings } from '../../strings';
import type { FeedbackState } from '../../ui/Feedback';
import { domainFlight } from '../../db/flight-store';
import { loadPrintSettings, targetFor } from './print-settings';

async function provenance(db: BackstopDB, services: Services, staff: SignedIn, flight: Flight | null): Promise<Provenance> {
  const [station, complete, local] = await Promise.all([
    db.stations.get(services.info.station),
    readSyncString(db, SYNC_KEYS.lastCompleteSyncAt),
    flight ? db.flights.get(flight.id) : undefined,
  ]);
  const asOf =
    [complete, local?.asOf ?? null]
      .filter((x): x is string => x !== null)
      .sort()
      .at(-1) ?? null;
  return {
    dataAsOf: asOf,
    printedAt: services.clock().toISOString(),
    timeZone: station?.timeZone ?? 'UTC',
    station: services.info.station,
    workstation: services.info.workstation,
    agent: { id: staff.id, name: staff.name },
  };
}

/** Sends a document to its printer and records it; returns what to tell the agent. */
export async function printAndRecord(
  services: Services,
  staff: SignedIn,
  doc: PrintDocument,
  context: { flightId: string | null; passengerId: string | null },
): Promise<FeedbackState> {
  const { db, host, sync, clock } = services;
  const settings = await loadPrintSettings(db);
  const target = await targetFor(host, settings, doc.kind);
  const outcome: PrintOutcome = await host.print(doc, target, { context: { ...context, staffId: staff.id } });
  const job = outcome.job;
  if (job) {
    await db.prints.put({
      id: job.id,
      at: job.createdAt,
      document: doc.kind,
      flightId: context.flightId,
      passengerId: context.passengerId,
      staffId: staff.id,
      destination: targetLabel(target),
      status: job.status === 'cancelled' ? 'failed' : job.status,
      error: job.lastError?.message ?? null,
      archiveRef: job.archiveRef,
      attempts: job.attempts,
    });
    const logged = await perform(
      db,
      { staffId: staff.id, role: staff.role },
      {
        type: 'print.logged',
        args: {
          printJobId: job.id,
          document: doc.kind,
          flightId: context.flightId,
          passengerId: context.passengerId,
          copies: job.copies,
          destination: targetLabel(target).slice(0, 120),
          reprint: job.reprintOf !== null,
        },
      },
      clock,
    );
    if (logged.ok) sync.localWrite();
  }
  if (outcome.ok) return { kind: 'ok', title: strings.printing.printed(doc.title), message: targetLabel(target) };
  return { kind: 'bad', title: outcome.job ? strings.printing.queued : strings.printing.notPrinted, message: outcome.message };
}

export function usePrintBoardingPass(): (flight: Flight, passenger: Passenger) => Promise<FeedbackState> {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(
    () => async (flight: Flight, p: Passenger) => {
      if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
      const refusal = canPrintBoardingPass(p);
      if (refusal) return { kind: 'bad', title: strings.printing.noPass, message: refusal.message };
      const manifest = await services.db.manifests.get(flight.id);
      const companionId = p.infantId ?? p.infantOf;
      const companion = companionId ? (manifest?.passengers.find((x) => x.id === companionId) ?? null) : null;
      const settings = await loadPrintSettings(services.db);
      const doc = boardingPass({
        flight: domainFlight(flight),
        passenger: p,
        companion,
        provenance: await provenance(services.db, services, staff, flight),
        layout: settings.boardingPassLayout,
      });
      if (!doc.ok) return { kind: 'bad', title: strings.printing.noPass, message: doc.message };
      const result = await printAndRecord(services, staff, doc.value, { flightId: flight.id, passengerId: p.id });
      return result?.kind === 'ok' ? { ...result, title: strings.printing.passPrinted(displayName(p)) } : result;
    },
    [services, staff],
  );
}

export interface DocumentPrinter {
  reconciliation(rows: readonly ReconciliationRow[], scope: string): Promise<FeedbackState>;
  manifest(flight: Flight, passengers: readonly Passenger[], seatMap: SeatMap | null, variant: 'manifest' | 'crew'): Promise<FeedbackState>;
  ssr(flight: Flight, passengers: readonly Passenger[]): Promise<FeedbackState>;
  closeout(flight: Flight, passengers: readonly Passenger[], seatMap: SeatMap | null): Promise<FeedbackState>;
}

export function usePrintDocument(): DocumentPrinter {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(() => {
    const run = async (flight: Flight, build: (prov: Provenance, sheet: 'A4' | 'Letter') => PrintDocument): Promise<FeedbackState> => {
      if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
      const settings = await loadPrintSettings(services.db);
      const doc = build(await provenance(services.db, services, staff, flight), settings.sheet);
      return printAndRecord(services, staff, doc, { flightId: flight.id, passengerId: null });
    };
    return {
      reconciliation: async (rows, scope) => {
        if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
        const settings = await loadPrintSettings(services.db);
        const doc = reconciliationReport({
          rows,
          scope,
          paper: settings.sheet,
          provenance: await provenance(services.db, services, staff, null),
        });
        return printAndRecord(services, staff, doc, { flightId: null, passengerId: null });
      },
      manifest: (flight, passengers, seatMap, variant) =>
        run(flight, (provenance, paper) =>
          passengerManifest({ flight: domainFlight(flight), passengers, provenance, paper, variant, ...(seatMap ? { seatMap } : {}) }),
        ),
      ssr: (flight, passengers) =>
        run(flight, (provenance, paper) => ssrList({ flight: domainFlight(flight), passengers, provenance, paper })),
      closeout: (flight, passengers, seatMap) =>
        run(flight, (provenance, paper) =>
          closeoutReport({ flight: domainFlight(flight), passengers, provenance, paper, ...(seatMap ? { seatMap } : {}) }),
        ),
    };
  }, [services, staff]);
}
