/**
 * The supervisor's seat: a passenger whose watch-list vetting has not come back can be accepted by a
 * supervisor, with a reason that is kept on the passenger and reaches the backend; an agent cannot,
 * and an inhibited passenger cannot fly whoever asks.
 */
import { expect, test, type Page } from '@playwright/test';
import { displayName } from '../shared/domain/rules';
import type { Passenger } from '../shared/domain/schemas';
import { freeSeats, openFlights } from '../tests/support/server-harness';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { openFlight, selectPassenger } from '../tests/support/e2e-ui';

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 6 });
});
test.afterAll(async () => stack.close());

async function openCheckIn(page: Page, p: Passenger) {
  await selectPassenger(page, p);
  await page.getByTestId('tab-checkin').click();
}

test('a supervisor accepts a passenger whose vetting is pending, with a reason; an agent cannot; an inhibited passenger cannot fly', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const before = (await stack.observe()).replica;
  const candidates = openFlights(before).map((f) => {
    const list = before.passengers(f.id).filter((p) => p.status === 'booked' && p.paxType === 'ADT' && p.infantId === null);
    return { f, pending: list.find((p) => p.vetting === 'pending'), inhibited: list.find((p) => p.vetting === 'inhibited') };
  });
  const pick = candidates.find((c) => c.pending && c.inhibited)!;
  expect(pick, 'an open flight with a pending and an inhibited passenger').toBeDefined();
  const { f } = pick;
  const pending = pick.pending!;
  const inhibited = pick.inhibited!;
  const seat = freeSeats(before, f, pending.cabin)[0]!;

  // An agent is told to wait, or to call a supervisor; there is nothing to override with.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await agent.goto(stack.ui.url);
  await expect(agent.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(agent, 'AG1001');
  await openFlight(agent, f);
  await openCheckIn(agent, pending);
  await expect(agent.getByTestId('checkin-precheck')).toContainText('has no vetting clearance yet');
  await expect(agent.getByTestId('checkin-precheck')).toContainText('a supervisor accepts with a reason');
  await expect(agent.getByTestId('vetting-override')).toHaveCount(0);
  await expect(agent.getByTestId('checkin-submit')).toBeDisabled();
  await agentContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, 'SU9001');
  await openFlight(page, f);

  // Inhibited: said plainly, and no override, even for a supervisor.
  await openCheckIn(page, inhibited);
  await expect(page.getByTestId('checkin-precheck')).toContainText('cannot fly');
  await expect(page.getByTestId('vetting-override')).toHaveCount(0);
  await expect(page.getByTestId('checkin-submit')).toBeDisabled();

  // Pending: the supervisor gives the reason, and the check-in goes through with it.
  await openCheckIn(page, pending);
  await expect(page.getByTestId('checkin-submit')).toBeDisabled();
  await page.getByTestId('vetting-override').fill('Vetting link down; passport checked against the watch list by phone');
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByTestId('bags-input').fill('0');
  await page.getByTestId('docs-check').check();
  await screenshot(page, 'supervisor-vetting-override');
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('feedback').first()).toContainText(`${displayName(pending)} checked in: seat ${seat}`);
  await page.getByTestId('tab-manifest').click();
  await page.getByTestId(`pax-${pending.id}`).click();
  await expect(page.getByTestId('passenger-panel')).toContainText('accepted by supervisor SU9001');

  // The backend has the acceptance, the override with who and why, and nothing left to review.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 60_000 });
  const after = (await stack.observe()).replica;
  expect(after.passenger(pending.id)).toMatchObject({
    status: 'checked-in',
    seat,
    vettingOverride: { by: 'SU9001', reason: 'Vetting link down; passport checked against the watch list by phone' },
  });
  expect(after.passenger(pending.id).flags).toBeUndefined();
  expect(after.passenger(inhibited.id).status).toBe('booked');
  expect(problems).toEqual([]);
});
