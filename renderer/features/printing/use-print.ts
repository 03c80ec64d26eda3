/**
 * Printing from the screens: build the document with the pure templates, send it to the host's
 * print service, keep the job in the local print index and log it as a `print.logged` action so
 * the backend's audit has it too. Every document carries data-as-of, workstation and agent; a
 * boarding pass issued again for the same passenger says REPRINT n and is logged as a reprint.
 * Nothing here rejects: whatever goes wrong comes back as feedback for the screen to show.
 */
import { staffActions } from '../actions';
import { useMemo } from 'react';
import type { ReconciliationRow } from '../../../shared/documents';
import { targetLabel, type PrintJobInfo, type PrintOutcome, type PrintTarget } from '../../../shared/documents/print-job';
import type { PrintDocument, Provenance } from '../../../shared/documents/types';
import { canPrintBoardingPass, displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../../../shared/domain/schemas';
import type { BackstopDB } from '../../db/schema';
import { useServices, type Services } from '../../services';
import { useSession, type SignedIn } from '../../state/session';
import { readSyncString, SYNC_KEYS } from '../../db/sync-state';
import { strings } from '../../strings';
import type { FeedbackState } from '../../ui/Feedback';
import { domainFlight } from '../../db/flight-store';
import { loadPrintSettings, targetFor } from './print-settings';
import { templates, type Templates } from './templates';

/** What every document says about its origin: data as of, station time zone, workstation, agent (and DRILL in a drill). */
export async function provenance(db: BackstopDB, services: Services, staff: SignedIn, flight: Flight | null): Promise<Provenance> {
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
    ...(services.drill ? { drill: true } : {}),
  };
}

/** What became of a job in the agent's words: "sent to the print dialog", "downloaded", "printed on X". */
export function deliveryWords(job: Pick<PrintJobInfo, 'status' | 'target'>): string {
  const w = strings.printing.delivery;
  switch (job.status) {
    case 'printed':
      return job.target.kind === 'dialog' ? w.dialog : w.printed(targetLabel(job.target));
    case 'saved':
      return job.target.kind === 'download' ? w.download : w.pdf;
    case 'queued':
      return w.queued(targetLabel(job.target));
    case 'failed':
      return w.failed;
    case 'cancelled':
      return w.cancelled;
  }
}

/** What the agent should still do after a job the host could not see through to paper. */
function followUp(job: Pick<PrintJobInfo, 'status' | 'target'>): string {
  if (job.target.kind === 'dialog') return strings.printing.dialogCheck;
  if (job.target.kind === 'download') return strings.printing.downloadCheck;
  return '';
}

function problem(title: string, error: unknown): FeedbackState {
  return { kind: 'bad', title, message: error instanceof Error ? error.message : String(error) };
}

/** A print that failed, as the agent is told it (the document was not printed, and why). */
export function notPrinted(error: unknown): FeedbackState {
  return problem(strings.printing.notPrinted, error);
}

/** A flight document on the sheet printer, in the paper size set for it, recorded like every print. */
export async function printFlightDocument(
  services: Services,
  staff: SignedIn | null,
  flight: Flight,
  build: (prov: Provenance, sheet: 'A4' | 'Letter', t: Templates) => PrintDocument,
): Promise<FeedbackState> {
  if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
  try {
    const settings = await loadPrintSettings(services.db);
    const doc = build(await provenance(services.db, services, staff, flight), settings.sheet, await templates());
    return await printAndRecord(services, staff, doc, { flightId: flight.id, passengerId: null });
  } catch (error) {
    return notPrinted(error);
  }
}

/** Who and what a print is for; a boarding pass also says the seat and sequence number printed on it. */
export interface PrintFor {
  flightId: string | null;
  passengerId: string | null;
  pass?: { seat: string | null; seqNo: number | null };
}

/** Keeps a job in the local print index and sends it to the backend's audit as `print.logged`. */
async function record(services: Services, staff: SignedIn, job: PrintJobInfo, context: PrintFor, reprint: boolean): Promise<void> {
  const { db } = services;
  await db.prints.put({
    id: job.id,
    at: job.createdAt,
    document: job.kind,
    flightId: context.flightId,
    passengerId: context.passengerId,
    staffId: staff.id,
    destination: targetLabel(job.target),
    status: job.status === 'cancelled' ? 'failed' : job.status,
    error: job.lastError?.message ?? null,
    archiveRef: job.archiveRef,
    attempts: job.attempts,
  });
  // Through the one entry point for staff actions (which also nudges the sync worker).
  await staffActions(services, staff).perform({
    type: 'print.logged',
    args: {
      printJobId: job.id,
      document: job.kind,
      flightId: context.flightId,
      passengerId: context.passengerId,
      copies: job.copies,
      destination: targetLabel(job.target).slice(0, 120),
      reprint: reprint || job.reprintOf !== null,
      ...(context.pass ? { seat: context.pass.seat, seqNo: context.pass.seqNo } : {}),
    },
  });
}

/** The outcome of a print as feedback, after recording whatever job it made. Never rejects. */
async function recordAndTell(
  services: Services,
  staff: SignedIn,
  outcome: PrintOutcome,
  say: (how: string) => string,
  context: PrintFor,
  reprint: boolean,
): Promise<FeedbackState> {
  const job = outcome.job;
  if (job) {
    try {
      await record(services, staff, job, context, reprint);
    } catch (error) {
      return problem(strings.printing.notLogged, error);
    }
  }
  if (outcome.ok) return { kind: 'ok', title: say(deliveryWords(outcome.job)), message: followUp(outcome.job) };
  return { kind: 'bad', title: outcome.job ? strings.printing.queued : strings.printing.notPrinted, message: outcome.message };
}

/** Sends a document to its printer and records it; returns what to tell the agent. Never rejects. */
export async function printAndRecord(
  services: Services,
  staff: SignedIn,
  doc: PrintDocument,
  context: PrintFor,
  reprint = false,
  say: (how: string) => string = (how) => strings.printing.delivered(doc.title, how),
  /** A printer chosen for this print (a test page); else the one set for the document's kind. */
  chosen?: PrintTarget,
): Promise<FeedbackState> {
  let outcome: PrintOutcome;
  try {
    const settings = await loadPrintSettings(services.db);
    const target = chosen ?? (await targetFor(services.host, settings, doc.kind));
    outcome = await services.host.print(doc, target, {
      context: { flightId: context.flightId, passengerId: context.passengerId, staffId: staff.id },
    });
  } catch (error) {
    return problem(strings.printing.notPrinted, error);
  }
  return recordAndTell(services, staff, outcome, say, context, reprint);
}

/**
 * How many boarding passes this workstation already issued to the passenger (printed, saved or
 * waiting for a printer; not failed ones): 0 for the first pass, so the next is REPRINT n.
 */
export async function passesIssued(db: BackstopDB, flightId: string, passengerId: string): Promise<number> {
  return db.prints
    .where('flightId')
    .equals(flightId)
    .filter((r) => r.passengerId === passengerId && r.document === 'boarding-pass' && r.status !== 'failed')
    .count();
}

export function usePrintBoardingPass(): (flight: Flight, passenger: Passenger) => Promise<FeedbackState> {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(
    () => async (flight: Flight, p: Passenger) => {
      if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
      const refusal = canPrintBoardingPass(p);
      if (refusal) return { kind: 'bad', title: strings.printing.noPass, message: refusal.message };
      let doc: PrintDocument;
      let reprint: number;
      try {
        const manifest = await services.db.manifests.get(flight.id);
        const companionId = p.infantId ?? p.infantOf;
        const companion = companionId ? (manifest?.passengers.find((x) => x.id === companionId) ?? null) : null;
        const settings = await loadPrintSettings(services.db);
        reprint = await passesIssued(services.db, flight.id, p.id);
        const { boardingPass } = await templates();
        const built = boardingPass({
          flight: domainFlight(flight),
          passenger: p,
          companion,
          provenance: { ...(await provenance(services.db, services, staff, flight)), ...(reprint > 0 ? { reprint } : {}) },
          layout: settings.boardingPassLayout,
        });
        if (!built.ok) return { kind: 'bad', title: strings.printing.noPass, message: built.message };
        doc = built.value;
      } catch (error) {
        return problem(strings.printing.notPrinted, error);
      }
      const pass = { seat: p.paxType === 'INF' ? null : p.seat, seqNo: p.seqNo };
      return printAndRecord(services, staff, doc, { flightId: flight.id, passengerId: p.id, pass }, reprint > 0, (how) =>
        strings.printing.passDelivered(displayName(p), how, reprint),
      );
    },
    [services, staff],
  );
}

/**
 * "Reprint" from the job list. A boarding pass whose passenger is still in the local copy is issued
 * again, marked REPRINT n; any other document prints again from the host's archive as it was.
 * Either way the job is logged as a reprint.
 */
export function useReprint(): (job: PrintJobInfo) => Promise<FeedbackState> {
  const services = useServices();
  const staff = useSession((s) => s.staff);
  const printPass = usePrintBoardingPass();
  return useMemo(
    () => async (job: PrintJobInfo) => {
      if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
      const { flightId, passengerId } = job.context;
      try {
        if (job.kind === 'boarding-pass' && flightId && passengerId) {
          const [flight, manifest] = await Promise.all([services.db.flights.get(flightId), services.db.manifests.get(flightId)]);
          const p = manifest?.passengers.find((x) => x.id === passengerId);
          if (flight && p) return await printPass(flight, p);
        }
        const outcome = await services.host.reprint(job.id, { staffId: staff.id });
        const say = (how: string) => strings.printing.delivered(job.title, how);
        return await recordAndTell(services, staff, outcome, say, { flightId, passengerId }, true);
      } catch (error) {
        return problem(strings.printing.notPrinted, error);
      }
    },
    [services, staff, printPass],
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
    const run = (flight: Flight, build: (prov: Provenance, sheet: 'A4' | 'Letter', t: Templates) => PrintDocument) =>
      printFlightDocument(services, staff, flight, build);
    return {
      reconciliation: async (rows, scope) => {
        if (!staff) return { kind: 'bad', title: strings.printing.notSignedIn, message: '' };
        try {
          const settings = await loadPrintSettings(services.db);
          const { reconciliationReport } = await templates();
          const doc = reconciliationReport({
            rows,
            scope,
            paper: settings.sheet,
            provenance: await provenance(services.db, services, staff, null),
          });
          return await printAndRecord(services, staff, doc, { flightId: null, passengerId: null });
        } catch (error) {
          return problem(strings.printing.notPrinted, error);
        }
      },
      manifest: (flight, passengers, seatMap, variant) =>
        run(flight, (provenance, paper, { passengerManifest }) =>
          passengerManifest({ flight: domainFlight(flight), passengers, provenance, paper, variant, ...(seatMap ? { seatMap } : {}) }),
        ),
      ssr: (flight, passengers) =>
        run(flight, (provenance, paper, { ssrList }) => ssrList({ flight: domainFlight(flight), passengers, provenance, paper })),
      closeout: (flight, passengers, seatMap) =>
        run(flight, (provenance, paper, { closeoutReport }) =>
          closeoutReport({ flight: domainFlight(flight), passengers, provenance, paper, ...(seatMap ? { seatMap } : {}) }),
        ),
    };
  }, [services, staff]);
}
