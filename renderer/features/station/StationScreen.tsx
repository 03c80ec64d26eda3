import { useLiveQuery } from 'dexie-react-hooks';
import { flightLabel } from '../../../shared/domain/rules';
import { localTime } from '../../../shared/time';
import { useServices } from '../../services';
import { strings } from '../../strings';

export function StationScreen() {
  const { db, info } = useServices();
  const station = useLiveQuery(() => db.stations.get(info.station), [db, info.station]);
  const flights = useLiveQuery(() => db.flights.where('origin').equals(info.station).sortBy('std'), [db, info.station]);
  const timeZone = station?.timeZone ?? 'UTC';
  const s = strings.station;
  return (
    <section aria-labelledby="station-title" className="screen">
      <h1 id="station-title">{s.title(info.station)}</h1>
      {flights && flights.length === 0 && (
        <div className="empty" role="status">
          <p className="empty-title">{s.empty}</p>
          <p>{s.emptyHint(info.backendUrl)}</p>
        </div>
      )}
      {flights && flights.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{s.columns.time}</th>
              <th scope="col">{s.columns.flight}</th>
              <th scope="col">{s.columns.to}</th>
              <th scope="col">{s.columns.gate}</th>
              <th scope="col">{s.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {flights.map((f) => (
              <tr key={f.id}>
                <td>{localTime(f.std, timeZone)}</td>
                <td>{flightLabel(f)}</td>
                <td>{f.destination}</td>
                <td>{f.gate ?? '—'}</td>
                <td>{f.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
