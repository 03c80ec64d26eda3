import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectFastAccepts, hostile, hostileRounds, paths, sameVerdict, setAt, type Json } from '../../tests/support/hostile';
import { SeededRandom } from '../../tests/support/random';
import { startTestServer, Workstation, type TestServer } from '../../tests/support/server-harness';
import { Passenger } from '../domain/schemas';
import { compileCheck, fastSafeParse } from './fast-check';
import { PullResponse, PushResponse, type Change } from './v1';

let server: TestServer;
/** Real pull pages of a real backend: station, seat maps, flights, passengers (bags, documents), staff, leases. */
let pages: unknown[];

beforeAll(async () => {
  server = await startTestServer({ flights: 6 });
  const ws = await Workstation.enrol(server.url);
  pages = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await ws.pull(cursor, { maxChanges: 150 });
    pages.push(JSON.parse(page.raw.text));
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
});
afterAll(() => server.cleanup());

function firstPassenger(): unknown {
  const changes = (pages as { changes: { kind: string; data?: unknown }[] }[]).flatMap((p) => p.changes);
  return changes.find((c) => c.kind === 'passenger')?.data;
}

describe('the compiled fast path', () => {
  it('compiles the pull answer and accepts every real page as it is, without zod', () => {
    expect(pages.length).toBeGreaterThan(3);
    expectFastAccepts(PullResponse, pages);
    const kinds = new Set(pages.flatMap((p) => (p as { changes: Change[] }).changes.map((c) => c.kind)));
    expect([...kinds].sort()).toEqual(['flight', 'lease', 'passenger', 'seatMap', 'staff', 'station', 'tagLease']);
  });

  it('gives the same verdict, output and issues as zod on thousands of hostile changes', () => {
    const random = new SeededRandom(17);
    const changes = pages.flatMap((p) => (p as { changes: Change[] }).changes);
    const page = pages[0] as { changes: Change[] };
    const { tried, rejected } = hostileRounds(
      PullResponse,
      random,
      1_200,
      () => random.pick(changes),
      (change) => ({ ...page, changes: [change] }),
    );
    // Most of these are invalid, and some are valid (a null where null is allowed): both sides are exercised.
    expect(tried).toBeGreaterThan(10_000);
    expect(rejected).toBeGreaterThan(tried / 2);
    expect(rejected).toBeLessThan(tried);
  });

  it('leaves objects with keys zod strips to zod, so the output is still zod’s', () => {
    const input = { ...(firstPassenger() as Record<string, Json>), unexpected: 'x' };
    expect(compileCheck(Passenger)!(input)).toBe(false);
    const parsed = fastSafeParse(Passenger, input);
    expect(parsed.success && 'unexpected' in parsed.data).toBe(false);
  });

  it('falls back to zod for what it does not compile (transforms, defaults, catch-alls) with zod’s answers', () => {
    const schemas: z.ZodType[] = [
      z.object({ name: z.string().trim().min(1) }),
      z.object({ n: z.number().default(3) }),
      z.looseObject({ id: z.string() }),
      z.string().transform((s) => s.length),
    ];
    for (const schema of schemas) expect(compileCheck(schema)).toBeNull();
    sameVerdict(schemas[0]!, { name: '  ANNA ' });
    expect(fastSafeParse(schemas[0]!, { name: '  ANNA ' })).toEqual({ success: true, data: { name: 'ANNA' } });
    sameVerdict(schemas[1]!, {});
    sameVerdict(schemas[2]!, { id: 'a', extra: 1 });
    sameVerdict(schemas[3]!, 'abc');
  });

  it('gives zod’s verdicts on push answers too (unions, uuids, nested server state)', () => {
    const random = new SeededRandom(7);
    const passenger: unknown = firstPassenger();
    const answer = {
      protocol: 1,
      results: [
        { id: '6f1c2b9e-8a3d-4e5f-9a7b-1c2d3e4f5a6b', seq: 1, status: 'applied' },
        { id: '6f1c2b9e-8a3d-4e5f-9a7b-1c2d3e4f5a6c', seq: 2, status: 'rejected', code: 'SEAT_TAKEN', message: 'taken' },
        {
          id: '6f1c2b9e-8a3d-4e5f-9a7b-1c2d3e4f5a6d',
          seq: 3,
          status: 'conflict',
          code: 'SEAT_TAKEN',
          message: 'x',
          server: { flight: null, passengers: [passenger] },
        },
      ],
      lastSeq: 3,
    };
    sameVerdict(PushResponse, answer);
    for (const path of paths(answer))
      for (const replacement of hostile(
        path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], answer),
        random,
      )) {
        sameVerdict(PushResponse, setAt(answer, path, replacement));
      }
  });
});
