/**
 * Close-out: the final figures, the bags against the people, closing the flight (boarding stops,
 * everything freezes), marking the booked passengers who never showed, and reopening, which only a
 * supervisor may do. Accepted passengers who have not boarded hold the close: each is boarded or
 * offloaded with their bags, or a supervisor closes with a reason.
 */
import { useState, type FormEvent } from 'react';
import { acceptedNotBoarded, apisMissing, headcount } from '../../../shared/domain/headcount';
import { displayName, flightLabel } from '../../../shared/domain/rules';
import { localDateTime } from '../../../shared/time';
import { openFlight } from '../../state/navigation';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { ReasonField } from '../../ui/ReasonField';
import { useStationZone } from '../../ui/hooks';
import { useActions } from '../actions';
import type { FlightData } from '../flight/use-flight';
import { usePrintDocument } from '../printing/use-print';
import { BagReconciliationPanel } from './BagReconciliationPanel';
import { NotBoardedList } from './NotBoardedList';
import { RampCheck } from './RampCheck';

const s = strings.closeout;

export function CloseOutView({ data }: { data: FlightData }) {
  const actions = useActions();
  const staff = useSession((st) => st.staff);
  const zone = useStationZone();
  const print = usePrintDocument();
  const { flight, passengers, seatMap } = data;
  const counts = headcount(passengers, seatMap ?? undefined);
  const waiting = acceptedNotBoarded(passengers);
  const supervisor = staff?.role === 'supervisor';
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [notBoardedReason, setNotBoardedReason] = useState('');
  const [apisReason, setApisReason] = useState('');
  const withoutDocument = apisMissing(flight, passengers);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  // Lap infants follow their adult's no-show; listing them too would make the second one a duplicate.
  const booked = passengers.filter((p) => p.status === 'booked' && p.paxType !== 'INF');
  const open = flight.status === 'scheduled';
  const mayClose =
    open &&
    (waiting.length === 0 || (supervisor && notBoardedReason.trim() !== '')) &&
    (withoutDocument.length === 0 || (supervisor && apisReason.trim() !== ''));
  const loaded = counts.bagReconciliation.ofBoarded;

  async function close() {
    setConfirming(false);
    const args = {
      flightId: flight.id,
      ...(waiting.length > 0 ? { notBoardedReason: notBoardedReason.trim() } : {}),
      ...(withoutDocument.length > 0 ? { apisReason: apisReason.trim() } : {}),
    };
    setFeedback(feedbackOf(await actions.perform({ type: 'flight.close', args }), s.close, flightLabel(flight)));
  }

  async function reopen(e: FormEvent) {
    e.preventDefault();
    setFeedback(
      feedbackOf(await actions.perform({ type: 'flight.reopen', args: { flightId: flight.id, reason } }), s.reopen, flightLabel(flight)),
    );
    setReason('');
  }

  async function markNoShows() {
    let done = 0;
    for (const p of booked) {
      const out = await actions.perform({ type: 'passenger.noShow', args: { flightId: flight.id, passengerId: p.id } });
      if (out.ok) done += 1;
      else if (!out.duplicate) return setFeedback(feedbackOf(out, ''));
    }
    setFeedback({ kind: 'ok', title: s.markNoShow, message: `${done}` });
  }

  return (
    <section className="closeout" aria-labelledby="closeout-title" data-testid="closeout-view">
      <h2 id="closeout-title">
        {s.title} {flightLabel(flight)}
      </h2>
      <div className="closeout-figures">
        {(
          [
            ['booked', counts.total.booked],
            ['checkedIn', counts.total.checkedIn],
            ['boarded', counts.total.boarded],
            ['infantsBoarded', counts.infants.boarded],
            ['souls', counts.soulsOnBoard],
            ['offloaded', counts.offloaded],
            ['noShow', counts.noShow],
            ['bags', `${loaded.count} / ${loaded.weightKg} kg`],
          ] as const
        ).map(([key, value]) => (
          <div key={key} className="figure">
            <span className="figure-label">{s.figures[key]}</span>
            <span className={key === 'bags' ? 'figure-value figure-value-long' : 'figure-value'} data-testid={`figure-${key}`}>
              {value}
            </span>
          </div>
        ))}
      </div>
      <Feedback state={feedback} />
      {flight.status === 'closed' ? (
        <div className="closeout-state">
          <p className="strong">{s.closedBy(flight.closedBy ?? '—', flight.closedAt ? localDateTime(flight.closedAt, zone) : '—')}</p>
          {supervisor ? (
            <form className="reason" onSubmit={(e) => void reopen(e)}>
              <label className="field">
                <span>{s.reopenReason}</span>
                <input required value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="submit" className="btn btn-warn">
                {s.reopen}
              </button>
            </form>
          ) : (
            <p className="hint">{s.supervisorOnly}</p>
          )}
        </div>
      ) : confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby="close-confirm">
          <p id="close-confirm" className="strong">
            {s.closeConfirm(counts.soulsOnBoard, strings.bags(loaded.count, loaded.weightKg), waiting.length)}
          </p>
          <div className="actions">
            <button type="button" className="btn btn-danger" onClick={() => void close()} data-testid="close-confirm" autoFocus>
              {s.close}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {strings.passenger.cancel}
            </button>
          </div>
        </div>
      ) : (
        <>
          {open && waiting.length > 0 && supervisor && (
            <ReasonField
              label={s.notBoardedReason(waiting.length)}
              value={notBoardedReason}
              onChange={setNotBoardedReason}
              testId="not-boarded-reason"
            />
          )}
          {open && withoutDocument.length > 0 && (
            <div className="feedback feedback-warn" role="status" data-testid="apis-missing">
              <strong>{s.apis.missing(withoutDocument.length)}</strong>
              <ul className="waiting">
                {withoutDocument.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => openFlight(flight.id, 'manifest', p.id)}
                      data-testid={`apis-open-${p.id}`}
                    >
                      {p.seat ?? 'INF'} {displayName(p)}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {open && withoutDocument.length > 0 && supervisor && (
            <ReasonField label={s.apis.reason(withoutDocument.length)} value={apisReason} onChange={setApisReason} testId="apis-reason" />
          )}
          {open && waiting.length > 0 && !supervisor && (
            <p className="feedback feedback-warn" role="status" data-testid="close-guard">
              {s.closeGuard(waiting.length)}
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => setConfirming(true)}
              disabled={!mayClose}
              data-testid="close-flight"
            >
              {waiting.length > 0 && supervisor ? s.closeLeaving(waiting.length) : s.close}
            </button>
            {booked.length > 0 && (
              <button type="button" className="btn btn-warn" onClick={() => void markNoShows()}>
                {s.markNoShow} ({booked.length})
              </button>
            )}
          </div>
        </>
      )}
      {waiting.length > 0 && (
        <NotBoardedList flight={flight} passengers={passengers} waiting={waiting} canOffload={open} onResult={setFeedback} />
      )}
      <BagReconciliationPanel reconciliation={counts.bagReconciliation} />
      <RampCheck flight={flight} passengers={passengers} />
      <div className="actions">
        <button type="button" className="btn" onClick={() => void print.closeout(flight, passengers, seatMap).then(setFeedback)}>
          {s.print}
        </button>
      </div>
    </section>
  );
}
