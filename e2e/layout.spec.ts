/**
 * Gate-PC screen sizes with the worst the status bar and the outage banner can show: backend cut
 * (OFFLINE), fallback declared, data STALE, reconciliation items needing attention. At each size no
 * screen scrolls sideways, and the primary action of each (the departures list, the manifest, the
 * check-in button, the gate's scan field, close-out) is on screen without scrolling.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { bookable, openFlights } from '../tests/support/server-harness';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';

test.describe.configure({ mode: 'serial' });

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 1024 },
  { width: 1920, height: 1080 },
] as const;

let stack: Stack;
let page: Page;
let problems: string[];
let flight: Flight;
let passenger: Passenger;
let another: Passenger;

/** Makes the status bar as long as it gets: old data, and reconciliation items needing attention. */
async function worstCaseStatus(p: Page): Promise<void> {
  await p.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('backstop');
        open.onerror = () => reject(open.error ?? new Error('cannot open the database'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['syncState', 'outcomes'], 'readwrite');
          tx.objectStore('syncState').put({ key: 'lastCompleteSyncAt', value: '2027-03-27T19:05:00.000Z' });
          for (let i = 0; i < 3; i++) {
            tx.objectStore('outcomes').put({
              id: `layout-${i}`,
              seq: 900 + i,
              type: 'passenger.board',
              flightId: null,
              passengerId: null,
              status: 'rejected',
              code: 'FLIGHT_CLOSED',
              message: 'Layout test',
              server: null,
              at: '2027-03-27T19:00:00.000Z',
              staffId: 'SU9001',
              decidedAt: '2027-03-27T19:01:00.000Z',
              acknowledged: 0,
            });
          }
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('cannot write'));
        };
      }),
  );
}

async function expectFits(p: Page, what: string, primary: Locator[]): Promise<void> {
  const { scrollWidth, innerWidth, innerHeight } = await p.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
  }));
  expect(scrollWidth, `${what}: no horizontal scroll`).toBeLessThanOrEqual(innerWidth);
  for (const locator of primary) {
    await expect(locator).toBeVisible();
    const box = (await locator.boundingBox())!;
    expect(box, `${what}: ${locator.toString()} on screen`).not.toBeNull();
    expect(box.x, `${what}: ${locator.toString()} left edge`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${what}: ${locator.toString()} top edge`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${what}: ${locator.toString()} right edge`).toBeLessThanOrEqual(innerWidth);
    expect(box.y + box.height, `${what}: ${locator.toString()} bottom edge`).toBeLessThanOrEqual(innerHeight);
    // On screen and not under anything (the keys bar stays at the bottom over the page).
    const onTop = await locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit !== null && (el === hit || el.contains(hit));
    });
    expect(onTop, `${what}: ${locator.toString()} not covered`).toBe(true);
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  stack = await startStack({ flights: 10 });
  const replica = (await stack.observe()).replica;
  flight = openFlights(replica).find((f) => bookable(replica, f.id).length >= 2)!;
  [passenger, another] = bookable(replica, flight.id) as [Passenger, Passenger];
  page = await browser.newPage({ viewport: SIZES[0] });
  problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, 'SU9001');
  stack.offline();
  await expect(page.getByTestId('outage-banner')).toBeVisible({ timeout: 45_000 });
  // Stale data and items needing attention, as read from the database after a reload (the session stays).
  await worstCaseStatus(page);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('data-age')).toContainText('STALE');
  await expect(page.getByTestId('pending-count')).toContainText('3 need attention');
  // Fallback declared on top of the outage: the longest banner and connection pill.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Declare fallback (supervisor)' }).click();
  await expect(page.getByTestId('connectivity')).toContainText('FALLBACK DECLARED');
  await expect(page.getByTestId('connectivity')).toContainText('OFFLINE', { timeout: 45_000 });
  await expect(page.getByTestId('outage-banner')).toContainText('The backend cannot be reached.');
  // An action waiting to sync: the flight's header and the status bar say so, in more words.
  await page.getByRole('button', { name: 'Departures' }).click();
  await page.getByTestId(`flight-${flight.carrier}${flight.number}`).click();
  await page.getByTestId('manifest-search').fill(another.eticket);
  await page.getByTestId(`pax-${another.id}`).click();
  await page.getByTestId('tab-checkin').click();
  await page.getByTestId('bags-input').fill('0');
  await page.getByTestId('docs-check').check();
  await page.getByTestId('standby-check').check();
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('feedback').first()).toContainText('checked in');
  await expect(page.getByTestId('pending-count')).toContainText(/\d actions? to sync/);
});

test.afterAll(async () => {
  await page.close();
  await stack.close();
});

test.afterEach(() => {
  expect(problems).toEqual([]);
});

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} with the outage banner up, nothing scrolls sideways and every primary action is on screen`, async () => {
    await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;
    await expect(page.getByTestId('outage-banner')).toBeVisible();

    await page.getByRole('button', { name: 'Departures' }).click();
    await expectFits(page, 'departures', [
      page.getByTestId('flight-filter'),
      page.getByRole('button', { name: 'Sync now' }),
      page.getByTestId(`flight-${flight.carrier}${flight.number}`),
    ]);
    await screenshot(page, `layout-${tag}-departures`);

    await page.getByTestId(`flight-${flight.carrier}${flight.number}`).click();
    await expect(page.getByTestId('manifest-list')).toBeVisible();
    await expectFits(page, 'manifest', [page.getByTestId('manifest-search'), page.getByTestId('manifest-list').getByRole('row').first()]);
    await screenshot(page, `layout-${tag}-manifest`);

    await page.getByTestId('manifest-search').fill(passenger.eticket);
    await page.getByTestId(`pax-${passenger.id}`).click();
    await page.getByTestId('tab-checkin').click();
    // With a bag and no weight yet, the form is at its longest.
    await page.getByTestId('bags-input').fill('1');
    await page.getByTestId('weight-input').fill('');
    await expect(page.getByTestId('bags-problem')).toBeVisible();
    await expectFits(page, 'check-in', [
      page.getByTestId('checkin-submit'),
      page.getByTestId('docs-check'),
      page.getByTestId('bags-problem'),
    ]);
    await screenshot(page, `layout-${tag}-checkin`);

    await page.getByTestId('tab-boarding').click();
    await expectFits(page, 'gate', [page.getByTestId('gate-input'), page.getByTestId('gate-result')]);
    await screenshot(page, `layout-${tag}-boarding`);

    await page.getByTestId('tab-closeout').click();
    await expectFits(page, 'close-out', [page.getByTestId('close-flight')]);
    await screenshot(page, `layout-${tag}-closeout`);

    await page.getByRole('button', { name: 'Find passenger' }).click();
    await page.getByTestId('station-search').fill(passenger.lastName);
    await expect(page.getByTestId('search-results')).toBeVisible();
    await expectFits(page, 'search', [page.getByTestId('station-search'), page.getByTestId('search-results').locator('tbody tr').first()]);
    await screenshot(page, `layout-${tag}-search`);

    await page.getByRole('button', { name: 'Sync & reconcile' }).click();
    await expectFits(page, 'sync', [page.getByRole('heading', { name: 'Sync & reconcile' })]);
  });
}
