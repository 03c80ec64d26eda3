/**
 * Manifests stored compactly: a flight's passengers are kept on disk as one JSON text of columns
 * (the bulk form's, shared/protocol/bulk.ts) instead of an array of passenger objects. IndexedDB
 * copies a string at memory speed, where it walks every key of every passenger object; a hub's
 * first fill stores ~300,000 passengers, and reading a manifest back is cheaper too. Everything
 * above this middleware (the write path, live queries, Dexie's cache) sees Passenger arrays.
 *
 * Stored `passengers` is either that text or, for a record written before (or one the columns
 * cannot hold exactly: columnsHold), the array as it was; both read back the same way. The sealing
 * middleware (at-rest.ts) sits below this one and seals whichever it is.
 */
import type { DBCore, Middleware } from 'dexie';
import { columnsHold, fromColumns, storedColumns, toColumns, type PassengerColumns } from '../../shared/protocol/bulk';
import type { Passenger } from '../../shared/domain/schemas';
import { codecTable } from './row-codec';
import type { Manifest } from './schema';

type Row = Record<string, unknown>;

/** The passengers as stored: the columns' text, or the array itself when columns would not give it back exactly. */
export function storedPassengers(flightId: string, passengers: readonly Passenger[]): string | readonly Passenger[] {
  return columnsHold(flightId, passengers) ? JSON.stringify(toColumns(passengers)) : passengers;
}

/** The passengers of a stored manifest; throws when the stored text is not what this app writes. */
export function loadedPassengers(flightId: string, stored: unknown): Passenger[] {
  if (typeof stored !== 'string') return stored as Passenger[];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    throw new Error(`manifest ${flightId}: its stored passengers are not readable (damaged record)`);
  }
  return fromColumns(flightId, storedColumns(value));
}

/** Stored forms made ahead of their put (precodeManifests), by the app's record. */
const precoded = new WeakMap<object, Row>();

function storeRow(row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  const early = precoded.get(row);
  if (early) return early;
  const { flightId, passengers } = row as Row;
  if (typeof flightId !== 'string' || !Array.isArray(passengers)) return row;
  return { ...(row as Row), passengers: storedPassengers(flightId, passengers as Passenger[]) };
}

function loadRow(row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  const { flightId, passengers } = row as Row;
  if (typeof passengers !== 'string') return row;
  return { ...(row as Row), passengers: loadedPassengers(String(flightId), passengers) };
}

/**
 * The stored form of a manifest about to be put, made now (on this thread, before its transaction)
 * and used by the middleware for this very object, which must not change before it is put. A first
 * fill makes its new flights' records this way (the stored row is what at-rest.ts seals ahead), from
 * the columns it received when it has them: `columns` must be what the passengers were built from
 * (fromColumns), so that the text of the columns is their stored form as it is.
 */
export function precodeManifest(row: Manifest, columns?: PassengerColumns): object {
  let stored = precoded.get(row);
  if (!stored) {
    stored = columns && columns.n === row.passengers.length ? { ...row, passengers: JSON.stringify(columns) } : (storeRow(row) as Row);
    precoded.set(row, stored);
  }
  return stored;
}

/** The middleware: above sealing (which then seals the compact text), below Dexie's own layers. */
export function manifestFormMiddleware(): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'manifest-form',
    level: -5,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName);
        return tableName === 'manifests' ? codecTable(table, { store: storeRow, load: loadRow }) : table;
      },
    }),
  };
}
