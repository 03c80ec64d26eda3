/**
 * The drill report a station prints when a supervisor ends an outage drill: how long it took from
 * the "outage" to the first boarding pass in a passenger's hand, how many passengers each desk
 * processed per minute, and what went wrong (refused actions, failed prints). The numbers come from
 * the drill's sandbox (renderer/features/drill); this template only lays them out. Marked DRILL like
 * everything printed during one.
 */
import { html } from './html';
import { documentShell, SHEET_CSS, sheetHeader, stationTime } from './layout';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface DrillDeskFigures {
  /** The workstation's name. */
  desk: string;
  checkIns: number;
  boardings: number;
  /** Passengers processed (checked in or boarded) per minute of the drill at this desk. */
  perMinute: number;
}

export interface DrillAgentFigures {
  staffId: string;
  name: string;
  checkIns: number;
  boardings: number;
}

export interface DrillProblem {
  /** In words: "Refused: seat taken", "Print failed". */
  what: string;
  count: number;
}

export interface DrillReportData {
  station: string;
  startedAt: string;
  endedAt: string;
  startedBy: { id: string; name: string };
  endedBy: { id: string; name: string };
  /** When the first boarding pass of the drill was printed, or null when none was. */
  firstPassAt: string | null;
  /** Different passengers checked in or boarded. */
  passengers: number;
  checkIns: number;
  boardings: number;
  passesPrinted: number;
  desks: DrillDeskFigures[];
  agents: DrillAgentFigures[];
  problems: DrillProblem[];
}

export interface DrillReportInput {
  report: DrillReportData;
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

/** "3 min 05 s", "1 h 02 min", "45 s". */
export function durationWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const DRILL_REPORT_CSS = `
.headline { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 2mm 0 4mm; }
.headline div { border: 0.5mm solid #000; padding: 2mm 3mm; }
.headline b { display: block; font-size: 16pt; margin-top: 1mm; }
`;

export function drillReport(input: DrillReportInput): PrintDocument {
  const r = input.report;
  const pv = { ...input.provenance, drill: true };
  const tz = pv.timeZone;
  const minutes = Math.max(1, (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 60_000);
  const firstPass = r.firstPassAt === null ? 'no pass printed' : durationWords(Date.parse(r.firstPassAt) - Date.parse(r.startedAt));
  const scope = `${r.station} · ${stationTime(r.startedAt, tz)} – ${stationTime(r.endedAt, tz)} (${durationWords(Date.parse(r.endedAt) - Date.parse(r.startedAt))})`;
  const body = html`${sheetHeader('Drill report', scope, pv)}
<div class="kv"><span>Started by</span><b>${r.startedBy.name} (${r.startedBy.id})</b><span>Ended by</span><b>${r.endedBy.name} (${r.endedBy.id})</b></div>
<div class="headline">
  <div>From "outage" to the first printed pass<b data-figure="first-pass">${firstPass}</b></div>
  <div>Passengers processed<b data-figure="passengers">${r.passengers}</b>${r.checkIns} check-ins, ${r.boardings} boardings, ${r.passesPrinted} passes</div>
  <div>Per minute, all desks<b data-figure="per-minute">${((r.checkIns + r.boardings) / minutes).toFixed(1)}</b>over ${durationWords(Date.parse(r.endedAt) - Date.parse(r.startedAt))}</div>
</div>
<h2>Desks</h2>
${
  r.desks.length === 0
    ? html`<p class="empty">No desk processed a passenger.</p>`
    : html`<table class="grid" aria-label="Passengers processed per desk"><thead><tr><th>Desk</th><th class="num">Check-ins</th><th class="num">Boardings</th><th class="num">Per minute</th></tr></thead><tbody>
${r.desks.map((d) => html`<tr><td class="mono">${d.desk}</td><td class="num">${d.checkIns}</td><td class="num">${d.boardings}</td><td class="num">${d.perMinute.toFixed(1)}</td></tr>`)}
</tbody></table>`
}
<h2>Agents</h2>
${
  r.agents.length === 0
    ? html`<p class="empty">No agent processed a passenger.</p>`
    : html`<table class="grid" aria-label="Passengers processed per agent"><thead><tr><th>Agent</th><th class="num">Check-ins</th><th class="num">Boardings</th></tr></thead><tbody>
${r.agents.map((a) => html`<tr><td>${a.name} <span class="mono">(${a.staffId})</span></td><td class="num">${a.checkIns}</td><td class="num">${a.boardings}</td></tr>`)}
</tbody></table>`
}
<h2>Errors</h2>
${
  r.problems.length === 0
    ? html`<p class="empty">None: no action was refused and every print went through.</p>`
    : html`<table class="grid" aria-label="Errors during the drill"><thead><tr><th>What</th><th class="num">Times</th></tr></thead><tbody>
${r.problems.map((p) => html`<tr><td>${p.what}</td><td class="num">${p.count}</td></tr>`)}
</tbody></table>`
}
<p class="muted">Nothing done during the drill was sent to the backend; its copy of the data was discarded when the drill ended.</p>`;
  return documentShell({
    kind: 'drill-report',
    title: `Drill report ${r.station}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + DRILL_REPORT_CSS,
    body,
  });
}
