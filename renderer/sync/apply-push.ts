/**
 * Applies the backend's answers to a pushed batch in one transaction: resolved actions leave the
 * outbox, refused ones are kept as outcomes for the reconciliation screen, and every flight they
 * touched is rebased so the screen shows the backend's decision without waiting for the next pull.
 *
 * A station relay's answer is provisional: the action stays in the outbox, marked as held by the
 * relay, until central's answer comes back through it (sources.ts); the screen shows the relay's
 * decision meanwhile. Answers are matched to actions by id: the seq on the wire is the backend's.
 *
 * A settled action is copied to the journal (renderer/db/journal.ts) with the seq it was answered
 * under, so it can be sent again if the backend's database goes back to an older copy.
 */
import type { Mutation } from '../../shared/domain/mutations';
import { passengerIdOf } from '../../shared/domain/describe';
import { mergePassengers, type FlightView } from '../../shared/domain/replay';
import type { MutationResult, PushResponse } from '../../shared/protocol/v1';
import { foldPending, rebaseFlight, toMutation } from '../db/flight-store';
import { journalEntry, pruneJournal } from '../db/journal';
import type { BackstopDB, JournalEntry, SyncOutcome } from '../db/schema';

export interface PushStats {
  applied: number;
  duplicate: number;
  rejected: number;
  conflict: number;
  deferred: number;
}

/** Where the answers come from. */
export interface AnswerSource {
  /** A station relay (its URL): its answers are provisional, except for the actions in `final`. */
  relay: string | null;
  /** Actions whose answer is central's, passed down by the relay: they settle. */
  final: ReadonlySet<string>;
  /** Which backend answered (its URL) and our enrolment there: settled actions are journaled under them. Absent: not journaled. */
  journal?: { source: string; deviceId: string };
}

const FROM_CENTRAL: AnswerSource = { relay: null, final: new Set() };

export async function applyPushResults(
  db: BackstopDB,
  response: PushResponse,
  decidedAt: string,
  from: AnswerSource = FROM_CENTRAL,
): Promise<PushStats> {
  const stats: PushStats = { applied: 0, duplicate: 0, rejected: 0, conflict: 0, deferred: 0 };
  await db.transaction(
    'rw',
    [db.outbox, db.outcomes, db.flights, db.manifests, db.seatMaps, db.leases, db.staff, db.syncState, db.journal],
    async () => {
      const results = [...response.results].sort((a, b) => a.seq - b.seq);
      const byId = new Map(
        (
          await db.outbox
            .where('id')
            .anyOf(results.map((r) => r.id))
            .toArray()
        ).map((e) => [e.id, e]),
      );
      const bases = new Map<string, FlightView | null>();
      const resolved: number[] = [];
      const held: { seq: number; wireSeq: number }[] = [];
      const outcomes: SyncOutcome[] = [];
      const journaled: JournalEntry[] = [];
      const alreadyDecided = new Set(
        (
          await db.outcomes
            .where('id')
            .anyOf([...byId.values()].filter((e) => e.resent).map((e) => e.id))
            .primaryKeys()
        ).map(String),
      );
      for (const result of results) {
        const entry = byId.get(result.id);
        if (!entry) continue; // already resolved by an earlier answer
        stats[result.status] += 1;
        if (result.status === 'deferred') {
          await db.outbox.update(entry.seq, { attempts: entry.attempts + 1, lastError: result.code });
          continue;
        }
        const m = toMutation(entry);
        // An action a relay answered before is in the base already: central's later word changes it through pulls.
        if (entry.flightId && !entry.relayed) {
          if (!bases.has(entry.flightId)) bases.set(entry.flightId, (await db.manifests.get(entry.flightId))?.base ?? null);
          const base = bases.get(entry.flightId);
          if (base) bases.set(entry.flightId, await moveBase(db, base, m, result));
        }
        // Refused, or recorded with something left for a person (a seat lost, a pass void): the sync screen lists it.
        const flagged = result.status === 'applied' && (result.flags?.length ?? 0) > 0;
        // Sent again after a restore, answered as before: the reconciliation screen has it already (maybe acknowledged).
        if ((result.status !== 'applied' || flagged) && !alreadyDecided.has(entry.id)) {
          outcomes.push({
            id: m.id,
            seq: m.seq,
            type: m.type,
            flightId: entry.flightId,
            passengerId: passengerIdOf(m),
            status: result.status,
            code: result.status === 'applied' ? null : result.code,
            message: result.status === 'applied' ? null : result.message,
            flags: result.status === 'applied' ? (result.flags ?? []) : [],
            server: result.status === 'conflict' ? result.server : result.status === 'applied' ? (result.server ?? null) : null,
            at: m.at,
            staffId: m.staffId,
            decidedAt,
            // A duplicate means the backend already had the effect, and a flagged fact stands (its flags are on
            // the passenger, in the list of what needs a person): worth keeping, not worth an alarm.
            acknowledged: result.status === 'duplicate' || flagged ? 1 : 0,
          });
        }
        if (from.relay !== null && !from.final.has(entry.id)) held.push({ seq: entry.seq, wireSeq: result.seq });
        else {
          resolved.push(entry.seq);
          if (from.journal) journaled.push(journalEntry(entry, { ...from.journal, wireSeq: result.seq, ackedAt: decidedAt }));
        }
      }
      await db.outbox.bulkDelete(resolved);
      if (journaled.length > 0) {
        await db.journal.bulkPut(journaled);
        await pruneJournal(db, Date.parse(decidedAt));
      }
      for (const h of held) await db.outbox.update(h.seq, { relayed: { source: from.relay!, wireSeq: h.wireSeq }, lastError: null });
      await db.outcomes.bulkPut(outcomes);
      for (const [flightId, base] of bases) {
        if (!base) continue;
        const [flight, manifest] = await Promise.all([db.flights.get(flightId), db.manifests.get(flightId)]);
        if (flight && manifest) await rebaseFlight(db, flight, manifest, base);
      }
    },
  );
  return stats;
}

/** The backend state under our pending actions, as this answer tells us it now is. */
async function moveBase(db: BackstopDB, base: FlightView, m: Mutation, result: MutationResult): Promise<FlightView> {
  switch (result.status) {
    case 'applied':
    case 'duplicate': {
      // The backend has the fact now; record it in the base so nothing flickers before the next pull,
      // and take the backend's word for what it led to when the answer carries it.
      const seatMap = await db.seatMaps.get(base.flight.seatMapId);
      const recorded = seatMap ? await foldPending(db, base, seatMap, [m]) : base;
      const server = result.status === 'applied' ? result.server : undefined;
      return server
        ? { flight: server.flight ?? recorded.flight, passengers: mergePassengers(recorded.passengers, server.passengers) }
        : recorded;
    }
    case 'conflict':
      return { flight: result.server.flight ?? base.flight, passengers: mergePassengers(base.passengers, result.server.passengers) };
    default:
      return base;
  }
}
