/**
 * Check-in, seat change and standby clearance for the selected passenger: seat from the map (or
 * typed), bags with their weight, document check; the sequence number comes from this workstation's
 * lease; the boarding pass prints in the same step, and what became of each pass is shown next to
 * the check-in result. A refusal says why, in words.
 */
import { useRef, useState, type FormEvent } from 'react';
import { canCheckIn, displayName } from '../../../shared/domain/rules';
import type { Passenger, TravelDocument } from '../../../shared/domain/schemas';
import type { LocalFlight } from '../../db/schema';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { ReasonField } from '../../ui/ReasonField';
import { useActions } from '../actions';
import { usePrintBoardingPass } from '../printing/use-print';
import { usePrintBagTags } from '../load/use-print-load';
import type { FlightData } from '../flight/use-flight';
import { MAX_BAGS, MAX_PIECE_KG, readBagWeights } from './bags';
import { DocumentReader } from './DocumentReader';
import { TagStockNotice } from './TagStockNotice';
import { SeatMap } from './SeatMap';
import { HandwrittenPassForm } from './HandwrittenPassForm';
import { SeqStockNotice } from './SeqStockNotice';

const s = strings.checkin;

export function CheckInPanel({ data, passenger: p }: { data: FlightData; passenger: Passenger | null }) {
  if (!p)
    return (
      <aside className="panel">
        <SeqStockNotice flightId={data.flight.id} />
        <p className="hint">{s.choose}</p>
      </aside>
    );
  return <CheckInForm key={p.id} data={data} passenger={p} />;
}

function CheckInForm({ data, passenger: p }: { data: FlightData; passenger: Passenger }) {
  const actions = useActions();
  const printPass = usePrintBoardingPass();
  const [seat, setSeat] = useState<string | null>(p.seat);
  const [typedSeat, setTypedSeat] = useState('');
  // Typed text, not numbers: an empty weight is "not entered yet", never a silent 0 kg.
  const [bags, setBags] = useState(String(p.bags.count));
  const [weights, setWeights] = useState<string[]>([]);
  const [docs, setDocs] = useState(false);
  const [travelDoc, setTravelDoc] = useState<TravelDocument | null>(null);
  const [infantDocument, setInfantDocument] = useState<TravelDocument | null>(null);
  const printTags = usePrintBagTags();
  const [standby, setStandby] = useState(false);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  /** What became of each boarding pass printed with the check-in. */
  const [printed, setPrinted] = useState<FeedbackState[]>([]);
  const [busy, setBusy] = useState(false);
  const bagsRef = useRef<HTMLInputElement>(null);
  const weightRefs = useRef<(HTMLInputElement | null)[]>([]);
  const bagEntry = readBagWeights(bags, weights);
  const bagCount = bagEntry.ok ? bagEntry.count : Math.min(Math.max(Number(bags) || 0, 0), MAX_BAGS);
  const infant = p.infantId ? (data.passengers.find((x) => x.id === p.infantId) ?? null) : null;
  const flight: LocalFlight = data.flight;
  const mode: 'checkin' | 'clear' | 'move' =
    p.status === 'checked-in' || p.status === 'boarded' ? (p.standby ? 'clear' : 'move') : 'checkin';
  const precheck = mode === 'checkin' ? canCheckIn(flight, p) : null;
  const role = useSession((st) => st.staff?.role);
  const [override, setOverride] = useState('');
  // Vetting that has not come back (never an inhibition) is the one refusal a supervisor may override.
  const canOverride = precheck?.code === 'VETTING_HOLD' && p.vetting === 'pending' && role === 'supervisor';
  const blocked = precheck !== null && !(canOverride && override.trim() !== '');

  async function submit(e: FormEvent, print: boolean) {
    e.preventDefault();
    if (mode === 'checkin' && !bagEntry.ok) {
      (bagEntry.field === 'bags' ? bagsRef.current : weightRefs.current[bagEntry.field.bag])?.focus();
      return;
    }
    setBusy(true);
    setPrinted([]);
    try {
      if (mode === 'checkin' && bagEntry.ok) {
        const out = await actions.checkIn({
          flightId: flight.id,
          passengerId: p.id,
          seat: standby ? null : seat,
          bags: { count: bagEntry.count, weightKg: bagEntry.weightKg },
          // Each bag gets a fallback tag from this desk's leased serials, in the same step.
          bagWeights: bagEntry.weights,
          docsChecked: docs || travelDoc !== null,
          standby,
          ...(canOverride ? { vettingOverride: override.trim() } : {}),
          ...(travelDoc ? { document: travelDoc } : {}),
          ...(infantDocument && infant ? { infantDocument } : {}),
        });
        if (!out.ok) return setFeedback(feedbackOf(out, ''));
        const accepted = out.passengers.find((x) => x.id === p.id)!;
        setFeedback(feedbackOf(out, s.done(displayName(accepted), accepted.seat ?? 'standby', accepted.seqNo ?? 0)));
        if (print) {
          // One pass after the other (an infant's after the adult's), each outcome shown.
          const outcomes: FeedbackState[] = [];
          for (const pax of out.passengers) {
            outcomes.push(await printPass(flight, pax));
            setPrinted([...outcomes]);
          }
          // Then the bags' tags, one per bag, on the bag-tag printer.
          if ((accepted.bags.pieces?.length ?? 0) > 0) {
            outcomes.push(await printTags(flight, accepted));
            setPrinted([...outcomes]);
          }
        }
      } else if (seat) {
        const out = await actions.perform(
          mode === 'clear'
            ? { type: 'passenger.clearStandby', args: { flightId: flight.id, passengerId: p.id, seat } }
            : { type: 'passenger.assignSeat', args: { flightId: flight.id, passengerId: p.id, seat } },
        );
        setFeedback(
          feedbackOf(
            out,
            mode === 'clear' ? strings.passenger.actions.clearStandby : strings.passenger.actions.changeSeat,
            `${displayName(p)} → ${seat}`,
          ),
        );
        if (out.ok && print) {
          const moved = out.passengers.find((x) => x.id === p.id);
          if (moved) setPrinted([await printPass(flight, moved)]);
        }
      }
    } finally {
      setBusy(false);
    }
  }

  function onTypedSeat(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const code = typedSeat.trim().toUpperCase();
      if (code) setSeat(code);
      setTypedSeat('');
    }
  }

  return (
    <aside className="panel panel-wide" aria-labelledby="checkin-title" data-testid="checkin-panel">
      <div className="panel-head">
        <h2 id="checkin-title">
          {mode === 'checkin' ? s.title : mode === 'clear' ? strings.passenger.actions.clearStandby : strings.passenger.actions.changeSeat}:{' '}
          {displayName(p)}
        </h2>
        <span className="hint">
          {p.cabin} · {p.pnr}
          {p.infantId && ` · + ${strings.manifest.infant}`}
          {p.ssrs.length > 0 && ` · ${p.ssrs.join(' ')}`}
        </span>
      </div>
      {mode === 'checkin' && <SeqStockNotice flightId={flight.id} />}
      {precheck && (
        <div className="feedback feedback-bad" role="alert" data-testid="checkin-precheck">
          <strong>✕ {s.refused}:</strong> {precheck.message}
        </div>
      )}
      {canOverride && <ReasonField label={s.vettingOverride} value={override} onChange={setOverride} testId="vetting-override" />}
      <form className="checkin-form" onSubmit={(e) => void submit(e, true)}>
        {(feedback || printed.length > 0) && (
          // Across the panel, where the eye is after pressing the button: the check-in, then each pass.
          <div className="checkin-feedback">
            <Feedback state={feedback} />
            {printed.map((f, i) => (
              <Feedback key={i} state={f} />
            ))}
          </div>
        )}
        <div className="checkin-fields">
          <div className="seat-pick">
            <label className="field">
              <span>{s.seat}</span>
              <input
                value={typedSeat}
                onChange={(e) => setTypedSeat(e.target.value)}
                onKeyDown={onTypedSeat}
                placeholder={seat ?? s.noSeat}
                aria-describedby="chosen-seat"
                data-testid="seat-input"
              />
            </label>
            <output id="chosen-seat" className="chosen-seat" aria-live="polite">
              {standby ? 'STBY' : (seat ?? '—')}
            </output>
          </div>
          {mode === 'checkin' && (
            <>
              <div className="bags-fields">
                <label className="field">
                  <span>{s.bags}</span>
                  <input
                    ref={bagsRef}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={MAX_BAGS}
                    value={bags}
                    onChange={(e) => setBags(e.target.value)}
                    aria-invalid={!bagEntry.ok && bagEntry.field === 'bags'}
                    aria-describedby={bagEntry.ok ? undefined : 'bags-problem'}
                    data-testid="bags-input"
                  />
                </label>
                {Array.from({ length: bagCount }, (_, i) => (
                  <label className="field" key={i}>
                    <span>{s.bagWeight(i + 1)}</span>
                    <input
                      ref={(el) => {
                        weightRefs.current[i] = el;
                      }}
                      type="number"
                      inputMode="numeric"
                      min={1}
                      max={MAX_PIECE_KG}
                      step={1}
                      value={weights[i] ?? ''}
                      placeholder={s.weightRequired}
                      onChange={(e) => setWeights((w) => Object.assign([...w], { [i]: e.target.value }))}
                      aria-invalid={!bagEntry.ok && bagEntry.field !== 'bags' && bagEntry.field.bag === i}
                      aria-describedby={bagEntry.ok ? undefined : 'bags-problem'}
                      data-testid={i === 0 ? 'weight-input' : `weight-input-${i}`}
                    />
                  </label>
                ))}
              </div>
              {!bagEntry.ok && (
                <p id="bags-problem" className="field-error" role="alert" data-testid="bags-problem">
                  <span aria-hidden="true">⚠ </span>
                  {bagEntry.message}
                </p>
              )}
              {bagCount > 0 && <TagStockNotice carrier={flight.carrier} />}
              <label className="check check-big">
                <input
                  type="checkbox"
                  checked={docs || travelDoc !== null}
                  onChange={(e) => setDocs(e.target.checked)}
                  data-testid="docs-check"
                />
                {s.docs}
              </label>
              {(travelDoc || flight.apis) && (
                // Where the eye is before Enter: the passport read (by the reader, from anywhere), or that APIS wants one.
                <p
                  className={`feedback ${travelDoc ? 'feedback-ok' : 'feedback-warn'} doc-status`}
                  role="status"
                  data-testid={travelDoc ? 'document-status' : 'apis-note'}
                >
                  {travelDoc
                    ? `✓ ${s.document.status(travelDoc.type === 'P' ? 'P' : 'ID', travelDoc.nationality, travelDoc.number)}`
                    : s.document.apis}
                </p>
              )}
            </>
          )}
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy || blocked} data-testid="checkin-submit">
              {mode === 'checkin' ? s.submit : strings.passenger.confirm}
            </button>
            {mode === 'checkin' && (
              <button type="button" className="btn" disabled={busy || blocked} onClick={(e) => void submit(e, false)}>
                {s.submitNoPrint}
              </button>
            )}
          </div>
          {mode === 'checkin' && (
            // Rare, so after the buttons: the usual check-in is seat, bags, documents, Enter.
            <label className="check">
              <input type="checkbox" checked={standby} onChange={(e) => setStandby(e.target.checked)} data-testid="standby-check" />
              {s.standby}
            </label>
          )}
          {mode === 'checkin' && (
            // The reader fills these wherever focus is; typing a zone by hand is the exception.
            <>
              <DocumentReader flight={flight} passenger={p} label={s.document.mrz} onDocument={setTravelDoc} testId="document" />
              {infant && (
                <DocumentReader
                  flight={flight}
                  passenger={infant}
                  label={s.document.infantMrz}
                  onDocument={setInfantDocument}
                  testId="infant-document"
                />
              )}
            </>
          )}
        </div>
        {data.seatMap && !standby && (
          <SeatMap map={data.seatMap} passengers={data.passengers} forPassenger={p} selected={seat} onSelect={setSeat} />
        )}
      </form>
      {mode === 'checkin' && (
        <HandwrittenPassForm
          flightId={flight.id}
          passenger={p}
          bags={bagEntry.ok ? { count: bagEntry.count, weightKg: bagEntry.weightKg } : { count: 0, weightKg: 0 }}
        />
      )}
    </aside>
  );
}
