/**
 * The ledgers of flights desks have acted on, in SQLite: each flight's base (its state as the DCS
 * left it, before the first recorded action) and every recorded action. The entity rows the change
 * feed serves are these folded by shared/domain/ledger.ts, so the backend ends in the same state
 * whatever order workstations reconnect in.
 */
import type { Statement } from 'better-sqlite3';
import type { Fact } from '../../shared/domain/ledger';
import type { Mutation } from '../../shared/domain/mutations';
import type { FlightView } from '../../shared/domain/replay';
import type { Db } from '../db/database';

export class LedgerStore {
  private readonly selectBase: Statement<[string], { view: string }>;
  private readonly upsertBase: Statement<[string, string, string]>;
  private readonly selectFacts: Statement<[string], { origin: string; mutation: string }>;
  private readonly insertFact: Statement<[string, string, string, string]>;

  constructor(db: Db) {
    this.selectBase = db.prepare('SELECT view FROM ledger_base WHERE flight_id = ?');
    this.upsertBase = db.prepare(
      'INSERT INTO ledger_base (flight_id, station, view) VALUES (?, ?, ?) ON CONFLICT (flight_id) DO UPDATE SET view = excluded.view',
    );
    this.selectFacts = db.prepare('SELECT origin, mutation FROM ledger_fact WHERE flight_id = ?');
    this.insertFact = db.prepare('INSERT OR IGNORE INTO ledger_fact (flight_id, mutation_id, origin, mutation) VALUES (?, ?, ?, ?)');
  }

  /** The flight's base, or null while no desk has acted on it (its entity rows are then the DCS state). */
  base(flightId: string): FlightView | null {
    const row = this.selectBase.get(flightId);
    // Our own JSON, written from parsed values by this module.
    return row ? (JSON.parse(row.view) as FlightView) : null;
  }

  saveBase(station: string, view: FlightView): void {
    this.upsertBase.run(view.flight.id, station, JSON.stringify(view));
  }

  facts(flightId: string): Fact[] {
    return this.selectFacts.all(flightId).map((r) => ({ origin: r.origin, mutation: JSON.parse(r.mutation) as Mutation }));
  }

  addFact(flightId: string, fact: Fact): void {
    this.insertFact.run(flightId, fact.mutation.id, fact.origin, JSON.stringify(fact.mutation));
  }
}
