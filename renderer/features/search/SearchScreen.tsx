/**
 * Find a passenger anywhere at the station: by name, PNR, e-ticket or frequent-flyer number. The
 * soonest flight's passengers come first, each with the day and time their flight leaves; departed
 * flights only when asked for.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useMemo, useState, type KeyboardEvent } from 'react';
import { displayName, flightLabel } from '../../../shared/domain/rules';
import type { Passenger } from '../../../shared/domain/schemas';
import { localDay, localTime, zoneLabel } from '../../../shared/time';
import type { LocalFlight } from '../../db/schema';
import { openFlight } from '../../state/navigation';
import { useServices } from '../../services';
import { strings } from '../../strings';
import { useStationZone } from '../../ui/hooks';
import { StatusTag } from '../../ui/PassengerBadges';
import { searchFlightOrder } from './flight-order';
import { StationIndex } from './station-search';

const s = strings.search;

export function SearchScreen() {
  const { db } = useServices();
  const zone = useStationZone();
  const [query, setQuery] = useState('');
  const [includeDeparted, setIncludeDeparted] = useState(false);
  const deferred = useDeferredValue(query);
  // Rebuild the in-memory index only when some flight's search text changed (its rev), read cheaply
  // from the compound index without loading the texts.
  const revs = useLiveQuery(() => db.searchIndex.orderBy('[flightId+rev]').keys(), [db]);
  const revKey = JSON.stringify(revs ?? []);
  const index = useLiveQuery(async () => StationIndex.build(await db.searchIndex.toArray()), [db, revKey]);
  const flights = useLiveQuery(() => db.flights.toArray(), [db]);
  const flightOrder = useMemo(() => searchFlightOrder(flights ?? [], includeDeparted), [flights, includeDeparted]);
  const result = useMemo(
    () => (index && flights ? index.search(deferred, { flightOrder }) : { hits: [], more: false }),
    [index, flights, deferred, flightOrder],
  );
  const rows = useLiveQuery(async () => {
    const flightIds = [...new Set(result.hits.map((h) => h.flightId))];
    const [flights, manifests] = await Promise.all([db.flights.bulkGet(flightIds), db.manifests.bulkGet(flightIds)]);
    const byFlight = new Map(
      flightIds.map((id, i) => [id, { flight: flights[i], passengers: new Map(manifests[i]?.passengers.map((p) => [p.id, p])) }]),
    );
    return result.hits.flatMap((h) => {
      const entry = byFlight.get(h.flightId);
      const p = entry?.passengers.get(h.passengerId);
      return entry?.flight && p ? [{ flight: entry.flight, passenger: p }] : [];
    });
  }, [db, result]);

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    const first = rows?.[0];
    if (e.key === 'Enter' && first) openFlight(first.flight.id, 'manifest', first.passenger.id);
  }

  return (
    <section className="screen" aria-labelledby="search-title">
      <h1 id="search-title">{s.title}</h1>
      <input
        autoFocus
        className="input-huge"
        placeholder={s.placeholder}
        aria-label={s.placeholder}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKey}
        data-testid="station-search"
      />
      <div className="screen-head">
        <p className="hint grow">{s.hint}</p>
        <label className="check">
          <input
            type="checkbox"
            checked={includeDeparted}
            onChange={(e) => setIncludeDeparted(e.target.checked)}
            data-testid="search-include-departed"
          />
          {s.includeDeparted}
        </label>
      </div>
      {deferred.trim().length >= 2 && rows && rows.length === 0 && <p className="empty">{s.none(deferred)}</p>}
      {rows && rows.length > 0 && (
        <table className="grid grid-rows" data-testid="search-results">
          <thead>
            <tr>
              <th scope="col">{s.columns.name}</th>
              <th scope="col">{s.columns.pnr}</th>
              <th scope="col">{s.columns.flight}</th>
              <th scope="col">{s.columns.departs}</th>
              <th scope="col">{s.columns.seat}</th>
              <th scope="col">{s.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ flight, passenger }: { flight: LocalFlight; passenger: Passenger }) => (
              <tr
                key={passenger.id}
                tabIndex={0}
                onClick={() => openFlight(flight.id, 'manifest', passenger.id)}
                onKeyDown={(e) => e.key === 'Enter' && openFlight(flight.id, 'manifest', passenger.id)}
              >
                <td className="strong">{displayName(passenger)}</td>
                <td className="mono">{passenger.pnr}</td>
                <td className="strong">{flightLabel(flight)}</td>
                <td data-testid="search-departs">
                  <span className="strong">{localDay(flight.std, zone)}</span> {localTime(flight.std, zone)} {zoneLabel(flight.std, zone)} →{' '}
                  {flight.destination}
                  {flight.status === 'departed' && <span className="tag tag-departed">{strings.flightStatus.departed}</span>}
                </td>
                <td>{passenger.seat ?? '—'}</td>
                <td>
                  <StatusTag status={passenger.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.more && <p className="hint">{s.more}</p>}
    </section>
  );
}
