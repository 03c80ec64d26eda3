/**
 * Property tests of the ledger on random outages: 2–4 desks, each working one flight alone with the
 * strict desk rules, their facts then arriving at the backend in random orders and batches.
 * Seeds are fixed, so a failure names its seed and replays exactly.
 */
import { describe, expect, it } from 'vitest';
import { generateOutage, onBoard, roleOf, type Outage } from '../../tests/support/outage-scenario';
import { SeededRandom } from '../../tests/support/random';
import { headcount } from './headcount';
import { foldLedger, type Fact } from './ledger';
import { holdsSeat } from './rules';
import type { Passenger } from './schemas';

const SEEDS = Array.from({ length: 150 }, (_, i) => 1000 + i);

function fold(outage: Outage, facts: readonly Fact[]) {
  return foldLedger({ base: outage.base, seatMap: outage.seatMap, facts, roleOf });
}

/** Per-desk order kept (a desk's actions reach the backend in its own order), desks interleaved at random. */
function interleave(rng: SeededRandom, outage: Outage): Fact[] {
  const queues = outage.desks.map((d) => [...d.facts]);
  const out: Fact[] = [];
  while (queues.some((q) => q.length > 0)) out.push(rng.pick(queues.filter((q) => q.length > 0)).shift()!);
  return out;
}

/** The same facts folded batch by batch, each batch over the state the previous ones left (as a backend would receive them). */
function inBatches(rng: SeededRandom, outage: Outage, facts: Fact[]) {
  let seen: Fact[] = [];
  let result = fold(outage, []);
  for (let i = 0; i < facts.length;) {
    const size = rng.int(1, 6);
    seen = [...seen, ...facts.slice(i, i + size)];
    result = fold(outage, seen);
    i += size;
  }
  return result;
}

const withoutFlags = (p: Passenger) => {
  const { flags: _f, ...rest } = p;
  return rest;
};

describe('the ledger on random outages', () => {
  it.each(SEEDS)('seed %i: every reconnect order and batching converges to one state', (seed) => {
    const rng = new SeededRandom(seed);
    const outage = generateOutage(rng, { desks: rng.int(2, 4), actions: rng.int(5, 30) });
    const reference = fold(outage, outage.facts);
    for (let k = 0; k < 4; k++) {
      const order = interleave(rng, outage);
      expect(inBatches(rng, outage, order).view, `seed ${seed}, order ${k}`).toEqual(reference.view);
    }
  });

  it.each(SEEDS)('seed %i: souls on board equal the passengers physically on board, and no fact is lost', (seed) => {
    const rng = new SeededRandom(seed);
    const outage = generateOutage(rng, { desks: rng.int(2, 4), actions: rng.int(5, 30) });
    const { view, outcomes } = fold(outage, outage.facts);
    const aboard = onBoard(outage);
    expect(new Set(view.passengers.filter((p) => p.status === 'boarded').map((p) => p.id)), `seed ${seed}`).toEqual(aboard);
    expect(headcount(view.passengers).soulsOnBoard).toBe(aboard.size);
    // Facts are never rejected for a clash: every fact a desk recorded is in the ledger.
    expect([...outcomes.values()].filter((o) => o.kind === 'rejected')).toEqual([]);
    expect(outcomes.size).toBe(outage.facts.length);
  });

  it.each(SEEDS)('seed %i: claims end unique — one passenger per seat, one sequence number per passenger', (seed) => {
    const rng = new SeededRandom(seed);
    const outage = generateOutage(rng, { desks: rng.int(2, 4), actions: rng.int(5, 30) });
    const { view } = fold(outage, outage.facts);
    const seats = view.passengers.filter(holdsSeat).map((p) => p.seat);
    expect(new Set(seats).size, `seed ${seed}: ${seats.join(' ')}`).toBe(seats.length);
    const travelling = view.passengers.filter((p) => p.status === 'checked-in' || p.status === 'boarded');
    for (const p of travelling) expect(p.seqNo, `seed ${seed}: ${p.id}`).not.toBeNull();
    const seqs = travelling.map((p) => p.seqNo);
    expect(new Set(seqs).size).toBe(seqs.length);
    // Whoever lost a seat is told, with a free seat to offer when there is one.
    for (const p of travelling.filter((x) => x.paxType !== 'INF' && x.seat === null && !x.standby)) {
      expect(
        p.flags?.some((f) => f.code === 'RESEAT'),
        `seed ${seed}: ${p.id}`,
      ).toBe(true);
    }
  });

  it.each(SEEDS.slice(0, 60))('seed %i: one desk alone ends exactly where its own strict rules put it', (seed) => {
    const rng = new SeededRandom(seed);
    const outage = generateOutage(rng, { desks: 1, actions: rng.int(5, 40) });
    const desk = outage.desks[0]!;
    const { view } = fold(outage, outage.facts);
    expect(view.passengers.map(withoutFlags), `seed ${seed}`).toEqual(desk.view.passengers.map(withoutFlags));
    expect(view.flight.status).toBe(desk.view.flight.status);
  });
});
