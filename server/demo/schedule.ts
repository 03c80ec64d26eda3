/**
 * The demo timetable: departures every few minutes between 06:00 and 23:00 local over the window,
 * unique flight numbers (widebodies get the low ones), routes and aircraft that fit each other.
 */
import type { AircraftType } from '../../shared/domain/schemas';
import { HOUR, MINUTE, type Resolved } from './options';
import { routesFrom, type Airport } from './places';
import { Random } from './random';

export interface FlightPlan {
  index: number;
  number: string;
  stdMs: number;
  delayMin: number;
  dest: Airport;
  aircraftType: AircraftType;
}

/** Departure slots every 5 minutes in the window, with no departures at night (23:00–06:00 local). */
function slots(r: Resolved): number[] {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone: r.station.timeZone, hour: 'numeric', hourCycle: 'h23' });
  const out: number[] = [];
  for (let t = r.nowMs - 2 * HOUR + 5 * MINUTE; t <= r.nowMs + 36 * HOUR; t += 5 * MINUTE) {
    const h = Number(hour.format(new Date(t)));
    if (h >= 6 && h < 23) out.push(t);
  }
  return out;
}

export function plan(r: Resolved): FlightPlan[] {
  const rng = new Random(`${r.seed}:schedule:${r.station.code}`);
  const times = slots(r);
  const routes = routesFrom(r.station.code);
  // Narrowbodies cannot carry a forced load above ~175; then every flight is a widebody.
  const widebodyOnly = r.paxPerFlight !== null && r.paxPerFlight > 175;
  const longPool = rng.shuffle(Array.from({ length: 299 }, (_, i) => i + 1));
  const shortPool = rng.shuffle(Array.from({ length: 2700 }, (_, i) => i + 300));
  let overflow = 3000;
  const plans: FlightPlan[] = [];
  // A demo should show every stage of a departure whatever the time of day: the first flights are
  // pinned to just departed, gate closed and boarding; the rest spread over the window.
  const pinned = r.flights >= 8 ? [-75, 10, 25] : [];
  const spread = r.flights - pinned.length;
  for (let index = 0; index < r.flights; index++) {
    const pin = pinned[index];
    const k = index - pinned.length;
    const slot =
      pin !== undefined
        ? r.nowMs + pin * MINUTE
        : (times[Math.min(times.length - 1, Math.floor(((k + rng.next()) * times.length) / spread))] ?? r.nowMs);
    const long = widebodyOnly || rng.chance(0.22);
    const dest = rng.pick(long ? routes.long : routes.short);
    const aircraftType: AircraftType = long ? 'B789' : rng.chance(0.6) ? 'A320' : 'B738';
    const n = (long ? longPool.pop() : shortPool.pop()) ?? overflow++;
    const delayMin = rng.chance(0.07) && pin === undefined ? rng.int(2, 18) * 5 : 0;
    plans.push({ index, number: String(n), stdMs: slot, delayMin, dest, aircraftType });
  }
  return plans;
}
