/**
 * Whether a drill is running at this workstation, and the last drill's report. UI state: a drill
 * lives as long as the page (a reload discards its sandbox, see DrillScope). Its writers live here.
 *
 * Start: a supervisor copies the live database into a sandbox and the app switches to it (DrillScope),
 * with no sync worker. End: the figures are read from the sandbox, the sandbox is deleted, and the app
 * is back on the live database. Both are audited in the live audit log; nothing is sent.
 */
import { create } from 'zustand';
import type { Clock } from '../../../shared/clock';
import type { DrillReportData } from '../../../shared/documents/drill-report';
import { recordEvent } from '../../db/write-path';
import type { BackstopDB } from '../../db/schema';
import { SYNC_KEYS } from '../../db/sync-state';
import type { SignedIn } from '../../state/session';
import { drillStrings } from './drill-strings';
import { drillFigures, type DrillRun } from './report';
import { copyToSandbox, deleteSandbox, SANDBOX_PREFIX } from './sandbox';

export interface ActiveDrill extends DrillRun {
  id: string;
  sandbox: BackstopDB;
  /** The live database and clock, to end the drill from inside it. */
  live: Live;
}

export interface DrillStore {
  active: ActiveDrill | null;
  /** Starting or ending (copying or discarding the sandbox). */
  busy: boolean;
  lastReport: DrillReportData | null;
  problem: string | null;
}

export const useDrill = create<DrillStore>(() => ({ active: null, busy: false, lastReport: null, problem: null }));

export interface Live {
  db: BackstopDB;
  clock: Clock;
  info: { station: string; workstation: string };
}

export async function startDrill(live: Live, staff: SignedIn): Promise<void> {
  const state = useDrill.getState();
  if (state.active || state.busy) return;
  if (staff.role !== 'supervisor') return useDrill.setState({ problem: drillStrings.supervisorOnly });
  useDrill.setState({ busy: true, problem: null, lastReport: null });
  try {
    const id = crypto.randomUUID().slice(0, 8);
    const sandbox = await copyToSandbox(live.db, `${SANDBOX_PREFIX}${id}`);
    const next = (await sandbox.syncState.get(SYNC_KEYS.nextSeq))?.value;
    const startedAt = live.clock().toISOString();
    await recordEvent(live.db, staff.id, 'drill.start', drillStrings.audit.start(sandbox.name), live.clock);
    useDrill.setState({
      busy: false,
      active: {
        id,
        sandbox,
        live: { db: live.db, clock: live.clock, info: { station: live.info.station, workstation: live.info.workstation } },
        startedAt,
        startedBy: { id: staff.id, name: staff.name },
        firstSeq: typeof next === 'number' ? next : 1,
        refusals: {},
      },
    });
  } catch (error) {
    useDrill.setState({ busy: false, problem: error instanceof Error ? error.message : String(error) });
  }
}

/** A refusal at this desk during the drill: it goes into the drill report's errors. */
export function drillRefusal(code: string): void {
  const active = useDrill.getState().active;
  if (!active) return;
  useDrill.setState({ active: { ...active, refusals: { ...active.refusals, [code]: (active.refusals[code] ?? 0) + 1 } } });
}

export async function endDrill(staff: SignedIn): Promise<void> {
  const { active, busy } = useDrill.getState();
  if (!active || busy) return;
  const live = active.live;
  if (staff.role !== 'supervisor') return useDrill.setState({ problem: drillStrings.supervisorOnly });
  useDrill.setState({ busy: true, problem: null });
  try {
    const report = await drillFigures(
      active.sandbox,
      active,
      { at: live.clock().toISOString(), by: { id: staff.id, name: staff.name } },
      { station: live.info.station, workstation: live.info.workstation },
    );
    // Back to the live database first, then the copy goes.
    useDrill.setState({ active: null, lastReport: report });
    active.sandbox.close();
    await deleteSandbox(active.sandbox.name);
    const summary = `${report.passengers} passengers, ${report.checkIns} check-ins, ${report.boardings} boardings`;
    await recordEvent(live.db, staff.id, 'drill.end', drillStrings.audit.end(summary), live.clock);
    useDrill.setState({ busy: false });
  } catch (error) {
    useDrill.setState({ busy: false, problem: error instanceof Error ? error.message : String(error) });
  }
}
