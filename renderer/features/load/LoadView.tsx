/**
 * The load controller's tab: load figures per destination (cabin × male/female/child/infant,
 * checked bags, passenger mass from this workstation's standard masses), the LDM made from them,
 * the bag manifest, and after close the final figures (PFS) and the transfer list (PTM). Each
 * message can be printed, and sent: sending queues it as an action, so the backend gets the exact
 * text with the next sync, and it can be read out by phone from the screen meanwhile.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_CREW,
  DEFAULT_STANDARD_WEIGHTS,
  ldmText,
  loadFigures,
  StandardWeights,
  type Crew,
  type LoadBasis,
} from '../../../shared/domain/load';
import { pfsText, ptmText } from '../../../shared/domain/messages';
import { flightLabel } from '../../../shared/domain/rules';
import { headcount } from '../../../shared/domain/headcount';
import { domainFlight } from '../../db/flight-store';
import type { LocalFlight } from '../../db/schema';
import { downloadFile } from '../../host/browser-print';
import { useServices } from '../../services';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { useActions } from '../actions';
import { BagReconciliationPanel } from '../closeout/BagReconciliationPanel';
import type { FlightData } from '../flight/use-flight';
import { loadStandardWeights, saveStandardWeights } from './load-settings';
import { usePrintLoad } from './use-print-load';

const s = strings.load;
const KINDS = ['LDM', 'PFS', 'PTM'] as const;
type Kind = (typeof KINDS)[number];

export function LoadView({ data }: { data: FlightData }) {
  const { db } = useServices();
  const actions = useActions();
  const print = usePrintLoad();
  const { flight, passengers, seatMap } = data;
  const closed = flight.status === 'closed' || flight.status === 'departed';
  const [basis, setBasis] = useState<LoadBasis>(closed ? 'boarded' : 'accepted');
  const [weights, setWeights] = useState<StandardWeights>(DEFAULT_STANDARD_WEIGHTS);
  const [typedWeights, setTypedWeights] = useState<Record<keyof StandardWeights, string>>(stringsOf(DEFAULT_STANDARD_WEIGHTS));
  const [crew, setCrew] = useState<Crew>(DEFAULT_CREW[flight.aircraftType]);
  const [showing, setShowing] = useState<Kind>('LDM');
  const [sendTo, setSendTo] = useState('');
  const [feedback, setFeedback] = useState<FeedbackState>(null);

  useEffect(() => {
    let live = true;
    void loadStandardWeights(db).then((w) => {
      if (!live) return;
      setWeights(w);
      setTypedWeights(stringsOf(w));
    });
    return () => {
      live = false;
    };
  }, [db]);

  const figures = useMemo(
    () => loadFigures(flight, passengers, { basis, weights, seatMap }),
    [flight, passengers, basis, weights, seatMap],
  );
  const texts: Record<Kind, string> = useMemo(() => {
    const f = domainFlight(flight);
    return { LDM: ldmText(f, figures, crew), PFS: pfsText(f, passengers), PTM: ptmText(f, passengers) };
  }, [flight, figures, crew, passengers]);
  const sentBefore = useLiveQuery(
    () =>
      db.audit
        .where('flightId')
        .equals(flight.id)
        .filter((a) => a.action === 'flight.message')
        .toArray(),
    [db, flight.id],
  );
  const bags = headcount(passengers, seatMap ?? undefined).bagReconciliation;
  const mayShow = (k: Kind) => k === 'LDM' || closed;

  async function saveWeights() {
    const parsed = StandardWeights.safeParse(Object.fromEntries(Object.entries(typedWeights).map(([k, v]) => [k, Number(v)])));
    if (!parsed.success) return setFeedback({ kind: 'bad', title: s.weights, message: s.weightsInvalid });
    await saveStandardWeights(db, parsed.data);
    setWeights(parsed.data);
    setFeedback({ kind: 'ok', title: s.weightsSaved, message: '' });
  }

  /** The message as a plain-text file, for a system that takes files, a mail or a USB stick. */
  function saveText(kind: Kind) {
    const name = messageFileName(flight, kind);
    downloadFile(`${texts[kind]}\n`, name, 'text/plain');
    setFeedback({ kind: 'ok', title: s.saved(kind), message: name });
  }

  async function send(kind: Kind) {
    const to = sendTo.trim() || 'phone';
    const out = await actions.perform({ type: 'flight.message', args: { flightId: flight.id, kind, text: texts[kind], to } });
    setFeedback(feedbackOf(out, s.sent(kind, to)));
  }

  return (
    <section className="load" aria-labelledby="load-title" data-testid="load-view">
      <div className="load-head">
        <h2 id="load-title">
          {s.title} {flightLabel(flight)}
        </h2>
        <fieldset className="segmented">
          <legend className="sr-only">{s.basisLabel}</legend>
          {(['boarded', 'accepted'] as const).map((b) => (
            <label key={b} className={`segment${basis === b ? ' on' : ''}`}>
              <input type="radio" name="basis" value={b} checked={basis === b} onChange={() => setBasis(b)} data-testid={`basis-${b}`} />
              {s.basis[b]}
            </label>
          ))}
        </fieldset>
      </div>
      <Feedback state={feedback} />
      <div className="load-grid">
        <div>
          {figures.destinations.map((d) => (
            <div key={d.destination} className="load-destination" data-testid={`load-${d.destination}`}>
              <h3>{s.to(d.destination)}</h3>
              <table className="grid load-table">
                <thead>
                  <tr>
                    {(['cabin', 'male', 'female', 'child', 'infant', 'seated'] as const).map((c) => (
                      <th key={c} className={c === 'cabin' ? '' : 'num'}>
                        {s.columns[c]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.cabins.map((c) => (
                    <tr key={c.cabin}>
                      <td>{c.cabin}</td>
                      <td className="num">{c.male}</td>
                      <td className="num">{c.female}</td>
                      <td className="num">{c.child}</td>
                      <td className="num">{c.infant}</td>
                      <td className="num">{c.seated}</td>
                    </tr>
                  ))}
                  <tr className="total">
                    <td>{s.total}</td>
                    <td className="num">{d.totals.male}</td>
                    <td className="num">{d.totals.female}</td>
                    <td className="num">{d.totals.child}</td>
                    <td className="num">{d.totals.infant}</td>
                    <td className="num" data-testid="load-seated">
                      {d.totals.seated}
                    </td>
                  </tr>
                </tbody>
              </table>
              <dl className="facts">
                <dt>{s.bags}</dt>
                <dd className="strong" data-testid="load-bags">
                  {d.bags.pieces} pc / {d.bags.weightKg} kg
                </dd>
                <dt>{s.paxMass}</dt>
                <dd>{d.passengerKg} kg</dd>
                <dt>{s.trafficLoad}</dt>
                <dd className="strong">{d.passengerKg + d.bags.weightKg} kg</dd>
              </dl>
              {d.genderGuessed > 0 && <p className="hint">{s.guessed(d.genderGuessed)}</p>}
            </div>
          ))}
          <form
            className="weights-form"
            onSubmit={(e) => {
              e.preventDefault();
              void saveWeights();
            }}
          >
            <fieldset>
              <legend>{s.weights}</legend>
              {(['male', 'female', 'child', 'infant'] as const).map((k) => (
                <label key={k} className="field">
                  <span>{s.weightNames[k]}</span>
                  <input
                    type="number"
                    inputMode="numeric"
                    value={typedWeights[k]}
                    onChange={(e) => setTypedWeights((w) => ({ ...w, [k]: e.target.value }))}
                    data-testid={`weight-${k}`}
                  />
                </label>
              ))}
              <button type="submit" className="btn btn-small">
                {s.saveWeights}
              </button>
            </fieldset>
            <fieldset>
              <legend>{s.crew}</legend>
              <label className="field">
                <span className="sr-only">{s.crewCockpit}</span>
                <input
                  type="number"
                  min={1}
                  max={4}
                  value={crew.cockpit}
                  onChange={(e) => setCrew((c) => ({ ...c, cockpit: Math.max(0, Number(e.target.value) || 0) }))}
                />
              </label>
              <label className="field">
                <span className="sr-only">{s.crewCabin}</span>
                <input
                  type="number"
                  min={0}
                  max={20}
                  value={crew.cabin}
                  onChange={(e) => setCrew((c) => ({ ...c, cabin: Math.max(0, Number(e.target.value) || 0) }))}
                />
              </label>
            </fieldset>
          </form>
          <div className="actions">
            <button type="button" className="btn" onClick={() => void print.loadSheet(flight, figures, texts.LDM).then(setFeedback)}>
              {s.printSheet}
            </button>
            <button type="button" className="btn" onClick={() => void print.bagManifest(flight, passengers).then(setFeedback)}>
              {s.printBagManifest}
            </button>
          </div>
          <BagReconciliationPanel reconciliation={bags} />
        </div>
        <div className="messages">
          <h3>{s.messages}</h3>
          <div className="tabs" role="tablist" aria-label={s.messages}>
            {KINDS.map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={showing === k}
                className={`tab${showing === k ? ' active' : ''}`}
                onClick={() => setShowing(k)}
                data-testid={`message-tab-${k}`}
              >
                {s.show[k]}
              </button>
            ))}
          </div>
          {mayShow(showing) ? (
            <>
              <pre className="message-text mono" data-testid={`message-${showing}`}>
                {texts[showing]}
              </pre>
              <label className="field">
                <span>{s.sendTo}</span>
                <input value={sendTo} onChange={(e) => setSendTo(e.target.value.toUpperCase())} maxLength={120} data-testid="message-to" />
              </label>
              <div className="actions">
                <button type="button" className="btn btn-primary" onClick={() => void send(showing)} data-testid={`send-${showing}`}>
                  {s.send(showing)}
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => void print.message(flight, showing, texts[showing]).then(setFeedback)}
                  data-testid={`print-${showing}`}
                >
                  {s.printMessage(showing)}
                </button>
                <button type="button" className="btn" onClick={() => saveText(showing)} data-testid={`save-${showing}`}>
                  {s.saveMessage(showing)}
                </button>
              </div>
              {(sentBefore?.filter((a) => a.summary.includes(`the ${showing} of`)).length ?? 0) > 0 && (
                <p className="hint" data-testid="sent-before">
                  {s.sentBefore(showing, sentBefore!.filter((a) => a.summary.includes(`the ${showing} of`)).length)}
                </p>
              )}
            </>
          ) : (
            <p className="feedback feedback-warn" role="status">
              {s.messagesAfterClose}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

/** "BQ91-2027-03-28-PFS.txt". */
function messageFileName(flight: Pick<LocalFlight, 'carrier' | 'number' | 'date'>, kind: Kind): string {
  return `${flight.carrier}${flight.number}-${flight.date}-${kind}.txt`;
}

function stringsOf(w: StandardWeights): Record<keyof StandardWeights, string> {
  return { male: String(w.male), female: String(w.female), child: String(w.child), infant: String(w.infant) };
}
