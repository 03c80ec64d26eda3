/**
 * Prints the drill report once the drill has ended, from the live database (the sandbox is gone):
 * straight to the printer, audited locally, never logged as a synced action — nothing about a drill
 * goes to the backend.
 */
import { drillReport, type DrillReportData } from '../../../shared/documents/drill-report';
import { recordEvent } from '../../db/write-path';
import { readSyncString, SYNC_KEYS } from '../../db/sync-state';
import type { Services } from '../../services';
import type { SignedIn } from '../../state/session';
import type { FeedbackState } from '../../ui/Feedback';
import { loadPrintSettings, targetFor } from '../printing/print-settings';
import { deliveryWords } from '../printing/use-print';
import { drillStrings } from './drill-strings';

export async function printDrillReport(services: Services, staff: SignedIn, report: DrillReportData): Promise<FeedbackState> {
  try {
    const [settings, station, asOf] = await Promise.all([
      loadPrintSettings(services.db),
      services.db.stations.get(services.info.station),
      readSyncString(services.db, SYNC_KEYS.lastCompleteSyncAt),
    ]);
    const doc = drillReport({
      report,
      paper: settings.sheet,
      provenance: {
        dataAsOf: asOf,
        printedAt: services.clock().toISOString(),
        timeZone: station?.timeZone ?? 'UTC',
        station: services.info.station,
        workstation: services.info.workstation,
        agent: { id: staff.id, name: staff.name },
        drill: true,
      },
    });
    const target = await targetFor(services.host, settings, doc.kind);
    const outcome = await services.host.print(doc, target, { context: { flightId: null, passengerId: null, staffId: staff.id } });
    await recordEvent(services.db, staff.id, 'drill.reportPrinted', drillStrings.audit.reportPrinted, services.clock);
    if (outcome.ok) return { kind: 'ok', title: drillStrings.printed(deliveryWords(outcome.job)), message: '' };
    return { kind: 'bad', title: drillStrings.notPrinted, message: outcome.message };
  } catch (error) {
    return { kind: 'bad', title: drillStrings.notPrinted, message: error instanceof Error ? error.message : String(error) };
  }
}
