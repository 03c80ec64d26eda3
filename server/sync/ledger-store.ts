/**
 * The ledgers of flights desks have acted on, in whichever store holds the backend's data: each
 * flight's base (its state as the DCS left it, before the first recorded action) and every recorded
 * action. The entity rows the change feed serves are these folded by shared/domain/ledger.ts, so the
 * backend ends in the same state whatever order workstations reconnect in. Both stores have the
 * tables `ledger_base` and `ledger_fact`; this module is their JSON on either.
 */
import type { Fact } from '../../shared/domain/ledger';
import type { Mutation } from '../../shared/domain/mutations';
import type { FlightView } from '../../shared/domain/replay';
import type { Tx } from '../store/store';

export class LedgerStore {
  /** The flight's base, or null while no desk has acted on it (its entity rows are then the DCS state). */
  async base(tx: Tx, flightId: string): Promise<FlightView | null> {
    const view = await tx.ledgerBase(flightId);
    // Our own JSON, written from parsed values by this module.
    return view === null ? null : (JSON.parse(view) as FlightView);
  }

  saveBase(tx: Tx, station: string, view: FlightView): void {
    tx.saveLedgerBase(view.flight.id, station, JSON.stringify(view));
  }

  async facts(tx: Tx, flightId: string): Promise<Fact[]> {
    return (await tx.ledgerFacts(flightId)).map((r) => ({ origin: r.origin, mutation: JSON.parse(r.mutation) as Mutation }));
  }

  addFact(tx: Tx, flightId: string, fact: Fact): void {
    tx.addLedgerFact(flightId, fact.mutation.id, fact.origin, JSON.stringify(fact.mutation));
  }
}
