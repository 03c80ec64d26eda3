/** One flight: its header (times, gate, counts, data age) and the four working tabs. */
import { useState } from 'react';
import { flightLabel } from '../../../shared/domain/rules';
import { age, localDay, localTime, zoneLabel } from '../../../shared/time';
import { go, openFlight, useNavigation, type FlightTab } from '../../state/navigation';
import { useServices } from '../../services';
import { strings } from '../../strings';
import { flightAsOf, freshness, useLastCompleteSync, useNow, useStationZone } from '../../ui/hooks';
import { BoardingView } from '../boarding/BoardingView';
import { CheckInPanel } from '../checkin/CheckInPanel';
import { CloseOutView } from '../closeout/CloseOutView';
import { LoadView } from '../load/LoadView';
import { displayStatus } from '../departures/flight-status';
import { ManifestList } from '../manifest/ManifestList';
import { DEFAULT_QUERY, type ManifestQuery } from '../manifest/manifest-query';
import { PassengerPanel } from '../manifest/PassengerPanel';
import { ManifestPrintButtons } from '../printing/ManifestPrintButtons';
import { useFlight } from './use-flight';

const TABS: FlightTab[] = ['manifest', 'checkin', 'boarding', 'closeout', 'load'];

export function FlightScreen({ flightId, tab }: { flightId: string; tab: FlightTab }) {
  const data = useFlight(flightId);
  const { settings } = useServices();
  const passengerId = useNavigation((st) => st.passengerId);
  const zone = useStationZone();
  const now = useNow();
  const lastSync = useLastCompleteSync();
  const [query, setQuery] = useState<ManifestQuery>(DEFAULT_QUERY);

  /** Arrow keys move between the tabs, as in every tab list. */
  function onTabKey(e: React.KeyboardEvent, flightId: string) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = TABS[(TABS.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    openFlight(flightId, next, passengerId);
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  }

  if (data === undefined) return null;
  if (data === null) {
    return (
      <section className="screen">
        <p className="empty">{strings.flight.gone}</p>
        <button type="button" className="btn" onClick={() => go({ name: 'departures' })}>
          {strings.nav.back}
        </button>
      </section>
    );
  }
  const { flight, passengers } = data;
  const selected = passengers.find((p) => p.id === passengerId) ?? null;
  const asOf = flightAsOf(flight.asOf, lastSync);
  const fresh = freshness(asOf, now, settings.stalenessMinutes);
  const status = displayStatus(flight);

  return (
    <section className="screen flight" aria-labelledby="flight-title">
      <div className="flight-head">
        <h1 id="flight-title">
          {flightLabel(flight)} <span className="soft">→ {flight.destination}</span>
        </h1>
        <span className="fact">
          {strings.flight.std} {localDay(flight.std, zone)} <strong>{localTime(flight.std, zone)}</strong> {zoneLabel(flight.std, zone)}
        </span>
        {flight.etd && flight.etd !== flight.std && (
          <span className="fact late">
            {strings.flight.etd} <strong>{localTime(flight.etd, zone)}</strong>
          </span>
        )}
        <span className="fact">
          {strings.flight.gate} <strong>{flight.gate ?? '—'}</strong>
        </span>
        <span className="fact">{flight.aircraftType}</span>
        <span className={`tag tag-${status}`}>{strings.flightStatus[status]}</span>
        <span className="fact">{strings.flight.counts(flight.counts.booked, flight.counts.checkedIn, flight.counts.boarded)}</span>
        {data.pending > 0 && <span className="fact warn-text">{strings.status.pending(data.pending)}</span>}
        <span className={`fact asof-${fresh}`} data-testid="flight-asof">
          {strings.status.dataAsOf} {localTime(asOf, zone)} ({age(asOf, now)})
        </span>
      </div>
      <div className="tabs" role="tablist" aria-label="Flight work" onKeyDown={(e) => onTabKey(e, flight.id)}>
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-controls="flight-tabpanel"
            tabIndex={t === tab ? 0 : -1}
            aria-selected={t === tab}
            className={`tab${t === tab ? ' active' : ''}`}
            onClick={() => openFlight(flight.id, t, passengerId)}
            data-testid={`tab-${t}`}
          >
            {strings.nav.tabs[t]}
          </button>
        ))}
        <span className="grow" />
        <ManifestPrintButtons data={data} />
      </div>
      <div className="tab-body" role="tabpanel" id="flight-tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'boarding' && <BoardingView data={data} />}
        {tab === 'closeout' && <CloseOutView data={data} />}
        {tab === 'load' && <LoadView data={data} />}
        {(tab === 'manifest' || tab === 'checkin') && (
          <div className="split">
            <ManifestList passengers={passengers} query={query} onQuery={setQuery} selectedId={passengerId} />
            {tab === 'manifest' && selected && (
              <PassengerPanel key={selected.id} flight={flight} passenger={selected} passengers={passengers} />
            )}
            {tab === 'checkin' && <CheckInPanel data={data} passenger={selected} />}
          </div>
        )}
      </div>
    </section>
  );
}
