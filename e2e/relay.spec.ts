/**
 * A station relay, end to end: central (the reference backend) behind a proxy that cuts it off, a
 * relay as a process of its own (relay/cli.ts), and two desks in Chromium (browser host, real
 * IndexedDB), each configured with the relay first and central second.
 *
 * - central cut off: desk A checks a passenger into a seat; desk B sees the seat taken within
 *   seconds and cannot give it away; B boards A's passenger with A's pass; A closes the flight and
 *   B can check in nobody more; central back: it holds every action once;
 * - the relay killed (SIGKILL) and started again: the desks turn to central and back, and nothing is
 *   lost or doubled;
 * - relay and central both gone: a desk works alone, then rejoins the relay.
 *
 * The 2 s commit-to-screen target is measured in the benchmark (bench/relay.ts); here a screen only
 * has to show the other desk's action well within the 10 s the assertions wait.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { outboxCount } from '../tests/support/e2e-local-db';
import { startRelayStack, type RelayStack } from '../tests/support/e2e-relay-stack';
import { DEMO_AGENT_PIN, DEMO_SUPERVISOR_PIN, E2E_NOW, screenshot, signIn, watchConsole } from '../tests/support/e2e-stack';
import { openFlight, scan, selectPassenger } from '../tests/support/e2e-ui';
import { bookable, freeSeats, type Replica } from '../tests/support/server-harness';

interface Desk {
  page: Page;
  problems: string[];
}

/** Well within the target: a desk shows another desk's action long before this (bench/README.md has the figure). */
const SEEN_WITHIN = 10_000;

async function openDesk(browser: Browser, url: string, staffId: string, pin: string): Promise<Desk> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, staffId, pin);
  return { page, problems };
}

/** Checks a passenger in at the desk; returns the pass the desk printed (its barcode's text). */
async function checkIn(page: Page, f: Flight, p: Passenger, seat: string): Promise<string> {
  await selectPassenger(page, p);
  await page.getByTestId('tab-checkin').click();
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByTestId('bags-input').fill('0');
  await page.getByTestId('docs-check').check();
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  const feedback = page.getByTestId('feedback').first();
  await expect(feedback).toContainText(`seat ${seat}`);
  const seqNo = Number(/seq (\d+)/.exec(await feedback.innerText())?.[1]);
  expect(seqNo).toBeGreaterThan(0);
  return encodeBoardingPass({ flight: f, passenger: { ...p, status: 'checked-in', seat, seqNo }, issuedOn: f.date });
}

/** The passenger's row on the desk's manifest (seq, name, seat, cabin, status), as an agent reads it. */
async function manifestRow(page: Page, p: Passenger) {
  await page.getByTestId('tab-manifest').click();
  await page.getByTestId('manifest-search').fill(p.eticket);
  return page.getByTestId(`pax-${p.id}`);
}

/** Presses "Sync now" until the source shown is `which` (the desk turned to it). */
async function syncUntilSource(desk: Desk, which: 'relay' | 'central'): Promise<void> {
  await expect
    .poll(
      async () => {
        const button = desk.page.getByRole('button', { name: 'Sync now' });
        if (await button.isEnabled().catch(() => false)) await button.click();
        return desk.page
          .getByTestId('data-source')
          .getAttribute('data-source', { timeout: 1_000 })
          .catch(() => null);
      },
      { timeout: 60_000, intervals: [500, 1_000, 2_000] },
    )
    .toBe(which);
}

/** Presses "Sync now" until nothing waits in the outbox: central has answered every action. */
async function syncUntilDrained(desk: Desk): Promise<void> {
  await expect
    .poll(
      async () => {
        const button = desk.page.getByRole('button', { name: 'Sync now' });
        if (await button.isEnabled().catch(() => false)) await button.click();
        return outboxCount(desk.page);
      },
      { timeout: 60_000, intervals: [1_000, 2_000] },
    )
    .toBe(0);
}

/** Central holds each of these actions exactly once: one fact in the flight's ledger, logged once. */
async function expectOnceAtCentral(stack: RelayStack, flightId: string, wanted: { type: string; passengerId: string | null }[]) {
  const facts = await stack.centralFacts(flightId);
  for (const w of wanted) {
    const found = facts.filter((f) => f.type === w.type && f.passengerId === w.passengerId);
    expect(found, `${w.type} ${w.passengerId ?? ''}`).toHaveLength(1);
    expect(found[0]!.logged, `${w.type} ${w.passengerId ?? ''} in central's log`).toBeGreaterThanOrEqual(1);
  }
}

function flightsToWork(before: Replica, n: number): Flight[] {
  return before
    .flights()
    .filter(
      (f) => f.status === 'scheduled' && Date.parse(f.std) - Date.parse(E2E_NOW) > 3 * 3_600_000 && bookable(before, f.id).length >= 4,
    )
    .slice(0, n);
}

test.describe('a station relay', () => {
  test.describe.configure({ mode: 'serial' });
  let stack: RelayStack;
  let deskA: Desk;
  let deskB: Desk;
  let flights: Flight[];
  let before: Replica;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    stack = await startRelayStack({ flights: 12 });
    before = (await stack.observe()).replica;
    flights = flightsToWork(before, 3);
    expect(flights).toHaveLength(3);
    const [uiA, uiB] = [await stack.desk('DESK-A'), await stack.desk('DESK-B')];
    deskA = await openDesk(browser, uiA.url, 'SU9001', DEMO_SUPERVISOR_PIN);
    deskB = await openDesk(browser, uiB.url, 'AG1002', DEMO_AGENT_PIN);
  });
  test.afterAll(async () => {
    await stack?.close();
  });

  test('desks see each other through the relay while central is cut off, and central gets every action once', async () => {
    test.setTimeout(240_000);
    const f = flights[0]!;
    const [p1, p2, p3] = bookable(before, f.id) as [Passenger, Passenger, Passenger];
    const seat = freeSeats(before, f)[0]!;
    for (const d of [deskA, deskB]) await expect(d.page.getByTestId('data-source')).toContainText('Via station relay');

    stack.central.setFaults(() => 'drop');
    await openFlight(deskA.page, f);
    const pass = await checkIn(deskA.page, f, p1, seat);

    // Desk B: the seat shows taken, and cannot be given to anyone else.
    await openFlight(deskB.page, f);
    await selectPassenger(deskB.page, p2);
    await deskB.page.getByTestId('tab-checkin').click();
    const taken = deskB.page.locator(`[data-seat="${seat}"]`);
    await expect(taken).toBeDisabled({ timeout: SEEN_WITHIN });
    await expect(taken).toHaveAttribute('aria-label', /taken by/);

    // Desk B boards the passenger desk A checked in, with the pass A printed.
    await deskB.page.getByTestId('tab-boarding').click();
    await scan(deskB.page, pass);
    await expect(deskB.page.getByTestId('gate-title')).toContainText('BOARDED');

    // Desk A closes the flight; desk B can no longer check anyone in.
    await expect(await manifestRow(deskA.page, p1)).toContainText('Boarded', { timeout: SEEN_WITHIN });
    await deskA.page.getByTestId('tab-closeout').click();
    const reason = deskA.page.getByTestId('not-boarded-reason');
    if (await reason.isVisible()) await reason.fill('Did not come to the gate by the door-close time');
    await deskA.page.getByTestId('close-flight').click();
    await deskA.page.getByTestId('close-confirm').click();
    await expect(deskA.page.getByTestId('closeout-view')).toContainText('Closed by SU9001');
    await selectPassenger(deskB.page, p3);
    await deskB.page.getByTestId('tab-checkin').click();
    await expect(deskB.page.getByTestId('checkin-precheck')).toContainText(/closed/i, { timeout: SEEN_WITHIN });

    // Both desks say where their data comes from, and that central cannot be reached.
    for (const d of [deskA, deskB]) await expect(d.page.getByTestId('central-age')).toContainText('central unreachable');
    await screenshot(deskB.page, 'relay-desk-b-central-cut-off');

    // Central is back: it holds every action once, and the desks' outboxes empty.
    stack.central.setFaults(() => 'pass');
    await expect.poll(async () => (await stack.relay.upstream())?.unforwarded, { timeout: 60_000 }).toBe(0);
    for (const d of [deskA, deskB]) await syncUntilDrained(d);
    await expectOnceAtCentral(stack, f.id, [
      { type: 'passenger.checkIn', passengerId: p1.id },
      { type: 'passenger.board', passengerId: p1.id },
      { type: 'flight.close', passengerId: null },
    ]);
    const after = (await stack.observe()).replica;
    expect(after.passenger(p1.id)).toMatchObject({ status: 'boarded', seat });
    expect(after.flights().find((x) => x.id === f.id)?.status).toBe('closed');
    for (const d of [deskA, deskB]) expect(d.problems).toEqual([]);
  });

  test('a relay killed and started again: the desks turn to central and back, and nothing is lost or doubled', async () => {
    test.setTimeout(240_000);
    const f = flights[1]!;
    const [p1, p2] = bookable(before, f.id) as [Passenger, Passenger];
    const [s1, s2] = freeSeats(before, f) as [string, string];
    await openFlight(deskA.page, f);
    await checkIn(deskA.page, f, p1, s1);

    await stack.relay.kill();
    await syncUntilSource(deskA, 'central');
    await expect(deskA.page.getByTestId('data-source')).toContainText('backend 2 of 2');
    await checkIn(deskA.page, f, p2, s2);
    await syncUntilSource(deskB, 'central');
    await openFlight(deskB.page, f);
    await expect(await manifestRow(deskB.page, p2)).toContainText(s2, { timeout: SEEN_WITHIN });

    await stack.relay.start();
    for (const d of [deskA, deskB]) await syncUntilSource(d, 'relay');
    await selectPassenger(deskB.page, p1);
    await deskB.page.getByRole('button', { name: 'Board', exact: true }).click();
    await expect(await manifestRow(deskA.page, p1)).toContainText('Boarded', { timeout: SEEN_WITHIN });
    for (const d of [deskA, deskB]) await syncUntilDrained(d);
    await expect.poll(async () => (await stack.relay.upstream())?.unforwarded, { timeout: 60_000 }).toBe(0);
    await expectOnceAtCentral(stack, f.id, [
      { type: 'passenger.checkIn', passengerId: p1.id },
      { type: 'passenger.checkIn', passengerId: p2.id },
      { type: 'passenger.board', passengerId: p1.id },
    ]);
    for (const d of [deskA, deskB]) expect(d.problems).toEqual([]);
  });

  test('relay and central both gone: a desk works alone, then rejoins the relay and the others see its work', async () => {
    test.setTimeout(240_000);
    const f = flights[2]!;
    const [p1] = bookable(before, f.id) as [Passenger];
    const seat = freeSeats(before, f)[0]!;
    stack.central.setFaults(() => 'drop');
    await stack.relay.kill();
    await openFlight(deskA.page, f);
    await checkIn(deskA.page, f, p1, seat);
    await expect(deskA.page.getByTestId('pending-count')).toContainText('1 action to sync');

    await stack.relay.start();
    await syncUntilSource(deskA, 'relay');
    await syncUntilSource(deskB, 'relay');
    await openFlight(deskB.page, f);
    await expect(await manifestRow(deskB.page, p1)).toContainText(seat, { timeout: SEEN_WITHIN });
    await expect(deskA.page.getByTestId('held-at-relay')).toContainText('1 action not yet at central');
    await screenshot(deskA.page, 'relay-desk-a-rejoined');

    stack.central.setFaults(() => 'pass');
    await syncUntilDrained(deskA);
    await expectOnceAtCentral(stack, f.id, [{ type: 'passenger.checkIn', passengerId: p1.id }]);
    for (const d of [deskA, deskB]) expect(d.problems).toEqual([]);
  });
});
