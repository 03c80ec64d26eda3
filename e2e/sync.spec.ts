/**
 * The sync engine in the real app, in Chromium with real IndexedDB: only one window syncs at a
 * time (Web Locks), and actions taken while the network drops, truncates and fails requests each
 * reach the backend exactly once.
 */
import { expect, test } from '@playwright/test';
import type { Fault } from '../tests/support/fault-proxy';
import { boardsByScan } from '../tests/support/e2e-ui';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 8 });
});
test.afterAll(async () => stack.close());

test('a second window does not sync while the first holds the sync lock', async ({ context }) => {
  const first = await context.newPage();
  await first.goto(stack.ui.url);
  await expect(first.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  // Hold the lock the sync workers take, as a window in the middle of a long sync would.
  await first.evaluate(() => {
    void navigator.locks.request(
      'backstop-sync',
      () => new Promise<void>((release) => ((window as unknown as { releaseSync: () => void }).releaseSync = release)),
    );
  });
  const second = await context.newPage();
  await second.goto(stack.ui.url);
  await signIn(second);
  await second.getByRole('button', { name: 'Sync now' }).click();
  await expect(second.getByTestId('other-window')).toBeVisible({ timeout: 20_000 });
  await first.evaluate(() => (window as unknown as { releaseSync: () => void }).releaseSync());
  await second.getByRole('button', { name: 'Sync now' }).click();
  await expect(second.getByTestId('other-window')).toBeHidden({ timeout: 20_000 });
});

test('boardings made while the network misbehaves reach the backend exactly once', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);

  const before = (await stack.observe()).replica;
  const flight = before.flights().find((f) => f.status === 'scheduled' && before.passengers(f.id).filter(boardsByScan).length >= 6)!;
  const pax = before.passengers(flight.id).filter(boardsByScan).slice(0, 6);

  // Every sync request now fails in turn: dropped after the backend saw it, truncated, 500, dropped, slow.
  const faults: Fault[] = ['drop-after', 'truncate', 'error-500', 'drop', 'delay', 'drop-after'];
  let n = 0;
  stack.proxy.setFaults((path) => (path.startsWith('/v1/sync/') ? faults[n++ % faults.length]! : 'pass'));

  await page.getByTestId('flight-filter').fill(`${flight.carrier}${flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await page.getByTestId('tab-boarding').click();
  for (const p of pax) {
    await page.getByTestId('gate-input').fill(String(p.seqNo));
    await page.getByTestId('gate-input').press('Enter');
    await expect(page.getByTestId('gate-title')).toContainText('BOARDED');
    await expect(page.getByTestId('gate-result')).toContainText(p.lastName);
    await page.getByRole('button', { name: 'Sync now' }).click();
  }
  await screenshot(page, 'boarding-through-faults');

  stack.online();
  await expect(async () => {
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  expect(stack.proxy.log.filter((l) => l.fault === 'drop-after').length).toBeGreaterThan(0);

  const after = (await stack.observe()).replica;
  for (const p of pax) expect(after.passenger(p.id)).toMatchObject({ status: 'boarded', boardedBy: 'AG1001' });
  // Nothing came back refused: answers to re-sent actions were their original "applied".
  await page.getByRole('button', { name: 'Sync & reconcile' }).click();
  await expect(page.getByText('No action was refused or changed by the backend.')).toBeVisible();
  expect(problems).toEqual([]);
});
