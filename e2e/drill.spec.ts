/**
 * Drill mode end to end in Chromium: a supervisor starts an outage drill, the desk checks a passenger
 * in and prints a pass marked DRILL — NOT VALID FOR TRAVEL, boards them, the supervisor ends the drill
 * and prints the drill report. The backend received nothing of it, and the live copy is as it was.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { DEMO_SUPERVISOR_PIN } from '../server/demo/staff';
import { outboxCount } from '../tests/support/e2e-local-db';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { bookable, freeSeats, openFlights } from '../tests/support/server-harness';

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 10 });
});
test.afterAll(async () => stack.close());

/** The text of documents the browser host sent to the print dialog, by frame title ("Backstop <kind>"; frames are script-less). */
function printed(page: Page, titlePrefix: string): Promise<string[]> {
  return page.evaluate(
    (prefix) =>
      [...document.querySelectorAll<HTMLIFrameElement>('iframe')]
        .filter((f) => f.title.startsWith(prefix))
        .map((f) => f.contentDocument?.body?.innerText ?? ''),
    titlePrefix,
  );
}

/** A passenger's row on the manifest as the screen shows it: seq, name, seat, status. */
async function manifestRow(page: Page, p: Passenger): Promise<string> {
  await page.getByTestId('tab-manifest').click();
  await page.getByTestId('manifest-search').fill(p.eticket);
  return page.getByTestId(`pax-${p.id}`).innerText();
}

async function openFlight(page: Page, f: Flight) {
  await page.getByRole('button', { name: 'Departures' }).click();
  await page.getByTestId('flight-filter').fill(`${f.carrier}${f.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await expect(page.getByRole('heading', { name: new RegExp(`${f.carrier}${f.number}`) })).toBeVisible();
}

test('a supervisor drills an outage: DRILL on screen and paper, a drill report, and nothing reaches the backend', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, 'SU9001', DEMO_SUPERVISOR_PIN);
  const before = (await stack.observe()).replica;
  const flight: Flight = openFlights(before).find((f) => bookable(before, f.id).length >= 1)!;
  const alice: Passenger = bookable(before, flight.id)[0]!;
  const seat = freeSeats(before, flight)[0]!;

  // The supervisor starts the drill: every screen says DRILL from now on.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByTestId('drill-start').click();
  await expect(page.getByTestId('drill-mark')).toHaveText('DRILL');
  await expect(page.getByTestId('drill-banner')).toContainText('nothing is sent to the backend', { ignoreCase: true });
  const sentBefore = stack.proxy.log.filter((l) => l.path === '/v1/sync/push').length;
  await screenshot(page, 'drill-started');

  // A check-in during the drill prints a pass marked DRILL — NOT VALID FOR TRAVEL.
  await openFlight(page, flight);
  await expect(page.getByTestId('drill-mark')).toBeVisible();
  await page.getByTestId('tab-manifest').click();
  await page.getByTestId('manifest-search').fill(alice.eticket);
  await page.getByTestId(`pax-${alice.id}`).click();
  await page.getByTestId('tab-checkin').click();
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByTestId('bags-input').fill('1');
  await page.getByTestId('weight-input').fill('20');
  await page.getByTestId('docs-check').check();
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('feedback').first()).toContainText(`seat ${seat}`);
  await expect.poll(() => printed(page, 'Backstop boarding-pass')).toContainEqual(expect.stringContaining(alice.lastName));
  const pass = (await printed(page, 'Backstop boarding-pass')).find((t) => t.includes(alice.lastName))!;
  expect(pass).toContain('DRILL — NOT VALID FOR TRAVEL');
  await screenshot(page, 'drill-checkin');

  // The gate boards her from the pass (its seq as the drill's copy gave it), still in the drill.
  const row = await manifestRow(page, alice);
  expect(row).toMatch(/CHECKED IN/i);
  const seqNo = Number(/^\s*(\d+)/.exec(row)?.[1]);
  expect(seqNo).toBeGreaterThan(0);
  await page.getByTestId('tab-boarding').click();
  await page.keyboard.type(
    encodeBoardingPass({ flight, passenger: { ...alice, status: 'checked-in', seat, seqNo }, issuedOn: flight.date }),
    {
      delay: 2,
    },
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gate-title')).toContainText(/BOARDED/);

  // The supervisor ends the drill: the report, and the app is back on the live data.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByTestId('drill-end').click();
  await expect(page.getByTestId('drill-report')).toBeVisible();
  await expect(page.getByTestId('drill-mark')).toHaveCount(0);
  await expect(page.getByTestId('drill-banner')).toHaveCount(0);
  await expect(page.getByTestId('drill-passengers')).toHaveText('1');
  await expect(page.getByTestId('drill-first-pass')).not.toHaveText('no pass printed');
  await page.getByTestId('drill-print-report').click();
  await expect.poll(() => printed(page, 'Backstop drill-report')).toContainEqual(expect.stringContaining('Drill report'));
  const report = (await printed(page, 'Backstop drill-report'))[0]!;
  expect(report).toContain('DRILL — NOT VALID FOR TRAVEL');
  expect(report).toContain('From "outage" to the first printed pass');
  await screenshot(page, 'drill-report');

  // Nothing of the drill reached the backend, and the live copy holds nothing from it.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.waitForTimeout(2_000);
  expect(stack.proxy.log.filter((l) => l.path === '/v1/sync/push').length).toBe(sentBefore);
  const after = (await stack.observe()).replica;
  expect(after.passenger(alice.id).status).toBe('booked');
  expect(await outboxCount(page)).toBe(0);
  // Back on the live copy, she was never checked in.
  await openFlight(page, flight);
  expect(await manifestRow(page, alice)).not.toMatch(/CHECKED IN|BOARDED/i);
  const leftovers = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(leftovers.filter((n) => n.startsWith('backstop-drill-'))).toEqual([]);
  expect(problems).toEqual([]);
});
