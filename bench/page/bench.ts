/**
 * The benchmark page: the app's own modules (local database, sync engine, write path, search,
 * scan lookup) run in Chromium, timed from bench/run.ts through `window.bench`. Each figure is
 * measured next to a baseline doing the same job the plainest way, in the same page and run.
 */
import { platformTimers } from '../../renderer/sync/timers';
import { systemClock } from '../../shared/clock';
import { encodeBoardingPass } from '../../shared/bcbp/encode';
import type { Passenger } from '../../shared/domain/schemas';
import { aesGcmSealer } from '../../renderer/db/at-rest';
import { installAuditKey } from '../../renderer/db/audit';
import { browserKeys } from '../../renderer/db/keys';
import { openDatabase, installSealer, type BackstopDB, type LocalFlight, type Manifest } from '../../renderer/db/schema';
import { readSyncString, SYNC_KEYS } from '../../renderer/db/sync-state';
import { perform } from '../../renderer/db/write-path';
import { purgeDepartedFlights, purgeUnconfirmedFlights } from '../../renderer/db/purge';
import { lookupScan } from '../../renderer/features/boarding/lookup';
import { queryManifest, DEFAULT_QUERY } from '../../renderer/features/manifest/manifest-query';
import { StationIndex } from '../../renderer/features/search/station-search';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import { WorkerFillWriter } from '../../renderer/sync/fill-worker-client';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse } from '../../shared/protocol/v1';
import { fastSafeParse } from '../../shared/protocol/fast-check';
import { BulkResponse, decodeBulkPage } from '../../shared/protocol/bulk';

const agent = { staffId: 'AG1001', role: 'agent' as const };
const dbs = new Map<string, { db: BackstopDB; engine: SyncEngine }>();

function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function txDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

async function deleteDatabase(name: string): Promise<void> {
  await idbRequest(indexedDB.deleteDatabase(name));
}

/** How a first fill travels: the bulk form (per-flight documents), or the per-change feed it replaced. */
type FillForm = 'bulk' | 'bulk-one-thread' | 'feed';

function station(db: BackstopDB, backendUrl: string, workstation: string, stationCode: string, form: FillForm = 'bulk') {
  const transport = new SyncHttpClient({ baseUrl: backendUrl, timeoutMs: 120_000 });
  return new SyncEngine({
    // As the app's sync worker does: a helper worker takes every other page of a first fill.
    fillHelpers: ({ url, token }) =>
      form === 'bulk-one-thread'
        ? []
        : [
            new WorkerFillWriter(new Worker(new URL('../../renderer/sync/fill-worker.ts', import.meta.url), { type: 'module' }), {
              dbName: db.name,
              keys: null,
              baseUrl: url,
              token,
            }),
          ],
    db,
    transport,
    sources: [{ url: backendUrl, transport }],
    config: {
      ...DEFAULT_ENGINE_CONFIG,
      station: stationCode,
      workstation,
      enrolmentKey: 'backstop-demo',
      autoSchedule: false,
      bulkFill: form !== 'feed',
    },
    emit: () => {},
    clock: systemClock,
    random: Math.random,
    timers: platformTimers,
  });
}

async function allManifests(db: BackstopDB): Promise<{ flights: LocalFlight[]; manifests: Manifest[] }> {
  const [flights, manifests] = await Promise.all([db.flights.toArray(), db.manifests.toArray()]);
  return { flights, manifests };
}

/** Up to `pages` pages of a feed route as the backend answers them (JSON-parsed only), and how many items they hold. */
async function fetchPages<P>(
  backendUrl: string,
  route: string,
  token: string,
  body: object,
  pages: number,
  count: (page: P) => number,
): Promise<{ parsed: P[]; items: number }> {
  const parsed: P[] = [];
  let items = 0;
  let cursor: string | null = null;
  while (parsed.length < pages) {
    const res = await fetch(new URL(route, backendUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify({ ...body, cursor }),
    });
    const page = (await res.json()) as P & { cursor: string; hasMore: boolean };
    parsed.push(page);
    items += count(page);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { parsed, items };
}

/** Each check over the same parsed pages, taking turns run by run, in µs per item; every check must accept every page. */
function alternate<P, K extends string>(
  parsed: P[],
  runs: number,
  items: number,
  checks: Record<K, (page: P) => boolean>,
): Record<K, number[]> {
  const names = Object.keys(checks) as K[];
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const t0 = performance.now();
      for (const page of parsed) if (!checks[name](page)) throw new Error(`${name} refused a page`);
      times[name].push(((performance.now() - t0) * 1000) / items);
    }
  }
  return times;
}

const api = {
  /** Full cache fill, pull + store, into a fresh database (in the bulk form, or from the per-change feed). */
  async fill(name: string, backendUrl: string, stationCode: string, form: FillForm = 'bulk') {
    await dbs.get(name)?.engine.stop();
    dbs.get(name)?.db.close();
    await deleteDatabase(name);
    const db = openDatabase(name, { durability: 'relaxed' });
    const engine = station(db, backendUrl, `BENCH-${name}`, stationCode, form);
    dbs.set(name, { db, engine });
    const t0 = performance.now();
    const result = await engine.syncNow();
    const ms = performance.now() - t0;
    if (result !== 'ok') throw new Error(`fill failed: ${JSON.stringify(engine.currentStatus.lastError) ?? result}`);
    const passengers = (await db.manifests.toArray()).reduce((n, m) => n + m.passengers.length, 0);
    return { ms, flights: await db.flights.count(), passengers, pull: engine.currentStatus.lastPull };
  },

  /**
   * Baseline: the records the fill stored (flights, manifests, search text), read as IndexedDB holds
   * them and written again with the raw IndexedDB API into a fresh database, one relaxed transaction.
   * Beside it, the same flights and manifests with the passengers as objects (how manifests were
   * stored before renderer/db/manifest-form.ts, the baseline of the earlier rounds).
   */
  async rawWrite(name: string) {
    const { db } = dbs.get(name)!;
    const stores = ['flights', 'manifests', 'searchIndex'] as const;
    const held = await idbRequest(indexedDB.open(name));
    const stored = await Promise.all(stores.map((s) => idbRequest(held.transaction(s).objectStore(s).getAll())));
    held.close();
    const asObjects = await allManifests(db);
    const write = async (rawName: string, rows: readonly (readonly unknown[])[], keys: readonly string[]) => {
      await deleteDatabase(rawName);
      const open = indexedDB.open(rawName, 1);
      open.onupgradeneeded = () => stores.forEach((s, i) => open.result.createObjectStore(s, { keyPath: keys[i]! }));
      const raw = await idbRequest(open);
      const t0 = performance.now();
      const tx = raw.transaction([...stores], 'readwrite', { durability: 'relaxed' });
      rows.forEach((list, i) => list.forEach((row) => tx.objectStore(stores[i]!).put(row)));
      await txDone(tx);
      const ms = performance.now() - t0;
      raw.close();
      await deleteDatabase(rawName);
      return ms;
    };
    const keys = ['id', 'flightId', 'flightId'];
    const ms = await write(`${name}-raw`, stored, keys);
    const objectsMs = await write(`${name}-raw-objects`, [asObjects.flights, asObjects.manifests, []], keys);
    return { ms, objectsMs, docs: stored.reduce((n, list) => n + list.length, 0) };
  },

  /** The layout not chosen: one record per passenger with four indexes, same passengers, raw API. */
  async perPassengerWrite(name: string, limit: number) {
    const { db } = dbs.get(name)!;
    const passengers: Passenger[] = [];
    await db.manifests.each((m) => {
      for (const p of m.passengers) if (passengers.length < limit) passengers.push(p);
    });
    const rawName = `${name}-perpax`;
    await deleteDatabase(rawName);
    const open = indexedDB.open(rawName, 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('passengers', { keyPath: 'id' });
      store.createIndex('flightId', 'flightId');
      store.createIndex('lastName', 'lastName');
      store.createIndex('pnr', 'pnr');
      store.createIndex('eticket', 'eticket');
    };
    const raw = await idbRequest(open);
    const t0 = performance.now();
    for (let i = 0; i < passengers.length; i += 5_000) {
      const tx = raw.transaction('passengers', 'readwrite', { durability: 'relaxed' });
      for (const p of passengers.slice(i, i + 5_000)) tx.objectStore('passengers').put(p);
      await txDone(tx);
    }
    const ms = performance.now() - t0;
    raw.close();
    await deleteDatabase(rawName);
    return { ms, records: passengers.length };
  },

  /** Incremental sync of whatever changed on the backend since the last sync. */
  async incremental(name: string) {
    const { engine } = dbs.get(name)!;
    const t0 = performance.now();
    const result = await engine.syncNow();
    const ms = performance.now() - t0;
    if (result !== 'ok') throw new Error(`incremental failed: ${JSON.stringify(engine.currentStatus.lastError) ?? result}`);
    return { ms, pull: engine.currentStatus.lastPull };
  },

  /**
   * What round 2 took out of each incremental cycle, done on the same database right after one: the
   * two retention passes over every flight record (now one, and only when a flight can be due) and
   * the search-index read of every flight the pull touched (now only of flights whose roster changed).
   */
  async removedCycleWork(name: string, flightIds: string[]) {
    const { db } = dbs.get(name)!;
    const t0 = performance.now();
    await purgeDepartedFlights(db, new Date(), DEFAULT_ENGINE_CONFIG.retentionHours);
    await purgeUnconfirmedFlights(db);
    await db.transaction('r', db.searchIndex, () => db.searchIndex.bulkGet([...new Set(flightIds)]));
    return { ms: performance.now() - t0 };
  },

  /** Baseline for incremental: the same kind of request, fetched and parsed only (nothing validated or stored). */
  async pullFloor(backendUrl: string, token: string, clientId: string, stationCode: string, cursor: string | null) {
    const t0 = performance.now();
    let changes = 0;
    let next = cursor;
    for (;;) {
      const res = await fetch(new URL('/v1/sync/pull', backendUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify({ clientId, station: stationCode, cursor: next, maxChanges: 20_000 }),
      });
      const page = (await res.json()) as { changes: unknown[]; cursor: string; hasMore: boolean };
      changes += page.changes.length;
      next = page.cursor;
      if (!page.hasMore) break;
    }
    return { ms: performance.now() - t0, changes, cursor: next };
  },

  /**
   * Validation of real pull pages under the app's CSP (no eval): the compiled fast path
   * (shared/protocol/fast-check.ts) beside zod's own safeParse of the same parsed pages,
   * alternating, in µs per change. Both must accept every page.
   */
  async validation(backendUrl: string, token: string, clientId: string, stationCode: string, pages: number, runs: number) {
    const feed = await fetchPages<{ changes: unknown[] }>(
      backendUrl,
      '/v1/sync/pull',
      token,
      { clientId, station: stationCode, maxChanges: 20_000 },
      pages,
      (p) => p.changes.length,
    );
    const timed = alternate(feed.parsed, runs, feed.items, {
      fast: (p) => fastSafeParse(PullResponse, p).success,
      zod: (p) => PullResponse.safeParse(p).success,
    });
    return { ...timed, changes: feed.items };
  },

  /**
   * Validation of real bulk pages under the app's CSP: checking and rebuilding the passengers
   * (decodeBulkPage, the compiled fast path), the check alone, and zod's own safeParse of the same
   * parsed pages, taking turns, in µs per passenger. All must accept every page.
   */
  async bulkValidation(backendUrl: string, token: string, clientId: string, stationCode: string, pages: number, runs: number) {
    const bulk = await fetchPages<{ flights: { pax: { n: number } }[] }>(
      backendUrl,
      '/v1/sync/bulk',
      token,
      { clientId, station: stationCode, maxFlights: 100 },
      pages,
      (p) => p.flights.reduce((n, f) => n + f.pax.n, 0),
    );
    const timed = alternate(bulk.parsed, runs, bulk.items, {
      fast: (p) => decodeBulkPage(p).ok,
      checkOnly: (p) => fastSafeParse(BulkResponse, p).success,
      zod: (p) => BulkResponse.safeParse(p).success,
    });
    return { ...timed, passengers: bulk.items };
  },

  async credentials(name: string) {
    const { db } = dbs.get(name)!;
    return {
      deviceId: await readSyncString(db, SYNC_KEYS.deviceId),
      token: await readSyncString(db, SYNC_KEYS.token),
      cursor: await readSyncString(db, SYNC_KEYS.cursor),
    };
  },

  /** Opening a manifest: read the flight and its passengers from IndexedDB and sort them for the list. */
  async manifestOpen(name: string, runs: number) {
    const { db } = dbs.get(name)!;
    const ids = (await db.flights.orderBy('id').primaryKeys()).slice(0, runs);
    const times: number[] = [];
    const floor: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const flight = await db.flights.get(id);
      const manifest = await db.manifests.get(id);
      const seatMap = await db.seatMaps.get(flight!.seatMapId);
      queryManifest(manifest!.passengers, DEFAULT_QUERY);
      times.push(performance.now() - t0);
      if (!seatMap) throw new Error('no seat map');
      // Baseline: the one raw IndexedDB get of the same document.
      const raw = await idbRequest(indexedDB.open(name));
      const t1 = performance.now();
      await idbRequest(raw.transaction('manifests').objectStore('manifests').get(id));
      floor.push(performance.now() - t1);
      raw.close();
    }
    const size = (await db.manifests.get(ids[0]!))!.passengers.length;
    return { times, floor, passengers: size };
  },

  /** Station-wide search over the in-memory index, against a naive scan of every passenger object. */
  async search(name: string, queries: string[]) {
    const { db } = dbs.get(name)!;
    const b0 = performance.now();
    const index = StationIndex.build(await db.searchIndex.toArray());
    const buildMs = performance.now() - b0;
    const all: Passenger[] = [];
    await db.manifests.each((m) => {
      for (const p of m.passengers) all.push(p);
    });
    const times: number[] = [];
    const naive: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const t0 = performance.now();
      const result = index.search(q, 50);
      const flights = await db.flights.bulkGet([...new Set(result.hits.map((h) => h.flightId))]);
      times.push(performance.now() - t0);
      hits += result.hits.length;
      if (flights.length === 0 && result.hits.length > 0) throw new Error('hits without flights');
      const Q = q.toUpperCase();
      const t1 = performance.now();
      all.filter((p) => p.lastName.startsWith(Q) || p.pnr === Q || p.eticket.startsWith(Q)).slice(0, 50);
      naive.push(performance.now() - t1);
    }
    return { times, naive, hits, buildMs, indexed: index.size };
  },

  /** Scan-to-board: parse the BCBP, find the passenger, board through the write path (strict durability). */
  async scanToBoard(name: string, count: number) {
    const readDb = dbs.get(name)!.db;
    const strict = openDatabase(name, { durability: 'strict' });
    const flights = await readDb.flights.toArray();
    const candidates: { flight: LocalFlight; pax: Passenger }[] = [];
    for (const flight of flights) {
      if (flight.status !== 'scheduled') continue;
      const manifest = await readDb.manifests.get(flight.id);
      for (const pax of manifest?.passengers ?? []) {
        if (
          pax.status === 'checked-in' &&
          !pax.standby &&
          pax.seat &&
          (pax.vetting === 'cleared' || pax.vetting === 'selectee') &&
          candidates.length < count
        )
          candidates.push({ flight, pax });
      }
      if (candidates.length >= count) break;
    }
    const times: number[] = [];
    const floor: number[] = [];
    for (const { flight, pax } of candidates) {
      const text = encodeBoardingPass({ flight, passenger: pax, issuedOn: flight.date });
      // At the gate the manifest is already on screen (a live query), so the scan starts from it.
      const manifest = await strict.manifests.get(flight.id);
      const t0 = performance.now();
      const found = lookupScan(text, flight, manifest!.passengers, flight.date);
      if (found.kind !== 'found') throw new Error(`scan lookup failed: ${found.kind}`);
      const out = await perform(
        strict,
        agent,
        { type: 'passenger.board', args: { flightId: flight.id, passengerId: found.passenger.id, via: 'scan' } },
        systemClock,
      );
      times.push(performance.now() - t0);
      if (!out.ok) throw new Error(`boarding failed: ${out.message}`);
      // Baseline: the same three writes (manifest, outbox, audit) with no rules, one strict transaction.
      const doc = await strict.manifests.get(flight.id);
      const t1 = performance.now();
      await strict.transaction('rw', [strict.manifests, strict.settings], async () => {
        await strict.manifests.put(doc!);
        await strict.settings.put({ key: 'bench-outbox', value: out.mutation });
        await strict.settings.put({ key: 'bench-audit', value: { summary: 'x', hash: 'y' } });
      });
      floor.push(performance.now() - t1);
    }
    strict.close();
    return { times, floor, count: candidates.length };
  },

  /** Checked-in, seated passengers of open flights, from the local copy: material for boarding. */
  async checkedIn(name: string, count: number, offset: number) {
    const { db } = dbs.get(name)!;
    const out: { flightId: string; passengerId: string }[] = [];
    let skipped = 0;
    const flights = await db.flights.toArray();
    const open = new Set(flights.filter((f) => f.status === 'scheduled').map((f) => f.id));
    await db.manifests.each((m) => {
      if (!open.has(m.flightId)) return;
      for (const p of m.passengers) {
        if (out.length >= count) return;
        if (p.status !== 'checked-in' || p.standby || p.seat === null || !(p.vetting === 'cleared' || p.vetting === 'selectee')) continue;
        if (skipped++ < offset) continue;
        out.push({ flightId: m.flightId, passengerId: p.id });
      }
    });
    return out;
  },

  /** Outbox drain: queue boardings of these passengers, then one sync cycle sends them all. */
  async drain(name: string, targets: { flightId: string; passengerId: string }[]) {
    const { db, engine } = dbs.get(name)!;
    let seq = Number((await db.syncState.get(SYNC_KEYS.nextSeq))?.value ?? 1);
    const at = new Date().toISOString();
    const entries = targets.map((t) => ({
      id: crypto.randomUUID(),
      seq: seq++,
      type: 'passenger.board' as const,
      args: { flightId: t.flightId, passengerId: t.passengerId, via: 'scan' as const },
      at,
      staffId: 'AG1001',
      flightId: t.flightId,
      attempts: 0,
      lastError: null,
    }));
    await db.transaction('rw', db.outbox, db.syncState, async () => {
      await db.outbox.bulkAdd(entries);
      await db.syncState.put({ key: SYNC_KEYS.nextSeq, value: seq });
    });
    const t0 = performance.now();
    const result = await engine.syncNow();
    const ms = performance.now() - t0;
    if (result !== 'ok' || (await db.outbox.count()) > 0)
      throw new Error(`drain failed: ${JSON.stringify(engine.currentStatus.lastError) ?? result}`);
    return { ms, mutations: entries.length, refused: await db.outcomes.where('status').anyOf('rejected', 'conflict').count() };
  },

  /**
   * Seals every database opened from now on at rest (renderer/db/at-rest.ts) and keys the audit
   * chain, as the app does; off again for the plain baseline. The keys are this page's own
   * (renderer/db/keys.ts: a master key wrapped by a non-extractable one, unwrapped into key bytes).
   */
  async encryption(on: boolean) {
    if (!on) {
      installSealer(null);
      installAuditKey(null);
      return;
    }
    const keys = await browserKeys();
    installSealer(aesGcmSealer(keys.data));
    installAuditKey(keys.audit);
  },

  async close(name: string) {
    await dbs.get(name)?.engine.stop();
    dbs.get(name)?.db.close();
    dbs.delete(name);
  },
};

declare global {
  interface Window {
    bench: typeof api;
  }
}

window.bench = api;
document.title = 'Backstop benchmarks (ready)';
