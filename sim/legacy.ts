/**
 * `--legacy-refusals`: the backend as it was before "Field truth wins". It decided every pushed
 * action with the strict desk rules (shared/domain/apply.ts) against its own current state and
 * refused what clashed — a check-in whose seat another desk had taken meanwhile, and then that
 * passenger's boarding (not checked in), a close-out after the flight closed elsewhere… — so a
 * passenger who walked through a gate could end up "booked" on the backend, and every desk then
 * showed them so.
 *
 * The reference backend of today records facts in its ledger instead, and this simulation must not
 * change server/. So the old semantics are put in front of it, as a gate on the push route: each
 * pushed mutation is judged strictly against the backend's current state (read through the
 * observer); an accepted one goes through unchanged; a refused one is replaced, under the same id
 * and sequence number, by an inert action (a logged test-page print with no flight), so the
 * backend's per-workstation order and idempotency stay intact while the fact itself never reaches
 * the ledger — and the desk gets the refusal it would have got then. A mutation sent again gets the
 * same verdict again.
 */
import { applyMutation } from '../shared/domain/apply';
import type { Mutation } from '../shared/domain/mutations';
import type { Passenger, SeatMap, Staff } from '../shared/domain/schemas';
import { PROTOCOL_VERSION, type MutationResult } from '../shared/protocol/v1';
import type { InjectAnswer, InjectRequest, Observer } from './backend';

export class LegacyRefusals {
  private readonly verdicts = new Map<string, MutationResult>();
  refused = 0;

  constructor(private readonly observer: Observer) {}

  async push(request: InjectRequest, inject: (r: InjectRequest) => Promise<InjectAnswer>): Promise<InjectAnswer> {
    let body: { clientId: string; mutations: Mutation[] };
    try {
      body = JSON.parse(request.payload ?? '') as { clientId: string; mutations: Mutation[] };
    } catch {
      return inject(request);
    }
    if (!Array.isArray(body.mutations)) return inject(request);
    const results: MutationResult[] = [];
    let lastSeq = 0;
    for (const m of [...body.mutations].sort((a, b) => a.seq - b.seq)) {
      const verdict = this.verdicts.get(m.id) ?? (await this.judge(m));
      const sent = verdict ? inert(m) : m;
      const answer = await inject({ ...request, payload: JSON.stringify({ clientId: body.clientId, mutations: [sent] }) });
      if (answer.status !== 200) return answer;
      const parsed = JSON.parse(answer.body) as { results: MutationResult[]; lastSeq: number };
      const result = parsed.results[0]!;
      lastSeq = parsed.lastSeq;
      if (verdict && (result.status === 'applied' || result.status === 'duplicate')) {
        this.verdicts.set(m.id, verdict);
        results.push({ ...verdict, seq: m.seq });
      } else {
        results.push(result);
      }
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: PROTOCOL_VERSION, results, lastSeq }),
    };
  }

  /** The old verdict: null when the strict rules take the action, else the refusal. */
  private async judge(m: Mutation): Promise<MutationResult | null> {
    if (m.type === 'print.logged' || m.args.flightId === null) return null;
    await this.observer.sync();
    const replica = this.observer.replica;
    const flight = replica.flights().find((f) => f.id === m.args.flightId);
    const seatMap = flight && replica.of<SeatMap>('seatMap').find((s) => s.id === flight.seatMapId);
    if (!flight || !seatMap) return null;
    const passengers: Passenger[] = replica.passengers(flight.id);
    const role = replica.of<Staff>('staff').find((s) => s.id === m.staffId)?.role ?? 'agent';
    // The sequence-number lease check is the backend's own business; the clash rules are what mattered.
    const outcome = applyMutation({ flight, seatMap, passengers }, m, { staffId: m.staffId, role, leases: [{ from: 1, to: 9999 }] });
    if (outcome.kind === 'applied' || outcome.kind === 'duplicate') return null;
    this.refused += 1;
    if (outcome.kind === 'rejected') return { id: m.id, seq: m.seq, status: 'rejected', code: outcome.code, message: outcome.message };
    const pid = 'passengerId' in m.args ? m.args.passengerId : null;
    const pax = passengers.find((p) => p.id === pid);
    const involved = passengers.filter((p) => p.id === pid || (pax?.infantId !== null && p.id === pax?.infantId));
    return {
      id: m.id,
      seq: m.seq,
      status: 'conflict',
      code: outcome.code,
      message: outcome.message,
      server: { flight, passengers: involved },
    };
  }
}

/** Something the backend records without touching any flight: the old refusal's place in the queue. */
function inert(m: Mutation): Mutation {
  return {
    id: m.id,
    seq: m.seq,
    at: m.at,
    staffId: m.staffId,
    type: 'print.logged',
    args: {
      printJobId: `legacy-refused-${m.id}`,
      document: 'test-page',
      flightId: null,
      passengerId: null,
      copies: 1,
      destination: 'legacy refusal',
      reprint: false,
    },
  };
}
