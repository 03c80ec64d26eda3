/**
 * The backend's database goes back to an older copy while a gate keeps boarding, in the real app
 * (Chromium, real IndexedDB, the journal sealed at rest): the desk finds out by itself, sends back
 * the boardings the copy lost, and the backend ends with every one of them, once.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../server/app';
import { openSqlite } from '../server/db/driver';
import { clockStartingAt } from '../shared/clock';
import type { Passenger } from '../shared/domain/schemas';
import { E2E_ADMIN_TOKEN, E2E_NOW, screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { boardsByScan } from '../tests/support/e2e-ui';
import { inspectDatabase } from '../tests/support/server-harness';

let stack: Stack;
/** The backend after its restart on the same address (the stack's own one is closed by then). */
let restarted: RunningServer | null = null;
test.beforeAll(async () => {
  stack = await startStack({ flights: 8 });
});
test.afterAll(async () => {
  await restarted?.close();
  await stack.close();
});

test('boardings the backend acknowledged after its nightly copy reach it again, once, when the copy is put back', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);

  const before = (await stack.observe()).replica;
  const flight = before.flights().find((f) => f.status === 'scheduled' && before.passengers(f.id).filter(boardsByScan).length >= 3)!;
  const [a, b, c] = before.passengers(flight.id).filter(boardsByScan);
  await page.getByTestId('flight-filter').fill(`${flight.carrier}${flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await page.getByTestId('tab-boarding').click();

  const board = async (p: Passenger) => {
    await page.getByTestId('gate-input').fill(String(p.seqNo));
    await page.getByTestId('gate-input').press('Enter');
    await expect(page.getByTestId('gate-result')).toContainText(p.lastName);
  };
  const synced = () =>
    expect(async () => {
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect(page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });

  await board(a!);
  await synced();
  // The nightly copy, taken the way SQLite's own backup takes a live database.
  const dataDir = path.dirname(stack.server.dbFile);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-copy-')), 'copy.db');
  const live = openSqlite(stack.server.dbFile);
  live.exec(`VACUUM INTO '${copy}'`);
  live.close();

  await board(b!);
  await board(c!);
  await synced();

  // The backend is stopped, the copy put back, and it starts again where it was.
  const port = Number(new URL(stack.server.url).port);
  await stack.server.close();
  for (const f of [stack.server.dbFile, `${stack.server.dbFile}-wal`, `${stack.server.dbFile}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(copy, stack.server.dbFile);
  const now = process.env.BACKSTOP_E2E_NOW === 'real' ? undefined : process.env.BACKSTOP_E2E_NOW || E2E_NOW;
  restarted = await startServer({
    dataDir,
    port,
    flights: 8,
    seed: 5,
    logLevel: 'silent',
    adminToken: E2E_ADMIN_TOKEN,
    ...(now ? { now: clockStartingAt(now) } : {}),
  });
  // This process's pooled connections to the stopped backend are gone: the first request may need a second try.
  const observe = async () => {
    let seen: Awaited<ReturnType<Stack['observe']>> | null = null;
    await expect(async () => void (seen = await stack.observe())).toPass({ timeout: 10_000 });
    return seen!.replica;
  };
  expect((await observe()).passenger(b!.id).status).toBe('checked-in');

  // The agent only presses "Sync now", as after any outage.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await synced();
  await page.getByRole('button', { name: 'Sync & reconcile' }).click();
  await expect(page.getByText('No action was refused or changed by the backend.')).toBeVisible();
  await screenshot(page, 'restored-backend-reconciled');

  const after = await observe();
  for (const p of [a!, b!, c!]) expect(after.passenger(p.id)).toMatchObject({ status: 'boarded', boardedBy: 'AG1001' });
  const probe = await inspectDatabase({ dataDir, databaseUrl: null });
  try {
    const rows = await probe.all<{ n: number }>(
      "SELECT count(*) AS n FROM mutation_log WHERE type = 'passenger.board' AND status = 'applied' GROUP BY json_extract(mutation, '$.args.passengerId')",
    );
    expect(rows.map((r) => r.n)).toEqual([1, 1, 1]);
  } finally {
    await probe.close();
  }
  expect(problems).toEqual([]);
});
