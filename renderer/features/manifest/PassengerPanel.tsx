/** One passenger: everything an agent needs to see, and the actions their status allows. */
import { useState, type FormEvent } from 'react';
import type { MutationInput } from '../../../shared/domain/mutations';
import { displayName } from '../../../shared/domain/rules';
import { plateLabel } from '../../../shared/domain/bag-tags';
import type { Passenger, TravelDocument } from '../../../shared/domain/schemas';
import { localDateTime } from '../../../shared/time';
import type { LocalFlight } from '../../db/schema';
import { openFlight } from '../../state/navigation';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { PassengerFlags, SsrBadges, StatusTag } from '../../ui/PassengerBadges';
import { useActions } from '../actions';
import { usePrintBoardingPass } from '../printing/use-print';
import { DocumentReader } from '../checkin/DocumentReader';
import { usePrintBagTags } from '../load/use-print-load';

const s = strings.passenger;

function bagsOf(passengers: readonly Passenger[]): { count: number; weightKg: number } {
  return passengers.reduce((sum, x) => ({ count: sum.count + x.bags.count, weightKg: sum.weightKg + x.bags.weightKg }), {
    count: 0,
    weightKg: 0,
  });
}

type ReasonAction = 'offload' | 'unboard';

export function PassengerPanel({
  flight,
  passenger: p,
  passengers,
}: {
  flight: LocalFlight;
  passenger: Passenger;
  passengers: Passenger[];
}) {
  const actions = useActions();
  const zone = useStationZone();
  const printPass = usePrintBoardingPass();
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const [asking, setAsking] = useState<ReasonAction | null>(null);
  const [reason, setReason] = useState('');
  const [reading, setReading] = useState(false);
  const [doc, setDoc] = useState<TravelDocument | null>(null);
  const printTags = usePrintBagTags();

  async function recordDocument() {
    if (!doc) return;
    const out = await actions.perform({ type: 'passenger.recordDocument', args: { ...base, document: doc } });
    setFeedback(feedbackOf(out, strings.checkin.document.recorded(displayName(p))));
    if (out.ok) setReading(false);
  }
  const adult = p.infantOf ? passengers.find((x) => x.id === p.infantOf) : undefined;
  const infant = p.infantId ? passengers.find((x) => x.id === p.infantId) : undefined;
  const base = { flightId: flight.id, passengerId: p.id };

  async function run(input: MutationInput, okTitle: string) {
    setFeedback(feedbackOf(await actions.perform(input), okTitle, displayName(p)));
  }

  async function submitReason(e: FormEvent) {
    e.preventDefault();
    if (!asking) return;
    const input: MutationInput =
      asking === 'offload'
        ? { type: 'passenger.offload', args: { ...base, reason } }
        : { type: 'passenger.unboard', args: { ...base, reason } };
    if (asking === 'offload') {
      const out = await actions.perform(input);
      // The bags go off with the passenger: say so where the agent is looking, with the count.
      const bags = bagsOf(out.ok ? out.passengers : [p]);
      const message = bags.count > 0 ? s.bagsOffDone(strings.bags(bags.count, bags.weightKg)) : displayName(p);
      setFeedback(feedbackOf(out, s.actions.offload, message));
    } else {
      await run(input, s.actions.unboard);
    }
    setAsking(null);
    setReason('');
  }

  const accepted = p.status === 'checked-in' || p.status === 'boarded';
  const withBags = [p, ...(infant ? [infant] : [])].filter((x) => x.bags.count > 0);
  return (
    <aside className="panel" aria-labelledby="pax-title" data-testid="passenger-panel">
      <div className="panel-head">
        <h2 id="pax-title">{displayName(p)}</h2>
        <StatusTag status={p.status} />
        <PassengerFlags p={p} />
      </div>
      <dl className="facts">
        <dt>{s.seat}</dt>
        <dd className="big">{p.seat ?? '—'}</dd>
        <dt>{s.seq}</dt>
        <dd className="big">{p.seqNo ?? '—'}</dd>
        <dt>{s.cabin}</dt>
        <dd>
          {p.cabin} / {p.bookingClass}
        </dd>
        <dt>{s.pnr}</dt>
        <dd className="mono">{p.pnr}</dd>
        <dt>{s.eticket}</dt>
        <dd className="mono">{p.eticket}</dd>
        {p.ffNumber && (
          <>
            <dt>{s.ff}</dt>
            <dd className="mono">{p.ffNumber}</dd>
          </>
        )}
        <dt>{s.type}</dt>
        <dd>
          {p.paxType}
          {adult && ` — ${s.infantWith} ${displayName(adult)}`}
          {infant && ` — ${s.travelsWith} ${displayName(infant)}`}
        </dd>
        <dt>{s.vetting}</dt>
        <dd className={p.vetting === 'cleared' ? '' : 'strong bad'}>
          {strings.vetting[p.vetting]}
          {p.vettingOverride &&
            ` — ${s.vettingOverride(p.vettingOverride.by, localDateTime(p.vettingOverride.at, zone), p.vettingOverride.reason)}`}
        </dd>
        <dt>{s.bags}</dt>
        <dd data-testid="pax-bags">
          {p.bags.count} / {p.bags.weightKg} kg
          {(p.bags.pieces?.length ?? 0) > 0 && (
            <span className="mono"> · {p.bags.pieces!.map((b) => `${plateLabel(b.tag)} ${b.weightKg}kg`).join(', ')}</span>
          )}
        </dd>
        <dt>{s.document}</dt>
        <dd data-testid="pax-document" className={p.document ? '' : flight.apis && accepted ? 'strong bad' : 'soft'}>
          {p.document
            ? `${p.document.type === 'P' ? 'P' : 'ID'} ${p.document.nationality} ${p.document.number} · exp ${p.document.expiryDate}${
                p.document.source === 'typed' ? ` · ${s.documentTyped}` : ''
              }${p.document.nameMismatch ? ` · ${s.documentNameDiffers}` : ''}`
            : flight.apis
              ? s.noDocumentApis
              : s.noDocument}
        </dd>
        {p.ssrs.length > 0 && (
          <>
            <dt>SSR</dt>
            <dd>
              <SsrBadges ssrs={p.ssrs} />
            </dd>
          </>
        )}
        {p.checkedInAt && (
          <>
            <dt>{s.checkedIn}</dt>
            <dd>
              {localDateTime(p.checkedInAt, zone)} · {p.checkedInBy}
            </dd>
          </>
        )}
        {p.boardedAt && (
          <>
            <dt>{s.boarded}</dt>
            <dd>
              {localDateTime(p.boardedAt, zone)} · {p.boardedBy}
            </dd>
          </>
        )}
        {p.remark && (
          <>
            <dt>{s.remark}</dt>
            <dd>{p.remark}</dd>
          </>
        )}
      </dl>

      <Feedback state={feedback} />

      {reading && (
        <form
          className="reason"
          onSubmit={(e) => {
            e.preventDefault();
            void recordDocument();
          }}
        >
          <DocumentReader flight={flight} passenger={p} label={strings.checkin.document.mrz} onDocument={setDoc} testId="pax-doc" />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={!doc} data-testid="record-document">
              {strings.checkin.document.record}
            </button>
            <button type="button" className="btn" onClick={() => setReading(false)}>
              {s.cancel}
            </button>
          </div>
        </form>
      )}

      {asking ? (
        <form className="reason" onSubmit={(e) => void submitReason(e)}>
          {asking === 'offload' && withBags.length > 0 && (
            <div className="feedback feedback-warn" role="alert" data-testid="bags-off">
              <strong>{s.bagsOff}:</strong>
              <ul>
                {withBags.map((x) => (
                  <li key={x.id}>
                    {displayName(x)} · seq {x.seqNo ?? '—'} · {x.pnr} — {strings.bags(x.bags.count, x.bags.weightKg)}
                    {(x.bags.pieces?.length ?? 0) > 0 && (
                      <>
                        {' '}
                        · {strings.closeout.tags}:{' '}
                        <span className="mono strong">{x.bags.pieces!.map((b) => plateLabel(b.tag)).join(', ')}</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <label className="field">
            <span>
              {asking === 'offload' ? s.actions.offload : s.actions.unboard}: {s.reason}
            </span>
            <input
              autoFocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={s.reasonPlaceholder}
              required
              maxLength={200}
            />
          </label>
          <div className="actions">
            <button type="submit" className="btn btn-danger">
              {s.confirm}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(null)}>
              {s.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          {(p.status === 'booked' || p.status === 'offloaded' || p.status === 'no-show') && p.paxType !== 'INF' && (
            <button type="button" className="btn btn-primary" onClick={() => openFlight(flight.id, 'checkin', p.id)}>
              {s.actions.checkIn}
            </button>
          )}
          {p.status === 'checked-in' && !p.standby && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void run({ type: 'passenger.board', args: { ...base, via: 'manual' } }, s.actions.board)}
            >
              {s.actions.board}
            </button>
          )}
          {p.standby && p.status === 'checked-in' && (
            <button type="button" className="btn btn-primary" onClick={() => openFlight(flight.id, 'checkin', p.id)}>
              {s.actions.clearStandby}
            </button>
          )}
          {accepted && (
            <button type="button" className="btn" onClick={() => void printPass(flight, p).then(setFeedback)}>
              {s.actions.printPass}
            </button>
          )}
          {accepted && (p.bags.pieces?.length ?? 0) > 0 && (
            <button type="button" className="btn" onClick={() => void printTags(flight, p).then(setFeedback)} data-testid="print-tags">
              {s.actions.printTags}
            </button>
          )}
          {(accepted || p.status === 'booked') && flight.status !== 'cancelled' && (
            <button type="button" className="btn" onClick={() => setReading(true)} data-testid="read-document">
              {s.actions.readDocument}
            </button>
          )}
          {accepted && !p.standby && p.paxType !== 'INF' && (
            <button type="button" className="btn" onClick={() => openFlight(flight.id, 'checkin', p.id)}>
              {s.actions.changeSeat}
            </button>
          )}
          {p.status === 'checked-in' && !p.standby && p.paxType !== 'INF' && (
            <button type="button" className="btn" onClick={() => void run({ type: 'passenger.standby', args: base }, s.actions.standby)}>
              {s.actions.standby}
            </button>
          )}
          {p.status === 'boarded' && (
            <button type="button" className="btn btn-warn" onClick={() => setAsking('unboard')}>
              {s.actions.unboard}
            </button>
          )}
          {accepted && (
            <button type="button" className="btn btn-danger" onClick={() => setAsking('offload')}>
              {s.actions.offload}
            </button>
          )}
          {p.status === 'booked' && (
            <button
              type="button"
              className="btn btn-warn"
              onClick={() => void run({ type: 'passenger.noShow', args: base }, s.actions.noShow)}
            >
              {s.actions.noShow}
            </button>
          )}
        </div>
      )}
    </aside>
  );
}
