/** The supervisor's drill controls (in Settings): start, end, and the last drill's report to print. */
import { useState } from 'react';
import { durationWords } from '../../../shared/documents/drill-report';
import { localTime } from '../../../shared/time';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { Feedback, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { drillStrings as s } from './drill-strings';
import { endDrill, startDrill, useDrill } from './drill-store';
import { printDrillReport } from './print-report';

export function DrillPanel() {
  const services = useServices();
  const staff = useSession((st) => st.staff);
  const active = useDrill((st) => st.active);
  const busy = useDrill((st) => st.busy);
  const report = useDrill((st) => st.lastReport);
  const problem = useDrill((st) => st.problem);
  const zone = useStationZone();
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const supervisor = staff?.role === 'supervisor';

  return (
    <section aria-labelledby="drill-title" data-testid="drill-panel">
      <h2 id="drill-title">{s.title}</h2>
      {active ? (
        <p className="strong" data-testid="drill-running">
          {s.running(localTime(active.startedAt, zone), active.startedBy.name)}
        </p>
      ) : (
        <p>{s.intro}</p>
      )}
      {!supervisor && <p className="hint">{s.supervisorOnly}</p>}
      {active ? (
        <button
          type="button"
          className="btn btn-warn"
          disabled={!supervisor || busy}
          onClick={() => staff && void endDrill(staff)}
          data-testid="drill-end"
        >
          {busy ? s.ending : s.end}
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-warn"
          disabled={!supervisor || busy}
          onClick={() => {
            setFeedback(null);
            if (staff) void startDrill(services, staff);
          }}
          data-testid="drill-start"
        >
          {busy ? s.starting : s.start}
        </button>
      )}
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {report && !active && (
        <div data-testid="drill-report">
          <h3>{s.reportTitle}</h3>
          <div className="drill-figures">
            <div>
              {s.firstPass}
              <strong data-testid="drill-first-pass">
                {report.firstPassAt ? durationWords(Date.parse(report.firstPassAt) - Date.parse(report.startedAt)) : s.noPass}
              </strong>
            </div>
            <div>
              {s.processed}
              <strong data-testid="drill-passengers">{report.passengers}</strong>
            </div>
            <div>
              {s.perMinute}
              <strong>{(report.desks[0]?.perMinute ?? 0).toFixed(1)}</strong>
            </div>
            <div>
              {s.errors}
              <strong>{report.problems.reduce((n, p) => n + p.count, 0) || s.noErrors}</strong>
            </div>
          </div>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!staff}
            onClick={() => staff && void printDrillReport(services, staff, report).then(setFeedback)}
            data-testid="drill-print-report"
          >
            {s.print}
          </button>
        </div>
      )}
      <Feedback state={feedback} />
    </section>
  );
}
