/**
 * Printers for each document, the boarding-pass stock, a test page, and the print jobs of this
 * workstation (queued ones retry by themselves; any can be reprinted from the archive).
 */
import { useEffect, useState } from 'react';
import { PASS_PAPERS } from '../../../shared/documents/page';
import { templates, type Templates } from './templates';
import { targetLabel, type PrinterEntry, type PrintJobInfo, type PrintTarget } from '../../../shared/documents/print-job';
import type { DocumentKind } from '../../../shared/documents/types';
import { localDateTime } from '../../../shared/time';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { Feedback, type FeedbackState } from '../../ui/Feedback';
import { strings } from '../../strings';
import { useStationZone } from '../../ui/hooks';
import { DEFAULT_PRINT_SETTINGS, loadPrintSettings, savePrintSettings, type PrintSettings } from './print-settings';
import { staffActions } from '../actions';
import { deliveryWords, printAndRecord, useReprint } from './use-print';

const s = strings.printing;
const KINDS = ['boarding-pass', 'manifest', 'ssr-list', 'closeout', 'reconciliation'] as const satisfies readonly DocumentKind[];

const keyOf = (t: PrintTarget) => JSON.stringify(t);

export function PrinterSettings() {
  const services = useServices();
  const { db, host, info, clock } = services;
  const staff = useSession((s) => s.staff);
  const zone = useStationZone();
  const [printers, setPrinters] = useState<PrinterEntry[]>([]);
  const [jobs, setJobs] = useState<PrintJobInfo[]>([]);
  const [settings, setSettings] = useState<PrintSettings>(DEFAULT_PRINT_SETTINGS);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const [listProblem, setListProblem] = useState<FeedbackState>(null);
  const reprint = useReprint();

  const refresh = () => {
    void Promise.all([host.printers(), host.jobs()]).then(([p, j]) => {
      if (p.ok) setPrinters(p.value);
      if (j.ok) setJobs(j.value);
      const failed = !p.ok
        ? { title: s.printersUnavailable, message: p.message }
        : !j.ok
          ? { title: s.jobsUnavailable, message: j.message }
          : null;
      setListProblem(failed && { kind: 'bad', ...failed });
    });
  };
  useEffect(() => {
    void loadPrintSettings(db).then(setSettings);
    refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, host]);

  async function update(next: PrintSettings) {
    setSettings(next);
    await savePrintSettings(db, next);
  }

  async function testPage(target: PrintTarget, name: string) {
    if (!staff) return;
    let printerTestPage: Templates['printerTestPage'];
    try {
      ({ printerTestPage } = await templates());
    } catch (error) {
      setFeedback({ kind: 'bad', title: s.testFailed, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const doc = printerTestPage({
      paper: settings.sheet,
      printer: name,
      provenance: {
        dataAsOf: null,
        printedAt: clock().toISOString(),
        timeZone: zone,
        station: info.station,
        workstation: info.workstation,
        agent: { id: staff.id, name: staff.name },
      },
    });
    // Logged like any print (print.logged): a test page leaves an audit entry too.
    const outcome = await printAndRecord(
      services,
      staff,
      doc,
      { flightId: null, passengerId: null },
      false,
      (how) => `${s.testSent}: ${how}`,
      target,
    );
    setFeedback(outcome && (outcome.kind === 'ok' ? { ...outcome, message: name } : { ...outcome, title: s.testFailed }));
    refresh();
  }

  async function jobAction(job: PrintJobInfo, action: 'reprint' | 'retry' | 'cancel') {
    if (!staff) return;
    if (action === 'reprint') {
      setFeedback(await reprint(job));
      refresh();
      return;
    }
    const outcome = action === 'retry' ? await host.retryPrint(job.id) : await host.cancelPrint(job.id);
    // A cancelled print is an action of its own in the audit trail (who stopped which document).
    if (action === 'cancel' && outcome.ok) {
      await staffActions(services, staff).perform({
        type: 'print.cancelled',
        args: { printJobId: job.id, document: job.kind, flightId: job.context.flightId, passengerId: job.context.passengerId },
      });
    }
    const label = s[action];
    setFeedback(
      outcome.ok
        ? { kind: 'ok', title: s.actionDone(label), message: job.title }
        : { kind: 'bad', title: s.actionFailed(label), message: outcome.message },
    );
    refresh();
  }

  return (
    <section aria-labelledby="printers-title">
      <h2 id="printers-title">{s.title}</h2>
      <div className="settings-form">
        {KINDS.map((kind) => (
          <label key={kind} className="field">
            <span>{s.kinds[kind]}</span>
            <select
              value={settings.targets[kind] ? keyOf(settings.targets[kind]) : ''}
              onChange={(e) =>
                void update({
                  ...settings,
                  targets: { ...settings.targets, [kind]: e.target.value ? (JSON.parse(e.target.value) as PrintTarget) : undefined },
                })
              }
            >
              <option value="">{s.defaultPrinter}</option>
              {printers.map((p) => (
                <option key={keyOf(p.target)} value={keyOf(p.target)}>
                  {p.name} {p.status !== 'ready' ? `(${p.status})` : ''}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="field">
          <span>{s.passStock}</span>
          <select
            value={settings.boardingPassLayout}
            onChange={(e) => void update({ ...settings, boardingPassLayout: e.target.value as PrintSettings['boardingPassLayout'] })}
          >
            {PASS_PAPERS.map((p) => (
              <option key={p} value={p}>
                {s.stock[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{s.sheet}</span>
          <select value={settings.sheet} onChange={(e) => void update({ ...settings, sheet: e.target.value as 'A4' | 'Letter' })}>
            <option value="A4">{s.stock.A4}</option>
            <option value="Letter">{s.stock.Letter}</option>
          </select>
        </label>
      </div>
      <Feedback state={feedback} />
      <Feedback state={listProblem} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{s.columns.printer}</th>
            <th scope="col">{s.columns.status}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {printers.map((p) => (
            <tr key={keyOf(p.target)}>
              <td>
                <strong>{p.name}</strong> {p.isDefault && s.isDefault} <span className="hint">{p.description}</span>
              </td>
              <td>{p.status}</td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => void testPage(p.target, p.name)}>
                  {s.testPage}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{s.jobs}</h3>
      <table className="grid" data-testid="print-jobs">
        <tbody>
          {jobs.slice(0, 30).map((j) => (
            <tr key={j.id}>
              <td>{localDateTime(j.createdAt, zone)}</td>
              <td>{j.title}</td>
              <td>{targetLabel(j.target)}</td>
              <td>
                <strong>{deliveryWords(j).toUpperCase()}</strong> {j.lastError && <span className="hint">{j.lastError.message}</span>}
              </td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => void jobAction(j, 'reprint')}>
                  {s.reprint}
                </button>
                {j.status === 'queued' && (
                  <>
                    <button type="button" className="btn btn-small" onClick={() => void jobAction(j, 'retry')}>
                      {s.retry}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => void jobAction(j, 'cancel')}>
                      {s.cancel}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
