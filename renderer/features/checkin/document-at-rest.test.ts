/**
 * A travel document read at the desk is stored with the rest of the passenger data, encrypted at
 * rest (renderer/db/at-rest.ts): on disk neither the document number nor the birth date can be read,
 * in the manifest, the outbox or the audit trail; the app reads it back plain.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { TravelDocument } from '../../../shared/domain/schemas';
import { A320, FIXTURE_NOW, fixtureClock, flight, passenger } from '../../../tests/support/fixtures';
import { lease, seedFlight } from '../../../tests/support/memory-db';
import { aesGcmSealer } from '../../db/at-rest';
import { browserKeys } from '../../db/keys';
import { openDatabase, type BackstopDB } from '../../db/schema';
import { checkIn, perform } from '../../db/write-path';

const F = flight({ apis: true });
const opened: BackstopDB[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const passport = (number: string, birthDate: string): TravelDocument => ({
  type: 'P',
  format: 'TD3',
  number,
  issuingState: 'NGA',
  nationality: 'NGA',
  lastName: 'OKONKWO',
  firstName: 'ADAEZE',
  birthDate,
  expiryDate: '2031-05-17',
  sex: 'F',
  source: 'typed',
  nameMismatch: false,
  recordedAt: FIXTURE_NOW,
  recordedBy: 'AG1001',
});

describe('travel documents at rest', () => {
  it('are sealed on disk with the passenger, in the outbox and in the audit trail, and read back plain', async () => {
    const factory = new IDBFactory();
    const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
    const sealed = openDatabase('backstop-docs', { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(keys.data) });
    const raw = openDatabase('backstop-docs', { indexedDB: factory, IDBKeyRange, sealer: null });
    opened.push(sealed, raw);
    await seedFlight(sealed, {
      flight: F,
      seatMap: A320,
      passengers: [passenger({ id: 'PAX1', lastName: 'OKONKWO', firstName: 'ADAEZE' })],
      leases: [lease(F.id, 100, 120)],
    });
    const agent = { staffId: 'AG1001', role: 'agent' as const };
    const args = { flightId: F.id, passengerId: 'PAX1', seat: '10C', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false };
    expect(await checkIn(sealed, agent, { ...args, document: passport('A07731946', '1979-10-23') }, fixtureClock)).toMatchObject({
      ok: true,
    });
    // Read again at the gate: a new passport.
    const again = await perform(
      sealed,
      agent,
      { type: 'passenger.recordDocument', args: { flightId: F.id, passengerId: 'PAX1', document: passport('B55120983', '1979-10-23') } },
      fixtureClock,
    );
    expect(again.ok).toBe(true);

    expect((await sealed.manifests.get(F.id))!.passengers[0]!.document).toMatchObject({ number: 'B55120983', birthDate: '1979-10-23' });
    expect((await sealed.audit.toArray()).map((a) => a.summary).join()).toContain('A07731946');
    const disk = JSON.stringify(await Promise.all(['manifests', 'outbox', 'audit', 'searchIndex'].map((t) => raw.table(t).toArray())));
    for (const secret of ['A07731946', 'B55120983', '1979-10-23', '791023']) expect(disk).not.toContain(secret);
  });
});
