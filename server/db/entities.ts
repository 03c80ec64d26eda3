/**
 * Synced entities as both stores keep them. One table, `entity`, is at once the current state and
 * the change feed: a row holds the latest change of one entity as one station sees it — the complete
 * protocol Change as JSON text, built here — and its `version`, rewritten on every change. A pull page
 * is a range scan of `(station, version > cursor)` that the database concatenates into one buffer: no
 * row is parsed or re-stringified. Deletes keep the row as a tombstone (`live` 0) so that workstations
 * which already hold the entity learn that it is gone.
 *
 * Versions are taken inside the write transaction, and the write transactions of one station are
 * serialised (server/store/store.ts), so versions of a station are in commit order: a reader can never
 * see version N+1 committed while N is still in flight.
 */
import type { EntityKind, EntityOf } from '../../shared/protocol/v1';
import type { Links } from '../store/store';

export type { Links, Writer } from '../store/store';

/** One entity row as written: what both stores insert or upsert. */
export interface EntityRow {
  version: number;
  station: string;
  kind: EntityKind;
  id: string;
  flightId: string | null;
  deviceId: string | null;
  live: boolean;
  size: number;
  change: string;
}

/** A station is keyed by its code; every other entity has an id. */
export function entityId<K extends EntityKind>(data: EntityOf<K>): string {
  return 'id' in data ? data.id : data.code;
}

export function putRow<K extends EntityKind>(version: number, kind: K, station: string, data: EntityOf<K>, links: Links = {}): EntityRow {
  const id = entityId(data);
  const change = `{"op":"put","kind":"${kind}","id":${JSON.stringify(id)},"version":${version},"data":${JSON.stringify(data)}}`;
  return row(version, station, kind, id, links, true, change);
}

export function removeRow(version: number, kind: EntityKind, station: string, id: string, links: Links = {}): EntityRow {
  // Passengers and leases name their flight, so a workstation can drop them without a search.
  const flight = links.flightId && (kind === 'passenger' || kind === 'lease') ? `,"flightId":${JSON.stringify(links.flightId)}` : '';
  const change = `{"op":"delete","kind":"${kind}","id":${JSON.stringify(id)},"version":${version}${flight}}`;
  return row(version, station, kind, id, links, false, change);
}

function row(version: number, station: string, kind: EntityKind, id: string, links: Links, live: boolean, change: string): EntityRow {
  return {
    version,
    station,
    kind,
    id,
    flightId: links.flightId ?? null,
    deviceId: links.deviceId ?? null,
    live,
    size: Buffer.byteLength(change),
    change,
  };
}

/** The flight a write concerns, for generations: a flight itself, or what a passenger or lease links to. */
export function flightOfWrite(kind: EntityKind, id: string, links: Links = {}): string | null {
  return kind === 'flight' ? id : (links.flightId ?? null);
}

/** The entity of a stored live change text: `…,"data":<entity>}`. */
export function dataOf<T>(change: string): T {
  // Our own JSON, written from parsed values by this module: trusted, not re-validated per read.
  return (JSON.parse(change) as { data: T }).data;
}

/** Per-flight write counters of this process (see Tx.generation). */
export class Generations {
  private readonly counts = new Map<string, number>();
  /** Bumped when another process may have written (PostgreSQL): every cached flight is then suspect. */
  private foreign = 0;

  touch(flightId: string | null): void {
    if (flightId) this.counts.set(flightId, (this.counts.get(flightId) ?? 0) + 1);
  }

  touchAll(): void {
    this.foreign++;
  }

  of(flightId: string): string {
    return `${this.foreign}.${this.counts.get(flightId) ?? 0}`;
  }
}
