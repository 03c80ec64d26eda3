/**
 * The drill's figures, read from its sandbox when it ends: what was done since the drill started
 * (the sandbox's outbox keeps every action, since nothing is ever sent from it), the first boarding
 * pass that went to a printer, and what went wrong.
 */
import type { DrillReportData, DrillProblem } from '../../../shared/documents/drill-report';
import type { BackstopDB } from '../../db/schema';
import { ruleTitles } from '../../strings';
import { drillStrings } from './drill-strings';

export interface DrillRun {
  startedAt: string;
  startedBy: { id: string; name: string };
  /** The sandbox's first client sequence number: actions from it on were done during the drill. */
  firstSeq: number;
  /** Refusals at this desk during the drill, by code. */
  refusals: Record<string, number>;
}

export async function drillFigures(
  sandbox: BackstopDB,
  run: DrillRun,
  end: { at: string; by: { id: string; name: string } },
  where: { station: string; workstation: string },
): Promise<DrillReportData> {
  const actions = await sandbox.outbox.where('seq').aboveOrEqual(run.firstSeq).toArray();
  const checkIns = actions.filter((a) => a.type === 'passenger.checkIn');
  const boardings = actions.filter((a) => a.type === 'passenger.board');
  const passengers = new Set([...checkIns, ...boardings].map((a) => (a.args as { passengerId: string }).passengerId));
  const printLogs = actions.filter((a) => a.type === 'print.logged').map((a) => ({ at: a.at, args: a.args }));
  const jobs = await sandbox.prints.bulkGet(printLogs.map((p) => p.args.printJobId));
  const passes = printLogs.filter((p, i) => p.args.document === 'boarding-pass' && jobs[i]?.status !== 'failed');
  const failedPrints = printLogs.filter((_p, i) => jobs[i]?.status === 'failed').length;
  const firstPassAt = passes.map((p) => p.at).sort()[0] ?? null;
  const minutes = Math.max(1, (Date.parse(end.at) - Date.parse(run.startedAt)) / 60_000);

  const byAgent = new Map<string, { checkIns: number; boardings: number }>();
  for (const a of [...checkIns, ...boardings]) {
    const row = byAgent.get(a.staffId) ?? { checkIns: 0, boardings: 0 };
    if (a.type === 'passenger.checkIn') row.checkIns += 1;
    else row.boardings += 1;
    byAgent.set(a.staffId, row);
  }
  const ids = [...byAgent.keys()].sort();
  const staff = await sandbox.staff.bulkGet(ids);
  const problems: DrillProblem[] = Object.entries(run.refusals)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, count]) => ({ what: drillStrings.refused(ruleTitles[code as keyof typeof ruleTitles] ?? code), count }));
  if (failedPrints > 0) problems.push({ what: drillStrings.printFailed, count: failedPrints });

  return {
    station: where.station,
    startedAt: run.startedAt,
    endedAt: end.at,
    startedBy: run.startedBy,
    endedBy: end.by,
    firstPassAt,
    passengers: passengers.size,
    checkIns: checkIns.length,
    boardings: boardings.length,
    passesPrinted: passes.length,
    desks:
      checkIns.length + boardings.length === 0
        ? []
        : [
            {
              desk: where.workstation,
              checkIns: checkIns.length,
              boardings: boardings.length,
              perMinute: (checkIns.length + boardings.length) / minutes,
            },
          ],
    agents: ids.map((id, i) => ({ staffId: id, name: staff[i]?.name ?? id, ...byAgent.get(id)! })),
    problems,
  };
}
