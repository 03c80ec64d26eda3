/**
 * Retention: flights that departed long enough ago are removed from the local copy, unless this
 * workstation still has actions on them waiting to sync (those are never thrown away).
 */
import type { BackstopDB } from './schema';

export async function purgeDepartedFlights(db: BackstopDB, now: Date, retentionHours: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000).toISOString();
  return db.transaction('rw', [db.flights, db.manifests, db.searchIndex, db.leases, db.outbox], async () => {
    const old = await db.flights.where('std').below(cutoff).toArray();
    const purged: string[] = [];
    for (const f of old) {
      if ((f.etd ?? f.std) >= cutoff) continue;
      if ((await db.outbox.where('flightId').equals(f.id).count()) > 0) continue;
      await Promise.all([
        db.flights.delete(f.id),
        db.manifests.delete(f.id),
        db.searchIndex.delete(f.id),
        db.leases.where('flightId').equals(f.id).delete(),
      ]);
      purged.push(f.id);
    }
    return purged;
  });
}
