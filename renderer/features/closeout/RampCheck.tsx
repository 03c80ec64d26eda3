/**
 * The ramp check at close-out: the tags the ramp loads, scanned into the tag field (a wedge scanner
 * types a tag's ten digits and Enter, too few to tell from typing, so the field must have focus) or
 * typed as the ramp reads them out, against the passengers on board. Bags of passengers who are not
 * on board come up to be taken off by tag, with the passenger's name; tags of no passenger of this
 * flight are found; bags of boarded passengers not yet loaded are listed.
 */
import { useState, type FormEvent } from 'react';
import { plateLabel, plateOf, rampCheck } from '../../../shared/domain/bag-tags';
import { displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger } from '../../../shared/domain/schemas';
import { strings } from '../../strings';
import { clearRamp, loadedOn, markLoaded, markOff, useRampStore } from './ramp-store';

const s = strings.closeout.ramp;

export function RampCheck({ flight, passengers }: { flight: Pick<Flight, 'id'>; passengers: readonly Passenger[] }) {
  const loaded = useRampStore(loadedOn(flight.id));
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const check = rampCheck(passengers, loaded);

  function add(e: FormEvent) {
    e.preventDefault();
    const plate = plateOf(typed);
    if (plate === null) return setProblem(s.notATag);
    markLoaded(flight.id, plate);
    setTyped('');
    setProblem(null);
  }

  const takenOff = (tag: string) => (
    <button type="button" className="btn btn-small" onClick={() => markOff(flight.id, tag)} data-testid={`ramp-off-${tag}`}>
      {s.takenOff}
    </button>
  );

  return (
    <section className="ramp-check" aria-labelledby="ramp-title" data-testid="ramp-check">
      <h3 id="ramp-title">{s.title}</h3>
      <p className="hint">{s.hint}</p>
      <form className="inline-form" onSubmit={add}>
        <label className="field">
          <span>{s.tag}</span>
          <input
            className="mono"
            inputMode="numeric"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'ramp-problem' : undefined}
            data-testid="ramp-tag"
          />
        </label>
        <button type="submit" className="btn">
          {s.add}
        </button>
        {loaded.length > 0 && (
          <button type="button" className="btn" onClick={() => clearRamp(flight.id)}>
            {s.clear}
          </button>
        )}
      </form>
      {problem && (
        <p id="ramp-problem" className="field-error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {problem}
        </p>
      )}
      {loaded.length > 0 && (
        <div role="status" data-testid="ramp-result">
          <p className="strong">{s.loaded(loaded.length, check.ok.length)}</p>
          {check.agrees && <p className="feedback feedback-ok">✓ {s.agrees}</p>}
          {check.takeOff.length > 0 && (
            <div className="feedback feedback-bad" data-testid="ramp-take-off">
              <strong>✕ {s.takeOff}</strong>
              <ul className="waiting">
                {check.takeOff.map((x) => (
                  <li key={x.tag}>
                    <span className="mono strong">{plateLabel(x.tag)}</span> · {displayName(x.passenger)} ({s.why[x.why]}) {takenOff(x.tag)}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {check.unknown.length > 0 && (
            <div className="feedback feedback-warn" data-testid="ramp-unknown">
              <strong>⚠ {s.unknown}</strong>
              <ul className="waiting">
                {check.unknown.map((tag) => (
                  <li key={tag}>
                    <span className="mono strong">{plateLabel(tag)}</span> {takenOff(tag)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      {check.missing.length > 0 && loaded.length > 0 && (
        <details className="ramp-missing" data-testid="ramp-missing">
          <summary>{s.missing(check.missing.length)}</summary>
          <ul className="waiting">
            {check.missing.map((x) => (
              <li key={x.tag}>
                <span className="mono">{plateLabel(x.tag)}</span> · {displayName(x.passenger)} · {x.passenger.seat ?? '—'}
              </li>
            ))}
          </ul>
        </details>
      )}
      {check.untagged > 0 && loaded.length > 0 && <p className="hint">{s.untagged(check.untagged)}</p>}
    </section>
  );
}
