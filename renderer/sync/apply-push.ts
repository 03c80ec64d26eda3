/**
 * Applies the backend's answers to a pushed batch in one transaction: resolved actions leave the
 * outbox, refused ones are kept as outcomes for the reconciliation screen, and every flight they
 * touched is rebased so the screen shows the backend's decision without waiting for the next pull.
 */
import type { Mutation } from '../../shared/domain/mutations';
import { passengerIdOf } from '../../shared/domain/describe';
import { mergePassengers, replay, type FlightView } from '../../shared/domain/replay';
import type { MutationResult, PushResponse } from '../../shared/protocol/v1';
import { actorsFor, rebaseFlight, toMutation } from '../db/flight-store';
import type { BackstopDB, SyncOutcome } from '../db/schema';

export interface PushStats {
  applied: number;
  duplicate: number;
  rejected: number;
  conflict: number;
  deferred: number;
}

export async function applyPushResults(db: BackstopDB, response: PushResponse, decidedAt: string): Promise<PushStats> {
  const stats: PushStats = { applied: 0, duplicate: 0, rejected: 0, conflict: 0, deferred: 0 };
  await db.transaction('rw', [db.outbox, db.outcomes, db.flights, db.manifests, db.seatMaps, db.leases, db.staff], async () => {
    const results = [...response.results].sort((a, b) => a.seq - b.seq);
    const entries = await db.outbox.bulkGet(results.map((r) => r.seq));
    const bases = new Map<string, FlightView | null>();
    const resolved: number[] = [];
    const outcomes: SyncOutcome[] = [];
    for (const [i, result] of results.entries()) {
      const entry = entries[i];
      if (!entry || entry.id !== result.id) continue; // already resolved by an earlier answer
      stats[result.status] += 1;
      if (result.status === 'deferred') {
        await db.outbox.update(result.seq, { attempts: entry.attempts + 1, lastError: result.message, state: 'pending' });
        continue;
      }
      const m = toMutation(entry);
      if (entry.flightId) {
        if (!bases.has(entry.flightId)) bases.set(entry.flightId, (await db.manifests.get(entry.flightId))?.base ?? null);
        const base = bases.get(entry.flightId);
        if (base) bases.set(entry.flightId, await moveBase(db, base, m, result));
      }
      if (result.status !== 'applied') {
        outcomes.push({
          id: m.id,
          seq: m.seq,
          type: m.type,
          flightId: entry.flightId,
          passengerId: passengerIdOf(m),
          status: result.status,
          code: result.code,
          message: result.message,
          server: result.status === 'conflict' ? result.server : null,
          at: m.at,
          staffId: m.staffId,
          decidedAt,
          // A duplicate means the backend already had the effect: worth keeping, not worth an alarm.
          acknowledged: result.status === 'duplicate' ? 1 : 0,
        });
      }
      resolved.push(result.seq);
    }
    await db.outbox.bulkDelete(resolved);
    await db.outcomes.bulkPut(outcomes);
    for (const [flightId, base] of bases) {
      if (!base) continue;
      const [flight, manifest] = await Promise.all([db.flights.get(flightId), db.manifests.get(flightId)]);
      if (flight && manifest) await rebaseFlight(db, flight, manifest, base);
    }
  });
  return stats;
}

/** The backend state under our pending actions, as this answer tells us it now is. */
async function moveBase(db: BackstopDB, base: FlightView, m: Mutation, result: MutationResult): Promise<FlightView> {
  switch (result.status) {
    case 'applied':
    case 'duplicate': {
      // The backend has the effect now; put it into the base so nothing flickers before the next pull.
      const seatMap = await db.seatMaps.get(base.flight.seatMapId);
      if (!seatMap) return base;
      return replay(base, seatMap, [m], await actorsFor(db, base.flight.id, [m])).view;
    }
    case 'conflict':
      return { flight: result.server.flight ?? base.flight, passengers: mergePassengers(base.passengers, result.server.passengers) };
    default:
      return base;
  }
}
