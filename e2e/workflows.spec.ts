/**
 * An outage at the gate, end to end in Chromium: the workstation syncs, the backend becomes
 * unreachable, and the agent keeps departing a flight with Backstop alone — check-in with seat and
 * boarding pass, scan-to-board with a real BCBP string, double-scan refusal, wrong-flight scan,
 * offload, headcount, close. When the network returns, everything reaches the backend.
 */
import { expect, test } from '@playwright/test';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import { headcount } from '../shared/domain/headcount';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { bookable, freeSeats, openFlights } from '../tests/support/server-harness';
import { localPassengers, outboxCount } from '../tests/support/e2e-local-db';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { printedPasses, scan, selectPassenger, weighBags } from '../tests/support/e2e-ui';

// Alone: its scans are timed keystrokes (a keyboard wedge), so no other spec runs beside it (the
// exclusive lock, as in scanner.spec.ts); a busy neighbour could split a scan into typing.
test.describe.configure({ lock: '-exclusive-' });

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 10 });
});
test.afterAll(async () => stack.close());

test('an agent departs a flight through an outage, and the backend gets every action afterwards', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);
  await expect(page.getByRole('heading', { name: /Departures LHR/ })).toBeVisible();
  await screenshot(page, 'departures');

  const before = (await stack.observe()).replica;
  // A flight with no one accepted and not yet boarded: at close, only what this test did is waiting.
  const flight: Flight = openFlights(before).find(
    (f) => bookable(before, f.id).length >= 3 && before.passengers(f.id).every((p) => p.status !== 'checked-in'),
  )!;
  const [alice, bob] = bookable(before, flight.id) as [Passenger, Passenger];
  const [seatA, seatB] = freeSeats(before, flight);

  // The network goes: health probes fail, the banner says so, and work goes on.
  stack.offline();
  await expect(page.getByTestId('connectivity')).toContainText('OFFLINE', { timeout: 45_000 });
  await expect(page.getByTestId('outage-banner')).toContainText('FALLBACK MODE');

  await page.getByTestId('flight-filter').fill(`${flight.carrier}${flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await expect(page.getByRole('heading', { name: new RegExp(`${flight.carrier}${flight.number}`) })).toBeVisible();
  await screenshot(page, 'manifest');

  // Check-in with a seat from the map and the boarding pass in the same step.
  for (const [p, seat] of [
    [alice, seatA!],
    [bob, seatB!],
  ] as const) {
    await page.getByTestId('tab-manifest').click();
    await selectPassenger(page, p);
    await page.getByTestId('tab-checkin').click();
    await page.locator(`[data-seat="${seat}"]`).click();
    await page.getByTestId('docs-check').check();
    // Bags booked with the ticket come pre-filled; a checked bag needs its weight. Bob checks one.
    if (p === bob) await page.getByTestId('bags-input').fill('1');
    await weighBags(page, 23);
    if (p === alice) await screenshot(page, 'checkin');
    await page.getByTestId('checkin-submit').click();
    await expect(page.getByTestId('feedback').first()).toContainText(`seat ${seat}`);
    // The pass went to the print dialog through a hidden, script-less frame; read it from the page
    // (Playwright's own frame tools would need scripts inside it).
    await expect.poll(() => printedPasses(page)).toContainEqual(expect.stringContaining(p.lastName));
    const printed = (await printedPasses(page)).find((t) => t.includes(p.lastName))!;
    expect(printed).toMatch(/issued in fallback/i);
    expect(printed).toContain(seat);
  }
  let local = await localPassengers(page, flight.id);
  const accepted = local.find((p) => p.id === alice.id)!;
  expect(accepted).toMatchObject({ status: 'checked-in', seat: seatA });

  // Gate mode: scan Alice's real BCBP string, then again.
  await page.getByTestId('tab-boarding').click();
  const bcbp = encodeBoardingPass({ flight, passenger: accepted, issuedOn: flight.date });
  await scan(page, bcbp);
  await expect(page.getByTestId('gate-title')).toContainText('BOARDED');
  await expect(page.getByTestId('gate-result')).toContainText(alice.lastName);
  await screenshot(page, 'boarding');
  await scan(page, bcbp);
  await expect(page.getByTestId('gate-title')).toContainText('ALREADY BOARDED');
  await expect(page.getByTestId('gate-result')).toContainText('AG1001');

  // A pass for another flight is refused as such.
  const other = before.flights().find((f) => f.id !== flight.id)!;
  await scan(page, encodeBoardingPass({ flight: other, passenger: { ...accepted, flightId: other.id }, issuedOn: other.date }));
  await expect(page.getByTestId('gate-title')).toContainText('WRONG FLIGHT');

  // Bob by sequence number typed by hand, then offloaded from the manifest.
  const bobSeq = (await localPassengers(page, flight.id)).find((p) => p.id === bob.id)!.seqNo!;
  await page.getByTestId('gate-input').fill(String(bobSeq));
  await page.getByTestId('gate-input').press('Enter');
  await expect(page.getByTestId('gate-title')).toContainText('BOARDED');
  await page.getByTestId('tab-manifest').click();
  await selectPassenger(page, bob);
  await page.getByRole('button', { name: 'Offload' }).click();
  // His bag comes off with him: the dialog says which, before anything is done.
  await expect(page.getByTestId('bags-off')).toContainText('1 checked bag, 23 kg');
  await page.getByPlaceholder('Why? (kept in the audit log)').fill('Unwell, stays behind');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('passenger-panel')).toContainText('Offloaded');
  await expect(page.getByTestId('feedback')).toContainText('Take off 1 checked bag, 23 kg.');

  // The headcount on screen is the one computed from the local manifest.
  await page.getByTestId('tab-boarding').click();
  local = await localPassengers(page, flight.id);
  const counts = headcount(local);
  await expect(page.getByTestId('headcount-total')).toContainText(String(counts.total.boarded));
  await expect(page.getByTestId('souls')).toHaveText(String(counts.soulsOnBoard));
  expect(local.find((p) => p.id === bob.id)!.status).toBe('offloaded');

  // Close the flight: boarding freezes.
  await page.getByTestId('tab-closeout').click();
  await page.getByTestId('close-flight').click();
  await page.getByTestId('close-confirm').click();
  await expect(page.getByTestId('closeout-view')).toContainText('Closed by AG1001');
  await screenshot(page, 'closeout');
  await page.getByTestId('tab-boarding').click();
  await scan(page, bcbp);
  await expect(page.getByTestId('gate-title')).toContainText(/FLIGHT CLOSED|ALREADY BOARDED/);

  // Everything is waiting in the outbox, listed on the sync screen.
  const queued = await outboxCount(page);
  expect(queued).toBeGreaterThanOrEqual(7);
  await page.getByRole('button', { name: 'Sync & reconcile' }).click();
  await expect(page.getByTestId('pending-list')).toBeVisible();
  await screenshot(page, 'sync-pending');

  // The network returns: the engine notices, pushes and pulls; nothing is lost.
  stack.online();
  await expect(page.getByTestId('connectivity')).toContainText('ONLINE', { timeout: 60_000 });
  await expect(page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 60_000 });
  await screenshot(page, 'sync-done');

  // Station-wide search finds Alice by PNR, wherever she is.
  await page.getByRole('button', { name: 'Find passenger' }).click();
  await page.getByTestId('station-search').fill(alice.pnr);
  await expect(page.getByTestId('search-results')).toContainText(alice.lastName);
  await screenshot(page, 'search');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Printers' })).toBeVisible();
  await screenshot(page, 'settings');

  const after = (await stack.observe()).replica;
  expect(after.passenger(alice.id)).toMatchObject({ status: 'boarded', seat: seatA, boardedBy: 'AG1001' });
  expect(after.passenger(bob.id)).toMatchObject({ status: 'offloaded', remark: 'Unwell, stays behind' });
  expect(after.flights().find((f) => f.id === flight.id)!.status).toBe('closed');
  expect(problems).toEqual([]);
});
