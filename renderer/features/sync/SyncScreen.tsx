/**
 * What this workstation still has to send, and what the backend decided differently: refused and
 * conflicting actions stay listed until someone marks them handled.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { ReconciliationRow } from '../../../shared/documents';
import { describeMutation, passengerIdOf } from '../../../shared/domain/describe';
import { displayName, flightLabel } from '../../../shared/domain/rules';
import { localDateTime } from '../../../shared/time';
import { toMutation } from '../../db/flight-store';
import type { BackstopDB } from '../../db/schema';
import { useServices } from '../../services';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { Feedback, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { usePrintDocument } from '../printing/use-print';
import { AttentionList } from './AttentionList';

const s = strings.sync;

/** Flight labels and passengers of the flights some actions name, to describe them in words. */
async function namesFor(db: BackstopDB, flightIds: readonly (string | null)[]) {
  const ids = [...new Set(flightIds.filter((id): id is string => id !== null))];
  const [flights, manifests] = await Promise.all([db.flights.bulkGet(ids), db.manifests.bulkGet(ids)]);
  return {
    flight: new Map(ids.map((id, i) => [id, flights[i]])),
    passenger: new Map(manifests.flatMap((m) => m?.passengers ?? []).map((p) => [p.id, p])),
  };
}

export function SyncScreen() {
  const { db } = useServices();
  const zone = useStationZone();
  const status = useSyncStore((st) => st.status);
  const pending = useLiveQuery(async () => {
    const entries = await db.outbox.orderBy('seq').limit(500).toArray();
    const names = await namesFor(
      db,
      entries.map((e) => e.flightId),
    );
    return entries.map((e) => {
      const m = toMutation(e);
      const pid = passengerIdOf(m);
      const flight = e.flightId ? names.flight.get(e.flightId) : undefined;
      return {
        entry: e,
        text: describeMutation(m, pid ? names.passenger.get(pid) : undefined, flight ? flightLabel(flight) : (e.flightId ?? '—')),
      };
    });
  }, [db]);
  const outcomes = useLiveQuery(() => db.outcomes.orderBy('seq').reverse().toArray(), [db]);
  const print = usePrintDocument();
  const [feedback, setFeedback] = useState<FeedbackState>(null);

  /** The refused and conflicting actions, with names and flights, for the supervisor to work through on paper. */
  async function printReport() {
    const refused = (outcomes ?? []).filter((o) => o.status === 'rejected' || o.status === 'conflict');
    const names = await namesFor(
      db,
      refused.map((o) => o.flightId),
    );
    const rows: ReconciliationRow[] = refused.map((o) => {
      const p = o.passengerId
        ? (names.passenger.get(o.passengerId) ?? o.server?.passengers.find((x) => x.id === o.passengerId))
        : undefined;
      const flight = o.flightId ? names.flight.get(o.flightId) : undefined;
      return {
        at: o.at,
        action: o.type,
        passenger: p ? displayName(p) : null,
        flight: flight ? `${flightLabel(flight)} ${flight.date}` : o.flightId,
        outcome: o.status === 'conflict' ? 'conflict' : 'rejected',
        code: o.code ?? '',
        message: o.message ?? '',
        staffId: o.staffId,
      };
    });
    setFeedback(await print.reconciliation(rows, s.reportScope(rows.length)));
  }
  const pendingCount = useLiveQuery(() => db.outbox.count(), [db]);

  return (
    <section className="screen" aria-labelledby="sync-title">
      <h1 id="sync-title">{s.title}</h1>
      {status?.lastError && (
        <p className="feedback feedback-bad" role="alert">
          <strong>{s.lastError}:</strong> {s.problem(status.lastError)}
          {status.lastError.detail && (
            <span className="hint">
              {' '}
              {s.details}: {status.lastError.detail}
            </span>
          )}
        </p>
      )}
      <AttentionList />
      <h2>
        {s.pending} ({pendingCount ?? 0})
        {pendingCount !== undefined && pending && pendingCount > pending.length ? `, first ${pending.length} shown` : ''}
      </h2>
      {pending && pending.length === 0 && <p className="hint">{s.nothingPending}</p>}
      {pending && pending.length > 0 && (
        <table className="grid" data-testid="pending-list">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{s.columns.time}</th>
              <th scope="col">{s.columns.action}</th>
              <th scope="col">{s.columns.staff}</th>
              <th scope="col">{s.columns.detail}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map(({ entry, text }) => (
              <tr key={entry.seq}>
                <td className="num">{entry.seq}</td>
                <td>{localDateTime(entry.at, zone)}</td>
                <td>{text}</td>
                <td>{entry.staffId}</td>
                <td className="hint">
                  {entry.lastError ? s.entryProblem(entry.lastError) : entry.attempts > 0 ? `${entry.attempts} attempts` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="screen-head">
        <h2>{s.outcomes}</h2>
        <button type="button" className="btn btn-small" onClick={() => void printReport()}>
          {s.printReport}
        </button>
      </div>
      <Feedback state={feedback} />
      {outcomes && outcomes.length === 0 && <p className="hint">{s.noOutcomes}</p>}
      {outcomes && outcomes.length > 0 && (
        <table className="grid" data-testid="outcomes-list">
          <thead>
            <tr>
              <th scope="col">{s.columns.time}</th>
              <th scope="col">{s.columns.action}</th>
              <th scope="col">{s.columns.staff}</th>
              <th scope="col">{s.columns.result}</th>
              <th scope="col">{s.columns.detail}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {outcomes.map((o) => (
              <tr key={o.id} className={o.acknowledged ? 'soft' : ''}>
                <td>{localDateTime(o.at, zone)}</td>
                <td>{o.type}</td>
                <td>{o.staffId}</td>
                <td>
                  <span className={`tag tag-outcome-${o.status}`}>{o.status.toUpperCase()}</span> {o.code}
                </td>
                <td>{o.message}</td>
                <td>
                  {o.acknowledged === 0 && (
                    <button type="button" className="btn btn-small" onClick={() => void db.outcomes.update(o.id, { acknowledged: 1 })}>
                      {s.acknowledge}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
