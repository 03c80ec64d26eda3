/**
 * The station's departures: what leaves when, from where, how far check-in and boarding have got,
 * and how old each flight's data is. Type a flight number and press Enter to open it.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flightLabel } from '../../../shared/domain/rules';
import { age, localTime } from '../../../shared/time';
import { openFlight } from '../../state/navigation';
import { useServices } from '../../services';
import { strings } from '../../strings';
import { flightAsOf, freshness, useLastCompleteSync, useNow, useStationZone } from '../../ui/hooks';
import { byStationDay, displayStatus, matchesFlight } from './flight-status';

const s = strings.departures;

export function DeparturesScreen() {
  const { db, info, settings } = useServices();
  const zone = useStationZone();
  const now = useNow();
  const lastSync = useLastCompleteSync();
  const [query, setQuery] = useState('');
  const [showAll, setShowAll] = useState(false);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const flights = useLiveQuery(() => db.flights.where('origin').equals(info.station).sortBy('std'), [db, info.station]);

  const shown = useMemo(
    () => (flights ?? []).filter((f) => (showAll || (f.status !== 'departed' && f.status !== 'cancelled')) && matchesFlight(f, query)),
    [flights, query, showAll],
  );

  // Several days listed (the cache spans three): each day gets a heading row with its date and zone.
  const days = useMemo(() => byStationDay(shown, zone), [shown, zone]);
  const manyDays = days.length > 1;

  // Enter pressed before the list has loaded (typing fast right after opening the screen) still opens the flight.
  const openWhenLoaded = useRef(false);
  useEffect(() => {
    if (!openWhenLoaded.current || flights === undefined) return;
    openWhenLoaded.current = false;
    if (shown[0]) openFlight(shown[0].id);
  }, [flights, shown]);

  function onFilterKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      if (flights === undefined) openWhenLoaded.current = true;
      else if (shown[0]) openFlight(shown[0].id);
    }
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      tableRef.current?.querySelector<HTMLTableRowElement>('tr[tabindex]')?.focus();
    }
  }

  /** The next flight row up or down, skipping day headings. */
  function flightRow(from: Element, step: 'nextElementSibling' | 'previousElementSibling'): HTMLElement | null {
    let row = from[step];
    while (row && !row.hasAttribute('tabindex')) row = row[step];
    return row as HTMLElement | null;
  }

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, id: string) {
    const row = e.currentTarget;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openFlight(id);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      flightRow(row, 'nextElementSibling')?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      flightRow(row, 'previousElementSibling')?.focus();
    }
  }

  return (
    <section aria-labelledby="departures-title" className="screen">
      <div className="screen-head">
        <h1 id="departures-title">{s.title(info.station)}</h1>
        <label className="field field-inline grow">
          <span className="sr-only">{s.jump}</span>
          <input
            autoFocus
            className="input-big"
            placeholder={s.jump}
            aria-describedby="jump-hint"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onFilterKey}
            data-testid="flight-filter"
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          {s.showAll}
        </label>
      </div>
      <p id="jump-hint" className="hint">
        {s.jumpHint}
      </p>
      {flights && flights.length === 0 && (
        <div className="empty" role="status">
          <p className="empty-title">{s.empty}</p>
          <p>{s.emptyHint(info.backendUrl)}</p>
        </div>
      )}
      {flights && flights.length > 0 && shown.length === 0 && <p className="empty">{s.noMatch(query)}</p>}
      {shown.length > 0 && (
        <table className="grid grid-rows" aria-label={s.title(info.station)}>
          <thead>
            <tr>
              <th scope="col">
                {s.columns.std}
                {!manyDays && days[0] && <span className="th-zone"> {days[0].zones.join(' / ')}</span>}
              </th>
              <th scope="col">{s.columns.etd}</th>
              <th scope="col">{s.columns.flight}</th>
              <th scope="col">{s.columns.to}</th>
              <th scope="col">{s.columns.gate}</th>
              <th scope="col">{s.columns.status}</th>
              <th scope="col" className="num">
                {s.columns.booked}
              </th>
              <th scope="col" className="num">
                {s.columns.checkedIn}
              </th>
              <th scope="col" className="num">
                {s.columns.boarded}
              </th>
              <th scope="col">{s.columns.asOf}</th>
            </tr>
          </thead>
          <tbody ref={tableRef}>
            {days.map((day) => [
              manyDays && (
                <tr key={`day-${day.date}`} className="day-row" data-testid={`day-${day.date}`}>
                  <th scope="colgroup" colSpan={10}>
                    {day.label} <span className="day-zone">{s.timesIn(day.zones.join(' / '))}</span>
                  </th>
                </tr>
              ),
              ...day.flights.map((f) => {
                const status = displayStatus(f);
                const asOf = flightAsOf(f.asOf, lastSync);
                const fresh = freshness(asOf, now, settings.stalenessMinutes);
                return (
                  <tr
                    key={f.id}
                    tabIndex={0}
                    onClick={() => openFlight(f.id)}
                    onKeyDown={(e) => onRowKey(e, f.id)}
                    data-testid={`flight-${flightLabel(f)}`}
                  >
                    <td className="time">{localTime(f.std, zone)}</td>
                    <td className="time">{f.etd && f.etd !== f.std ? <strong className="late">{localTime(f.etd, zone)}</strong> : ''}</td>
                    <td className="strong">{flightLabel(f)}</td>
                    <td>{f.destination}</td>
                    <td>{f.gate ?? '—'}</td>
                    <td>
                      <span className={`tag tag-${status}`}>{strings.flightStatus[status]}</span>
                    </td>
                    <td className="num">{f.counts.booked}</td>
                    <td className="num">{f.counts.checkedIn}</td>
                    <td className="num">{f.counts.boarded}</td>
                    <td className={`asof-${fresh}`}>
                      {age(asOf, now)}
                      {fresh !== 'fresh' && <strong> {strings.status.stale}</strong>}
                    </td>
                  </tr>
                );
              }),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}
