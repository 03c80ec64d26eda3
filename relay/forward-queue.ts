/**
 * The relay's queue of desk actions owed to central (table relay_forward, relay/schema.ts).
 *
 * Every action a desk pushes is decided by the relay's backend code (server/sync/push.ts) and, in
 * the same nested transaction as its result, appended here (`journal`): so an action is either
 * decided and queued, or neither, whenever the relay dies. Its place in the queue, `up_seq`, is the
 * relay's own seq upstream, fixed once: after a crash the same actions go up under the same seqs
 * and ids, and central answers them from its log instead of applying them again.
 *
 * Central's answer replaces the relay's in the relay's log (`recordAnswer`), so a desk asking again
 * gets the authority's word. Every call here runs inside a write transaction of the relay's store
 * (the store's one connection: better-sqlite3 is synchronous, so these statements join it).
 */
import type { Db } from '../server/db/database';
import type { MutationLogRow } from '../server/store/store';
import { MutationResult } from '../shared/protocol/v1';

export interface QueuedAction {
  upSeq: number;
  mutationId: string;
  /** The envelope as the desk sent it (its own seq inside; replaced by up_seq on the way up). */
  mutation: string;
}

export interface CentralAnswer {
  upSeq: number;
  mutationId: string;
  /** Central's result for it (its seq is central's view of the relay's seq). */
  result: MutationResult;
}

/** The flight a mutation envelope names, if any (print jobs of no flight, unreadable actions: none). */
function flightOf(mutationJson: string): string | null {
  const parsed: unknown = JSON.parse(mutationJson);
  if (typeof parsed !== 'object' || parsed === null) return null;
  const args = (parsed as { args?: unknown }).args;
  if (typeof args !== 'object' || args === null) return null;
  const flightId = (args as { flightId?: unknown }).flightId;
  return typeof flightId === 'string' ? flightId : null;
}

export class ForwardQueue {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      append: db.prepare<[string, string | null, string]>(
        `INSERT INTO relay_forward (up_seq, mutation_id, flight_id, mutation)
         VALUES ((SELECT coalesce(max(up_seq), 0) + 1 FROM relay_forward), ?, ?, ?)
         ON CONFLICT (mutation_id) DO NOTHING`,
      ),
      open: db.prepare<[number], { upSeq: number; mutationId: string; mutation: string }>(
        `SELECT up_seq AS upSeq, mutation_id AS mutationId, mutation FROM relay_forward
         WHERE result IS NULL ORDER BY up_seq LIMIT ?`,
      ),
      lastUpSeq: db.prepare<[], { n: number | null }>('SELECT max(up_seq) AS n FROM relay_forward'),
      openCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM relay_forward WHERE result IS NULL'),
      answer: db.prepare<[string, string, number]>(
        'UPDATE relay_forward SET result = ?, answered_at = ? WHERE up_seq = ? AND result IS NULL',
      ),
      logRows: db.prepare<[string], { deviceId: string; seq: number }>('SELECT device_id AS deviceId, seq FROM mutation_log WHERE id = ?'),
      passDown: db.prepare<[string, string, string | null, string, string]>(
        'UPDATE mutation_log SET result = ?, status = ?, code = ? WHERE device_id = ? AND id = ?',
      ),
      unsettled: db.prepare<[], { mutationId: string; flightId: string | null }>(
        `SELECT mutation_id AS mutationId, flight_id AS flightId FROM relay_forward
         WHERE result IS NOT NULL AND settled = 0 ORDER BY up_seq`,
      ),
      settle: db.prepare<[string]>('UPDATE relay_forward SET settled = 1 WHERE mutation_id = ?'),
      // A desk's first action central has not answered: everything before it is final.
      firstOpenOf: db.prepare<[string], { seq: number | null }>(
        `SELECT min(l.seq) AS seq FROM mutation_log l JOIN relay_forward f ON f.mutation_id = l.id
         WHERE l.device_id = ? AND f.result IS NULL`,
      ),
      lastSeq: db.prepare<[string], { seq: number }>('SELECT last_seq AS seq FROM device WHERE id = ?'),
    };
  }

  /**
   * Queues a decided desk action (PushOptions.journal), in the transaction that decided it. A
   * STALE_CLIENT refusal never reached the rules (the desk's queue was out of step with the relay),
   * so there is nothing to forward; an action seen before under another enrolment is queued once.
   */
  journal(row: MutationLogRow): boolean {
    if (row.code === 'STALE_CLIENT') return false;
    return this.s.append.run(row.id, flightOf(row.mutation), row.mutation).changes > 0;
  }

  /** The oldest actions central has not answered, in the relay's order. */
  open(limit: number): QueuedAction[] {
    return this.s.open.all(limit);
  }

  /** The last place in the queue handed out (0 when empty). */
  lastUpSeq(): number {
    return this.s.lastUpSeq.get()?.n ?? 0;
  }

  openCount(): number {
    return this.s.openCount.get()?.n ?? 0;
  }

  /**
   * Central's answers: kept, and passed down — each desk that sent the action (one, or the same
   * desk under two enrolments) now gets central's answer under its own id and seq.
   */
  recordAnswers(answers: readonly CentralAnswer[], nowIso: string): void {
    for (const a of answers) {
      if (this.s.answer.run(JSON.stringify(a.result), nowIso, a.upSeq).changes === 0) continue;
      for (const row of this.s.logRows.all(a.mutationId)) {
        const forDesk = MutationResult.parse({ ...a.result, id: a.mutationId, seq: row.seq });
        const code = 'code' in forDesk ? forDesk.code : null;
        this.s.passDown.run(JSON.stringify(forDesk), forDesk.status, code, row.deviceId, a.mutationId);
      }
    }
  }

  /** Answered actions whose facts the relay's ledgers still hold on their own (see Mirror). */
  unsettled(): { mutationId: string; flightId: string | null }[] {
    return this.s.unsettled.all();
  }

  settle(mutationId: string): void {
    this.s.settle.run(mutationId);
  }

  /**
   * The highest seq of a desk up to which central has answered every one of its actions: pushed
   * again, those get central's answer, which is final (PullResponse.relay.confirmedSeq).
   */
  confirmedSeq(deviceId: string): number {
    const open = this.s.firstOpenOf.get(deviceId)?.seq;
    if (open !== null && open !== undefined) return open - 1;
    return this.s.lastSeq.get(deviceId)?.seq ?? 0;
  }
}
