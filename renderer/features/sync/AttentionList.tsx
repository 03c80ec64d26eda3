/**
 * "Needs a person": the reconciliation list a supervisor works through after an outage, each item in
 * words with its action right there — give the suggested seat, print a new pass, record a void pass
 * as collected, confirm, print a revised close-out, mark a refusal handled — and a note that goes
 * into the audit log with it.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type ReactNode } from 'react';
import type { MutationArgs, MutationType } from '../../../shared/domain/mutations';
import { displayName, flightLabel } from '../../../shared/domain/rules';
import type { Passenger } from '../../../shared/domain/schemas';
import { flightLabelWithDate } from '../../../shared/flight-label';
import { localDateTime } from '../../../shared/time';
import { domainFlight } from '../../db/flight-store';
import { useServices } from '../../services';
import { openFlight } from '../../state/navigation';
import { useSession } from '../../state/session';
import { ruleTitles, strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { useActions } from '../actions';
import { usePrintBoardingPass, usePrintDocument } from '../printing/use-print';
import { attentionItems, type AttentionItem } from './attention';

const s = strings.sync.attention;

type Resolvable = MutationArgs<'passenger.resolve'>['flag'];

export function AttentionList() {
  const { db } = useServices();
  const zone = useStationZone();
  const items = useLiveQuery(async () => {
    const [flights, refused] = await Promise.all([
      db.flights.filter((f) => (f.counts.attention ?? 0) > 0 || (f.flags?.length ?? 0) > 0).toArray(),
      db.outcomes.where('acknowledged').equals(0).toArray(),
    ]);
    const ids = [...new Set([...flights.map((f) => f.id), ...refused.flatMap((o) => (o.flightId ? [o.flightId] : []))])];
    const [allFlights, manifests] = await Promise.all([db.flights.bulkGet(ids), db.manifests.bulkGet(ids)]);
    const passengers = new Map(manifests.flatMap((m) => (m ? [[m.flightId, m.passengers] as const] : [])));
    return attentionItems({
      flights: allFlights.flatMap((f) => (f ? [domainFlight(f)] : [])),
      passengersOf: (id) => passengers.get(id) ?? [],
      refused,
    });
  }, [db]);

  return (
    <section aria-labelledby="attention-title" data-testid="attention">
      <h2 id="attention-title">
        {s.title} ({items?.length ?? 0})
      </h2>
      <p className="hint">{items && items.length === 0 ? s.none : s.intro}</p>
      {items && items.length > 0 && (
        <ul className="attention-list">
          {items.map((item) => (
            <AttentionRow key={item.key} item={item} zone={zone} />
          ))}
        </ul>
      )}
    </section>
  );
}

function who(p: Passenger): string {
  return `${displayName(p)}${p.paxType === 'INF' ? ' (infant)' : ''}`;
}

function passLabel(seat: string | null, seq: number | null): string {
  return `seat ${seat ?? '—'}, seq ${seq ?? '—'}`;
}

function AttentionRow({ item, zone }: { item: AttentionItem; zone: string }) {
  const { db } = useServices();
  const actions = useActions();
  const staff = useSession((st) => st.staff);
  const printPass = usePrintBoardingPass();
  const printDocument = usePrintDocument();
  const [note, setNote] = useState('');
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const supervisor = staff?.role === 'supervisor';

  async function resolve(flightId: string, passengerId: string, flag: Resolvable) {
    const out = await actions.perform({ type: 'passenger.resolve', args: { flightId, passengerId, flag, note: note.trim() || null } });
    setFeedback(feedbackOf(out, s.done));
  }

  async function giveSeat(flightId: string, p: Passenger, seat: string) {
    const type = p.standby ? 'passenger.clearStandby' : 'passenger.assignSeat';
    const out = await actions.perform({ type, args: { flightId, passengerId: p.id, seat } });
    setFeedback(feedbackOf(out, s.done, seat));
  }

  const noteField = (
    <label className="field field-inline">
      <span className="sr-only">{s.note}</span>
      <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={s.note} maxLength={200} />
    </label>
  );

  let heading: string;
  let text: string;
  let buttons: ReactNode = null;
  if (item.kind === 'flight') {
    heading = flightLabelWithDate(item.flight);
    text = s.changedAfterClose(localDateTime(item.flag.closedAt, zone), item.flag.changes);
    buttons = (
      <button
        type="button"
        className="btn btn-primary"
        onClick={() =>
          void (async () => {
            const manifest = await db.manifests.get(item.flight.id);
            const seatMap = await db.seatMaps.get(item.flight.seatMapId);
            setFeedback(await printDocument.closeout(item.flight, manifest?.passengers ?? [], seatMap ?? null));
          })()
        }
      >
        {s.actions.printCloseout}
      </button>
    );
  } else if (item.kind === 'refused') {
    const o = item.outcome;
    heading = `${item.flight ? flightLabelWithDate(item.flight) : (o.flightId ?? '—')}${item.passenger ? ` · ${who(item.passenger)}` : ''}`;
    const what = describeOutcomeAction(o.type, item.passenger, item.flight ? flightLabel(item.flight) : (o.flightId ?? ''), o.at, zone);
    text = s.refused(what, `${o.code ? `${ruleTitleOf(o.code)}. ` : ''}${o.message ?? ''}`);
    buttons = (
      <button type="button" className="btn" onClick={() => void db.outcomes.update(o.id, { acknowledged: 1 })}>
        {s.actions.handled}
      </button>
    );
  } else {
    const { flight, passenger: p, flag } = item;
    heading = `${flightLabelWithDate(flight)} · ${who(p)}`;
    switch (flag.code) {
      case 'RESEAT':
        text = s.reseat(flag.lostSeat, item.keptBy ? who(item.keptBy) : null, flag.suggested);
        buttons = (
          <>
            {flag.suggested && (
              <button type="button" className="btn btn-primary" onClick={() => void giveSeat(flight.id, p, flag.suggested!)}>
                {s.actions.giveSeat(flag.suggested)}
              </button>
            )}
            <button type="button" className="btn" onClick={() => openFlight(flight.id, 'checkin', p.id)}>
              {s.actions.chooseSeat}
            </button>
          </>
        );
        break;
      case 'REPRINT':
        text = s.reprint(passLabel(flag.printedSeat, flag.printedSeq), passLabel(p.seat, p.seqNo));
        buttons = (
          <button type="button" className="btn btn-primary" onClick={() => void printPass(flight, p).then(setFeedback)}>
            {s.actions.printPass}
          </button>
        );
        break;
      case 'VOID_PASS':
        text = s.voidPass(flag.seqNo, flag.seat, passLabel(p.seat, p.seqNo));
        buttons = (
          <>
            {noteField}
            <button type="button" className="btn btn-primary" onClick={() => void resolve(flight.id, p.id, 'VOID_PASS')}>
              {s.actions.collected}
            </button>
          </>
        );
        break;
      case 'NO_CHECK_IN_RECORD':
        text = s.noCheckIn;
        buttons = (
          <>
            {noteField}
            <button type="button" className="btn btn-primary" onClick={() => void resolve(flight.id, p.id, 'NO_CHECK_IN_RECORD')}>
              {s.actions.confirm}
            </button>
          </>
        );
        break;
      case 'VETTING_REVIEW':
        text = s.vetting;
        buttons = supervisor ? (
          <>
            {noteField}
            <button type="button" className="btn btn-primary" onClick={() => void resolve(flight.id, p.id, 'VETTING_REVIEW')}>
              {s.actions.reviewed}
            </button>
          </>
        ) : (
          <span className="hint">{s.supervisorOnly}</span>
        );
        break;
      case 'SEQ_REISSUE':
        text = s.seqReissue(flag.seqNo);
        buttons = (
          <>
            <button type="button" className="btn" onClick={() => void printPass(flight, p).then(setFeedback)}>
              {s.actions.printPass}
            </button>
            {noteField}
            <button type="button" className="btn btn-primary" onClick={() => void resolve(flight.id, p.id, 'SEQ_REISSUE')}>
              {s.actions.confirm}
            </button>
          </>
        );
        break;
    }
  }

  return (
    <li
      className={`attention-item attention-${item.kind === 'passenger' ? item.flag.code.toLowerCase() : item.kind}`}
      data-testid="attention-item"
    >
      <div className="attention-head">
        <strong>{heading}</strong>
      </div>
      <p className="attention-text">{text}</p>
      <div className="attention-actions">{buttons}</div>
      <Feedback state={feedback} />
    </li>
  );
}

function ruleTitleOf(code: string): string {
  return code in ruleTitles ? ruleTitles[code as keyof typeof ruleTitles] : code;
}

/** "Checked in SMITH/ANNA on BQ123 at 26 Nov 09:40": what was refused, in words, from the outcome alone. */
function describeOutcomeAction(type: MutationType, p: Passenger | null, flight: string, at: string, zone: string): string {
  const label = strings.sync.actionNames[type];
  return `${label}${p ? ` ${who(p)}` : ''}${flight ? ` on ${flight}` : ''} at ${localDateTime(at, zone)}`;
}
