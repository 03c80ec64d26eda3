/**
 * Gate mode. A boarding pass scanned anywhere on the screen, or a seq / seat / name typed in the
 * big field, boards the passenger through the local write path and answers at once, in a panel
 * that never changes size: BOARDED, ALREADY BOARDED (when, by whom), WRONG FLIGHT, NOT CHECKED IN,
 * OFFLOADED, VETTING HOLD… The headcount and the list of who the gate is still waiting for follow.
 */
import { useState, type FormEvent } from 'react';
import { headcount } from '../../../shared/domain/headcount';
import { displayName, flightLabel } from '../../../shared/domain/rules';
import type { Passenger } from '../../../shared/domain/schemas';
import { localTime } from '../../../shared/time';
import { strings } from '../../strings';
import { useStationToday, useStationZone } from '../../ui/hooks';
import { useActions } from '../actions';
import type { FlightData } from '../flight/use-flight';
import { beep } from './beep';
import { looksLikeBoardingPass, lookupManual, lookupScan, type Lookup, type PassCheck } from './lookup';
import { useWedgeScanner } from './use-wedge-scanner';

const s = strings.boarding;

type ResultKey = keyof typeof s.results;

interface GateResult {
  key: ResultKey;
  tone: 'ok' | 'warn' | 'bad';
  passenger: Passenger | null;
  detail: string;
}

const TONE: Partial<Record<ResultKey, GateResult['tone']>> = {
  BOARDED: 'ok',
  ALREADY_BOARDED: 'warn',
  STANDBY_NOT_CLEARED: 'warn',
  BOARDED_REPRINT: 'warn',
  BOARDED_VOID_PASS: 'warn',
  BOARDED_NO_SEAT: 'warn',
  BOARDED_ELSEWHERE: 'warn',
};

export function BoardingView({ data }: { data: FlightData }) {
  const actions = useActions();
  const zone = useStationZone();
  const { flight, passengers, seatMap } = data;
  const [result, setResult] = useState<GateResult | null>(null);
  const [choices, setChoices] = useState<Passenger[]>([]);
  const [manual, setManual] = useState('');
  const [unboarding, setUnboarding] = useState(false);
  const [reason, setReason] = useState('');
  const counts = headcount(passengers, seatMap ?? undefined);

  function show(r: GateResult) {
    setResult(r);
    setChoices([]);
    beep(r.tone);
  }

  async function board(p: Passenger, via: 'scan' | 'manual', pass: PassCheck = { kind: 'current' }, scannedSeq: number | null = null) {
    const out = await actions.perform({
      type: 'passenger.board',
      args: {
        flightId: flight.id,
        passengerId: p.id,
        via,
        seqNo: scannedSeq,
        ...(pass.kind === 'elsewhere' ? { acceptedElsewhere: true } : {}),
      },
    });
    if (out.ok) {
      // The right person boards whatever pass they hold; a pass that no longer matches is said plainly.
      const now = out.passengers.find((x) => x.id === p.id) ?? p;
      const valid = `${strings.passenger.seat} ${now.seat ?? '—'} · seq ${now.seqNo ?? '—'}`;
      if (pass.kind === 'elsewhere') {
        show({ key: 'BOARDED_ELSEWHERE', tone: 'warn', passenger: now, detail: s.acceptedElsewhere(pass.seqNo) });
      } else if (pass.kind === 'void') {
        show({ key: 'BOARDED_VOID_PASS', tone: 'warn', passenger: now, detail: s.voidPass(pass.voidSeq, valid) });
      } else if (pass.kind === 'outdated') {
        show({ key: 'BOARDED_REPRINT', tone: 'warn', passenger: now, detail: s.reprint(now.seat, now.seqNo) });
      } else if (now.seat === null && now.paxType !== 'INF') {
        show({ key: 'BOARDED_NO_SEAT', tone: 'warn', passenger: now, detail: s.noSeat(suggestedSeat(now)) });
      } else {
        show({ key: 'BOARDED', tone: 'ok', passenger: now, detail: `${valid}${p.infantId ? ' · + INF' : ''}` });
      }
      return;
    }
    const key: ResultKey = out.code in s.results ? (out.code as ResultKey) : 'REFUSED';
    const detail =
      key === 'ALREADY_BOARDED' && p.boardedAt
        ? `${localTime(p.boardedAt, zone)} by ${p.boardedBy ?? 'unknown'}`
        : key === 'VETTING_HOLD'
          ? `${out.message}`
          : out.message;
    show({ key, tone: TONE[key] ?? 'bad', passenger: p, detail });
  }

  async function handle(lookup: Lookup) {
    switch (lookup.kind) {
      case 'found':
        return board(lookup.passenger, lookup.via, lookup.pass, lookup.scannedSeq ?? null);
      case 'many':
        setChoices(lookup.passengers);
        setResult(null);
        return;
      case 'wrong-flight':
        return show({ key: 'WRONG_FLIGHT', tone: 'bad', passenger: null, detail: lookup.message });
      case 'unreadable':
        return show({ key: 'UNREADABLE', tone: 'bad', passenger: null, detail: lookup.message });
      case 'none':
        return show({ key: 'NOT_FOUND', tone: 'bad', passenger: null, detail: lookup.message });
    }
  }

  const today = useStationToday();
  // A scan reaches the gate here, wherever the focus is (the fields below included: the scanner
  // swallows its Enter and leaves them as they were). It answers for the next passenger, so an
  // un-board form left open for the previous one must not stay open over the new result.
  const onScan = (text: string) => {
    setUnboarding(false);
    setReason('');
    void handle(lookupScan(text, flight, passengers, today));
  };
  useWedgeScanner(onScan);

  function submitManual(e: FormEvent) {
    e.preventDefault();
    const text = manual;
    setManual('');
    // Scans never get here; a pass's text still can, pasted or typed by hand.
    void handle(looksLikeBoardingPass(text) ? lookupScan(text, flight, passengers, today) : lookupManual(text, passengers));
  }

  async function submitUnboard(e: FormEvent) {
    e.preventDefault();
    const p = result?.passenger;
    const text = reason;
    setUnboarding(false);
    setReason('');
    // A pass's text that reached the reason field without being a scan (pasted): board them, un-board no one.
    if (looksLikeBoardingPass(text)) return handle(lookupScan(text, flight, passengers, today));
    if (!p) return;
    const out = await actions.perform({ type: 'passenger.unboard', args: { flightId: flight.id, passengerId: p.id, reason: text } });
    if (out.ok) show({ key: 'UNBOARDED', tone: 'warn', passenger: out.passengers[0] ?? p, detail: `${strings.passenger.reason}: ${text}` });
    else show({ key: 'REFUSED', tone: 'bad', passenger: p, detail: out.message });
  }

  return (
    <div className="gate" data-testid="boarding-view">
      <section className="gate-main" aria-label={s.title}>
        <div className={`gate-result gate-${result?.tone ?? 'idle'}`} role="status" aria-live="assertive" data-testid="gate-result">
          {result ? (
            <>
              <div className="gate-title" data-testid="gate-title">
                {result.tone === 'ok' ? '✓' : result.tone === 'warn' ? '⚠' : '✕'} {s.results[result.key]}
              </div>
              <div className="gate-name">{result.passenger ? displayName(result.passenger) : '\u00a0'}</div>
              <div className="gate-detail">{result.detail}</div>
            </>
          ) : (
            <div className="gate-title gate-ready">{s.ready}</div>
          )}
        </div>
        <form className="gate-manual" onSubmit={submitManual}>
          <label className="sr-only" htmlFor="gate-input">
            {s.manual}
          </label>
          <input
            id="gate-input"
            className="input-huge"
            placeholder={s.scanHere}
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            autoComplete="off"
            data-testid="gate-input"
          />
          <button type="submit" className="btn btn-primary btn-huge">
            {s.manualSubmit}
          </button>
        </form>
        {choices.length > 0 && (
          <div className="gate-choices" role="group" aria-label={s.pick(choices.length)}>
            <p>{s.pick(choices.length)}</p>
            {choices.map((p) => (
              <button key={p.id} type="button" className="btn btn-choice" onClick={() => void board(p, 'manual')}>
                {displayName(p)} · {p.seat ?? '—'} · seq {p.seqNo ?? '—'} · {strings.paxStatus[p.status]}
              </button>
            ))}
          </div>
        )}
        {result?.key === 'BOARDED' && result.passenger && !unboarding && (
          <button type="button" className="btn btn-warn" onClick={() => setUnboarding(true)}>
            {s.unboard}
          </button>
        )}
        {unboarding && (
          <form className="reason" onSubmit={(e) => void submitUnboard(e)}>
            <label className="field">
              <span>{strings.passenger.reason}</span>
              <input
                autoFocus
                required
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder={strings.passenger.reasonPlaceholder}
              />
            </label>
            <div className="actions">
              <button type="submit" className="btn btn-danger">
                {strings.passenger.actions.unboard}
              </button>
              <button type="button" className="btn" onClick={() => setUnboarding(false)}>
                {strings.passenger.cancel}
              </button>
            </div>
          </form>
        )}
      </section>
      <aside className="gate-side" aria-label={s.headcount}>
        <h2>
          {s.headcount} {flightLabel(flight)}
        </h2>
        <table className="grid headcount" data-testid="headcount">
          <thead>
            <tr>
              <th scope="col">{s.cabin}</th>
              <th scope="col" className="num">
                {s.booked}
              </th>
              <th scope="col" className="num">
                {s.checkedIn}
              </th>
              <th scope="col" className="num">
                {s.boarded}
              </th>
            </tr>
          </thead>
          <tbody>
            {counts.cabins.map((c) => (
              <tr key={c.cabin} data-testid={`headcount-${c.cabin}`}>
                <th scope="row">{c.cabin}</th>
                <td className="num">{c.booked}</td>
                <td className="num">{c.checkedIn}</td>
                <td className="num strong">{c.boarded}</td>
              </tr>
            ))}
            <tr className="total" data-testid="headcount-total">
              <th scope="row">{s.total}</th>
              <td className="num">{counts.total.booked}</td>
              <td className="num">{counts.total.checkedIn}</td>
              <td className="num strong">{counts.total.boarded}</td>
            </tr>
            <tr data-testid="headcount-infants">
              <th scope="row">{s.infants}</th>
              <td className="num">{counts.infants.booked}</td>
              <td className="num">{counts.infants.checkedIn}</td>
              <td className="num strong">{counts.infants.boarded}</td>
            </tr>
          </tbody>
        </table>
        <p className="souls">
          {s.soulsOnBoard}: <strong data-testid="souls">{counts.soulsOnBoard}</strong>
        </p>
        <h3>{s.waitingFor(counts.notYetBoarded.length)}</h3>
        {counts.notYetBoarded.length === 0 ? (
          <p className="hint">{s.everyoneBoarded}</p>
        ) : (
          <ul className="waiting" data-testid="not-boarded">
            {counts.notYetBoarded.map((p) => (
              <li key={p.id}>
                <span className="strong">{p.seat ?? (p.paxType === 'INF' ? 'INF' : 'STBY')}</span> {displayName(p)}{' '}
                <span className="hint">seq {p.seqNo ?? '—'}</span>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}

/** The free seat the reconciliation suggested for a passenger who lost theirs, if any. */
function suggestedSeat(p: Passenger): string | null {
  const flag = p.flags?.find((f) => f.code === 'RESEAT');
  return flag?.code === 'RESEAT' ? flag.suggested : null;
}
