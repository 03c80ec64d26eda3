/**
 * The reconciliation report printed after an outage: each action done offline that the backend
 * rejected or found in conflict, so a supervisor can work through them on paper and tick them
 * off. The Recovery work decides which rows go in; this template only lays them out.
 */
import type { MutationType } from '../domain/mutations';
import { html } from './html';
import { documentShell, SHEET_CSS, sheetHeader, stationTime } from './layout';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface ReconciliationRow {
  /** When the action was done at the workstation (UTC ISO). */
  at: string;
  /** A mutation type ("passenger.board") or any other short action name. */
  action: string;
  /** "SMITH/ANNA MS", or null when the action concerned no passenger. */
  passenger: string | null;
  /** "BQ123 26NOV", or null. */
  flight: string | null;
  outcome: 'rejected' | 'conflict';
  code: string;
  message: string;
  staffId: string | null;
}

export interface ReconciliationInput {
  rows: readonly ReconciliationRow[];
  provenance: Provenance;
  /** What the report covers, e.g. "Outage 26 Nov 09:12–13:40 GMT". */
  scope: string;
  paper?: 'A4' | 'Letter';
}

const ACTION_NAMES: Readonly<Record<MutationType, string>> = {
  'passenger.checkIn': 'Check-in',
  'passenger.assignSeat': 'Seat change',
  'passenger.board': 'Boarding',
  'passenger.unboard': 'Un-boarding',
  'passenger.offload': 'Offload',
  'passenger.noShow': 'No-show',
  'passenger.standby': 'Standby',
  'passenger.clearStandby': 'Standby cleared',
  'flight.close': 'Flight close',
  'flight.reopen': 'Flight reopen',
  'passenger.resolve': 'Follow-up done',
  'print.logged': 'Print',
  'passenger.recordDocument': 'Travel document read',
  'flight.message': 'Flight message sent',
  'staff.signIn': 'Sign-in',
  'fallback.declared': 'Outage mode declared',
  'print.cancelled': 'Print cancelled',
};

export function actionName(action: string): string {
  return (ACTION_NAMES as Readonly<Record<string, string>>)[action] ?? action;
}

const RECON_CSS = `
table.recon td { font-size: 8pt; }
table.recon td.nw { white-space: nowrap; }
table.recon td.code { font-size: 7pt; }
table.recon td.msg { width: 36%; }
table.recon td.tick { width: 20mm; border-left: 0.3mm solid #000; }
.tally { font-size: 10.5pt; margin-bottom: 2mm; }
`;

export function reconciliationReport(input: ReconciliationInput): PrintDocument {
  const pv = input.provenance;
  const rows = [...input.rows].sort((a, b) => a.at.localeCompare(b.at));
  const rejected = rows.filter((r) => r.outcome === 'rejected').length;
  const conflicts = rows.length - rejected;
  const body = html`${sheetHeader('Reconciliation report', input.scope, pv)}
<p class="tally"><b>${rows.length}</b> offline ${rows.length === 1 ? 'action needs' : 'actions need'} attention: <b>${rejected}</b> rejected, <b>${conflicts}</b> in conflict with the departure control system. Check each one and initial it when resolved.</p>
${
  rows.length === 0
    ? html`<p class="empty">Nothing to reconcile: every offline action was accepted.</p>`
    : html`<table class="grid list recon" aria-label="Rejected and conflicting actions"><thead><tr><th>Time</th><th>Flight</th><th>Action</th><th>Passenger</th><th>Result</th><th>What happened</th><th>Agent</th><th>Resolved</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td class="nw">${stationTime(r.at, pv.timeZone)}</td><td class="nw">${r.flight ?? '—'}</td><td>${actionName(r.action)}</td><td class="nw"><b>${r.passenger ?? '—'}</b></td><td class="code"><b>${
      r.outcome === 'rejected' ? 'REJECTED' : 'CONFLICT'
    }</b><br><span class="mono">${r.code}</span></td><td class="msg">${r.message}</td><td class="mono">${r.staffId ?? ''}</td><td class="tick"></td></tr>`,
)}
</tbody></table>`
}`;
  return documentShell({
    kind: 'reconciliation',
    title: `Reconciliation report ${input.scope}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + RECON_CSS,
    body,
  });
}
