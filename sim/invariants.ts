/**
 * What must hold at the end of every run, after every fault is healed and the workstations had time
 * to sync on their own schedule:
 *
 *   fact-lost        every action committed at a desk (its audit entry is the proof) was recorded by
 *                    the backend (applied, or recorded as changing nothing), and its answer never changed
 *   souls-on-board   each flight's boarded passengers on the backend are exactly the people the
 *                    simulation saw walk through the gate (and stay on)
 *   boarded-twice    no passenger appears twice on a list, and no seat holds two boarded passengers
 *   seq-unique       no sequence number belongs to two accepted passengers of a flight
 *   convergence      every workstation shows exactly what the backend holds
 *   audit-chain      every workstation's hash-chained audit log verifies
 *   outbox-stuck     no workstation still has actions waiting
 *
 * The world adds what it sees as it happens (a sequence number handed out twice).
 */
import { verifyAuditChain } from '../renderer/db/audit';
import { domainFlight } from '../renderer/db/flight-store';
import type { Flight, Passenger } from '../shared/domain/schemas';
import type { MutationResult } from '../shared/protocol/v1';
import type { Replica } from '../tests/support/server-harness';
import type { PushAnswerLog } from './network';
import type { World } from './world';
import type { SimWorkstation } from './workstation';

export const INVARIANTS = [
  'fact-lost',
  'souls-on-board',
  'boarded-twice',
  'seq-unique',
  'convergence',
  'audit-chain',
  'outbox-stuck',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  detail: string;
}

/** Every answer the backend gave to each pushed mutation id (also the ones lost on the way back). */
export class AnswerLog implements PushAnswerLog {
  readonly byId = new Map<string, { ws: string; statuses: string[]; first: MutationResult }>();
  readonly counts = new Map<string, number>();
  /** Doubts about who did an action, as the backend reported them with its answers (shared/domain/identity.ts). */
  readonly identity = new Map<string, number>();
  record(ws: string, result: MutationResult): void {
    const sig = signature(result);
    this.counts.set(sig, (this.counts.get(sig) ?? 0) + 1);
    if ('identity' in result) for (const f of result.identity ?? []) this.identity.set(f, (this.identity.get(f) ?? 0) + 1);
    if (result.status === 'deferred') return;
    const seen = this.byId.get(result.id);
    if (!seen) this.byId.set(result.id, { ws, statuses: [sig], first: result });
    else if (!seen.statuses.includes(sig)) seen.statuses.push(sig);
  }
  /** A supervisor confirmed a held action online: its answer now. */
  confirmed(result: MutationResult): void {
    const seen = this.byId.get(result.id);
    const sig = signature(result);
    this.counts.set(`confirmed: ${sig}`, (this.counts.get(`confirmed: ${sig}`) ?? 0) + 1);
    if (seen && !seen.statuses.includes(sig)) seen.statuses.push(sig);
  }
}

/** Held for a supervisor's confirmation: not refused for good. */
const HELD = 'held for a supervisor';

function signature(r: MutationResult): string {
  if (r.status === 'rejected' && r.held) return HELD;
  return r.status === 'applied' || r.status === 'deferred' ? r.status : `${r.status} ${r.code}`;
}

/** Key order does not matter; everything else does. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function firstDifference(a: Passenger, b: Passenger): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const x = canonical((a as Record<string, unknown>)[k]);
    const y = canonical((b as Record<string, unknown>)[k]);
    if (x !== y) return `${k}: ${x} ≠ ${y}`;
  }
  return 'same';
}

export async function finalChecks(input: {
  workstations: readonly SimWorkstation[];
  backend: Replica;
  world: World;
  answers: AnswerLog;
  nowMs: number;
  retentionHours: number;
}): Promise<Violation[]> {
  const { workstations, backend, world, answers } = input;
  const out: Violation[] = [];
  const add = (invariant: Invariant, detail: string) => out.push({ invariant, detail });

  for (const v of world.violations) add(v.invariant as Invariant, v.detail);

  // Outboxes, audit chains and the facts the audit logs prove were committed.
  const committed = new Map<string, { ws: string; action: string; flightId: string | null; at: string }>();
  for (const ws of workstations) {
    const pending = await ws.db.outbox.toArray();
    if (pending.length > 0) {
      const why = [...new Set(pending.map((e) => e.lastError ?? 'never tried'))].join(', ');
      add('outbox-stuck', `${ws.name}: ${pending.length} actions still waiting (${why})`);
    }
    const chain = await verifyAuditChain(ws.db);
    if (!chain.ok) add('audit-chain', `${ws.name}: broken at entry ${chain.brokenAt}: ${chain.reason}`);
    await ws.db.audit.each((e) => {
      if (e.mutationId) committed.set(e.mutationId, { ws: ws.name, action: e.action, flightId: e.flightId, at: e.at });
    });
  }
  const pendingIds = new Set<string>();
  for (const ws of workstations) for (const e of await ws.db.outbox.toArray()) pendingIds.add(e.id);
  for (const [id, c] of [...committed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const answer = answers.byId.get(id);
    if (!answer) {
      if (!pendingIds.has(id)) add('fact-lost', `${c.ws} ${c.action} ${c.flightId ?? ''} at ${c.at}: never answered by the backend`);
      continue;
    }
    // Held for a supervisor, then confirmed: the answer that counts is the confirmation's.
    const [first, ...others] = answer.statuses.filter((x) => x !== HELD);
    if (first === undefined) {
      add('fact-lost', `${c.ws} ${c.action} ${c.flightId ?? ''} at ${c.at}: held for a supervisor and never confirmed`);
      continue;
    }
    if (first !== 'applied' && !first.startsWith('duplicate')) {
      add('fact-lost', `${c.ws} ${c.action} ${c.flightId ?? ''} at ${c.at}: the backend answered ${first}`);
    }
    if (others.length > 0)
      add('fact-lost', `${c.ws} ${c.action} at ${c.at}: the backend's answer changed (${answer.statuses.join(' → ')})`);
  }

  // The backend's flights and passengers.
  const flights = new Map(backend.flights().map((f) => [f.id, f]));
  const byFlight = new Map<string, Passenger[]>();
  for (const p of backend.passengers()) {
    const list = byFlight.get(p.flightId) ?? [];
    list.push(p);
    byFlight.set(p.flightId, list);
  }

  // Souls on board against the physical truth.
  for (const [flightId, aboard] of world.aboard()) {
    const onRecord = new Set((byFlight.get(flightId) ?? []).filter((p) => p.status === 'boarded').map((p) => p.id));
    const missing = [...aboard].filter((id) => !onRecord.has(id)).sort();
    const extra = [...onRecord].filter((id) => !aboard.has(id)).sort();
    if (missing.length > 0 || extra.length > 0) {
      const status = (id: string) => (byFlight.get(flightId) ?? []).find((p) => p.id === id)?.status ?? 'absent';
      add(
        'souls-on-board',
        `${flightId}: ${onRecord.size} on record, ${aboard.size} on board` +
          (missing.length ? `; on board but not on record: ${missing.map((id) => `${id} (${status(id)})`).join(', ')}` : '') +
          (extra.length ? `; on record but not on board: ${extra.join(', ')}` : ''),
      );
    }
  }

  // Boarded twice, sequence numbers.
  for (const [flightId, list] of [...byFlight].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ids = new Set<string>();
    const seats = new Map<string, string>();
    const seqs = new Map<number, string>();
    for (const p of list) {
      if (ids.has(p.id)) add('boarded-twice', `${flightId}: ${p.id} is on the list twice`);
      ids.add(p.id);
      if (p.status === 'boarded' && p.seat !== null) {
        const other = seats.get(p.seat);
        if (other) add('boarded-twice', `${flightId}: ${other} and ${p.id} both boarded in ${p.seat}`);
        seats.set(p.seat, p.id);
      }
      if ((p.status === 'checked-in' || p.status === 'boarded') && p.seqNo !== null) {
        const other = seqs.get(p.seqNo);
        if (other) add('seq-unique', `${flightId}: ${other} and ${p.id} both hold sequence number ${p.seqNo}`);
        seqs.set(p.seqNo, p.id);
      }
    }
  }

  // Every workstation shows what the backend holds.
  const retentionCutoff = input.nowMs - input.retentionHours * 3_600_000;
  for (const ws of workstations) {
    const local = await ws.db.flights.toArray();
    const localIds = new Set(local.map((f) => f.id));
    const problems: string[] = [];
    for (const lf of local.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const bf: Flight | undefined = flights.get(lf.id);
      if (!bf) {
        problems.push(`${lf.id} is not on the backend`);
        continue;
      }
      if (canonical(domainFlight(lf)) !== canonical(bf)) problems.push(`${lf.id}: flight record differs`);
      const manifest = await ws.db.manifests.get(lf.id);
      if (manifest?.base) problems.push(`${lf.id}: still has a base under pending actions`);
      const mine = new Map((manifest?.passengers ?? []).map((p) => [p.id, p]));
      const theirs = byFlight.get(lf.id) ?? [];
      for (const p of theirs) {
        const m = mine.get(p.id);
        if (!m) problems.push(`${lf.id}: ${p.id} missing`);
        else if (canonical(m) !== canonical(p)) problems.push(`${lf.id}: ${p.id} differs (${firstDifference(m, p)})`);
        mine.delete(p.id);
      }
      for (const id of mine.keys()) problems.push(`${lf.id}: ${id} not on the backend`);
    }
    for (const bf of flights.values()) {
      if (!localIds.has(bf.id) && Date.parse(bf.etd ?? bf.std) >= retentionCutoff) problems.push(`${bf.id} missing`);
    }
    if (problems.length > 0) {
      add(
        'convergence',
        `${ws.name}: ${problems.length} differences: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? '; …' : ''}`,
      );
    }
  }
  return out;
}
