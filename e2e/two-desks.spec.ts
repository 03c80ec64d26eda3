/**
 * Facts and claims, end to end: two workstations (two browser profiles, each behind its own cut
 * network) work the same flights through an outage without seeing each other — the same seat given
 * twice, the same passenger checked in at both desks, a passenger boarded at one desk and offloaded
 * at the other, a boarding after a close made elsewhere, a lap infant whose adult was checked in at
 * the other desk — then reconnect, in both orders. Each run ends with the backend holding what
 * physically happened, and both desks showing the same figures.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import { checkSeat, displayName } from '../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../shared/domain/schemas';
import { startBrowserHostServer } from '../scripts/serve-browser';
import { localPassengers, outboxCount } from '../tests/support/e2e-local-db';
import {
  DEMO_AGENT_PIN,
  DEMO_SUPERVISOR_PIN,
  E2E_NOW,
  screenshot,
  signIn,
  startStack,
  watchConsole,
  type Stack,
} from '../tests/support/e2e-stack';
import { openFlight, scan, selectPassenger } from '../tests/support/e2e-ui';
import { startFaultProxy, type FaultProxy } from '../tests/support/fault-proxy';
import { bookable, freeSeats, type Replica } from '../tests/support/server-harness';

// Alone: its scans are timed keystrokes (a keyboard wedge), so no other spec runs beside it (the
// exclusive lock, as in scanner.spec.ts); a busy neighbour could split a scan into typing.
test.describe.configure({ lock: '-exclusive-' });

interface Desk {
  name: string;
  page: Page;
  proxy: FaultProxy;
  problems: string[];
}

async function openDesk(browser: Browser, name: string, staffId: string, pin: string, proxy: FaultProxy, uiUrl: string): Promise<Desk> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(uiUrl);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, staffId, pin);
  return { name, page, proxy, problems };
}

async function checkIn(page: Page, p: Passenger, seat: string) {
  await selectPassenger(page, p);
  await page.getByTestId('tab-checkin').click();
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByTestId('bags-input').fill('1');
  await page.getByTestId('weight-input').fill('20');
  await page.getByTestId('docs-check').check();
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(page.getByTestId('feedback').first()).toContainText(`seat ${seat}`);
}

async function scanAtGate(page: Page, text: string) {
  await page.getByTestId('tab-boarding').click();
  await scan(page, text);
}

/** The pass a desk would have printed for a passenger, from that desk's own copy. */
async function passOf(desk: Desk, f: Flight, p: Passenger): Promise<string> {
  const mine = (await localPassengers(desk.page, f.id)).find((x) => x.id === p.id)!;
  expect(mine.seqNo, `${desk.name} holds ${p.lastName}'s seq`).not.toBeNull();
  return encodeBoardingPass({ flight: f, passenger: mine, issuedOn: f.date });
}

/** Presses "Sync now" until the desk's outbox is empty (and once more, so it also pulls what others sent). */
async function syncUntilDrained(desk: Desk) {
  const press = async () => {
    const button = desk.page.getByRole('button', { name: 'Sync now' });
    if (await button.isEnabled().catch(() => false)) await button.click();
  };
  await expect
    .poll(
      async () => {
        await press();
        return outboxCount(desk.page);
      },
      { timeout: 60_000, intervals: [1_000, 2_000, 3_000] },
    )
    .toBe(0);
  await press();
}

async function soulsOnBoard(desk: Desk, f: Flight): Promise<string> {
  await openFlight(desk.page, f);
  await desk.page.getByTestId('tab-boarding').click();
  return desk.page.getByTestId('souls').innerText();
}

for (const order of ['A then B', 'B then A'] as const) {
  test.describe(`two desks offline, reconnecting ${order}`, () => {
    let stack: Stack;
    let proxyB: FaultProxy;
    let uiB: { url: string; close(): Promise<void> };
    test.beforeAll(async () => {
      stack = await startStack({ flights: 12, workstation: 'DESK-A' });
      proxyB = await startFaultProxy(stack.server.url);
      uiB = await startBrowserHostServer({
        port: 0,
        backendUrl: proxyB.url,
        station: stack.server.station,
        workstation: 'DESK-B',
        enrolmentKey: 'backstop-demo',
        now: process.env.BACKSTOP_E2E_NOW === 'real' ? undefined : process.env.BACKSTOP_E2E_NOW || E2E_NOW,
      });
    });
    test.afterAll(async () => {
      await uiB.close();
      await proxyB.close();
      await stack.close();
    });

    test('the backend ends with what physically happened, and both desks agree', async ({ browser }) => {
      test.setTimeout(300_000);
      const before: Replica = (await stack.observe()).replica;
      const plain = (f: Flight) => bookable(before, f.id);
      const open = before.flights().filter((f) => f.status === 'scheduled' && Date.parse(f.std) - Date.parse(E2E_NOW) > 3 * 3_600_000);
      const f = open.find(
        (x) => plain(x).length >= 5 && before.passengers(x.id).some((p) => p.infantId && p.status === 'booked' && p.vetting === 'cleared'),
      )!;
      const f2 = open.find((x) => x.id !== f.id && plain(x).length >= 1)!;
      expect(f && f2, 'two open flights with enough passengers').toBeTruthy();
      const [p1, p2, p3, p4] = plain(f) as [Passenger, Passenger, Passenger, Passenger];
      const p5 = plain(f2)[0]!;
      const mum = before.passengers(f.id).find((p) => p.infantId && p.status === 'booked' && p.vetting === 'cleared')!;
      const baby = before.passengers(f.id).find((p) => p.id === mum.infantId)!;
      const seats = freeSeats(before, f);
      const [sameSeat, a3Seat, b3Seat, p4Seat] = seats as [string, string, string, string];
      const seatMap = before.of<SeatMap>('seatMap').find((m) => m.id === f.seatMapId)!;
      const mumSeat = seats.slice(4).find((x) => checkSeat(seatMap, before.passengers(f.id), mum, x) === null)!;

      const deskA = await openDesk(browser, 'DESK-A', 'SU9001', DEMO_SUPERVISOR_PIN, stack.proxy, stack.ui.url);
      const deskB = await openDesk(browser, 'DESK-B', 'AG1002', DEMO_AGENT_PIN, proxyB, uiB.url);

      // Before the outage, at desk A: two passengers accepted that both desks then know.
      await openFlight(deskA.page, f);
      await checkIn(deskA.page, p4, p4Seat);
      await openFlight(deskA.page, f2);
      await checkIn(deskA.page, p5, freeSeats(before, f2)[0]!);
      await syncUntilDrained(deskA);
      await expect
        .poll(
          async () => {
            await deskB.page.getByRole('button', { name: 'Sync now' }).click();
            return (await localPassengers(deskB.page, f.id)).find((p) => p.id === p4.id)?.status;
          },
          { timeout: 60_000 },
        )
        .toBe('checked-in');

      // The outage: neither desk reaches the backend, nor each other.
      stack.proxy.setFaults(() => 'drop');
      proxyB.setFaults(() => 'drop');

      // Desk A.
      await openFlight(deskA.page, f);
      await checkIn(deskA.page, p1, sameSeat); // the seat desk B will give away too
      await checkIn(deskA.page, p3, a3Seat); // the passenger desk B will check in too
      await checkIn(deskA.page, mum, mumSeat); // with her lap infant
      const p4Pass = await passOf(deskA, f, p4);
      await scanAtGate(deskA.page, p4Pass); // boards P4 …
      await expect(deskA.page.getByTestId('gate-title')).toContainText('BOARDED');
      const mumPass = await passOf(deskA, f, mum);
      await openFlight(deskA.page, f2);
      await deskA.page.getByTestId('tab-closeout').click();
      // P5 (and whoever the DCS accepted) is not on board here: the supervisor closes, leaving them behind, with a reason.
      await expect(deskA.page.getByTestId('not-boarded-row').filter({ hasText: displayName(p5) })).toHaveCount(1);
      await expect(deskA.page.getByTestId('close-flight')).toBeDisabled();
      await deskA.page.getByTestId('not-boarded-reason').fill('Did not come to the gate by the door-close time');
      await deskA.page.getByTestId('close-flight').click();
      await deskA.page.getByTestId('close-confirm').click();
      await expect(deskA.page.getByTestId('closeout-view')).toContainText('Closed by SU9001');

      // Desk B, later.
      await openFlight(deskB.page, f);
      await checkIn(deskB.page, p2, sameSeat);
      await checkIn(deskB.page, p3, b3Seat);
      await scanAtGate(deskB.page, await passOf(deskB, f, p2));
      await expect(deskB.page.getByTestId('gate-title')).toContainText('BOARDED');
      await scanAtGate(deskB.page, await passOf(deskB, f, p3)); // P3 boards with desk B's pass
      await expect(deskB.page.getByTestId('gate-title')).toContainText('BOARDED');
      await scanAtGate(deskB.page, mumPass); // a pass from desk A: B has no check-in for her
      await expect(deskB.page.getByTestId('gate-title')).toContainText('CHECKED IN ELSEWHERE');
      await selectPassenger(deskB.page, p4); // … and P4 is offloaded at B after A boarded them
      await deskB.page.getByRole('button', { name: 'Offload' }).click();
      await deskB.page.getByPlaceholder('Why? (kept in the audit log)').fill('Refused to stow a bag');
      await deskB.page.getByRole('button', { name: 'Confirm' }).click();
      await openFlight(deskB.page, f2);
      await scanAtGate(deskB.page, await passOf(deskB, f2, p5)); // the gate never heard of the close
      await expect(deskB.page.getByTestId('gate-title')).toContainText('BOARDED');
      await screenshot(deskB.page, `two-desks-${order === 'A then B' ? 'ab' : 'ba'}-gate-offline`);

      // Back online, one desk after the other, then a last round so each hears the other.
      const [first, second] = order === 'A then B' ? [deskA, deskB] : [deskB, deskA];
      first.proxy.setFaults(() => 'pass');
      await syncUntilDrained(first);
      second.proxy.setFaults(() => 'pass');
      await syncUntilDrained(second);
      await syncUntilDrained(first);

      // The backend holds what physically happened.
      const after = (await stack.observe()).replica;
      const now = (p: Passenger) => after.passenger(p.id);
      expect(now(p2)).toMatchObject({ status: 'boarded', seat: sameSeat });
      expect(now(p1)).toMatchObject({ status: 'checked-in', seat: null });
      expect(now(p1).flags?.[0]).toMatchObject({ code: 'RESEAT', lostSeat: sameSeat });
      expect(now(p3)).toMatchObject({ status: 'boarded', seat: b3Seat });
      expect(now(p3).flags?.map((x) => x.code)).toContain('VOID_PASS');
      expect(now(p4)).toMatchObject({ status: 'offloaded' });
      expect(now(mum)).toMatchObject({ status: 'boarded', seat: mumSeat });
      expect(now(baby)).toMatchObject({ status: 'boarded' });
      expect(now(p5)).toMatchObject({ status: 'boarded' });
      expect(after.flights().find((x) => x.id === f2.id)).toMatchObject({
        status: 'closed',
        flags: [{ code: 'CHANGED_AFTER_CLOSE', changes: 1 }],
      });
      const souls = after.passengers(f.id).filter((p) => p.status === 'boarded').length;
      expect(souls).toBe(4); // P2, P3, the mother and her baby

      // Both desks show the same figures as the backend.
      for (const desk of [deskA, deskB]) {
        await expect.poll(() => soulsOnBoard(desk, f), { timeout: 30_000 }).toBe(String(souls));
        const mine = await localPassengers(desk.page, f.id);
        expect(mine.find((p) => p.id === p1.id)).toMatchObject({ status: 'checked-in', seat: null });
        expect(mine.find((p) => p.id === p3.id)).toMatchObject({ status: 'boarded', seat: b3Seat });
        await desk.page.getByRole('button', { name: 'Sync & reconcile' }).click();
        await expect(desk.page.getByTestId('attention')).toContainText(`Lost seat ${sameSeat}`);
        await expect(desk.page.getByTestId('attention')).toContainText('is void — collect it');
        await expect(desk.page.getByTestId('attention')).toContainText('Print a revised close-out');
        await screenshot(desk.page, `two-desks-${order === 'A then B' ? 'ab' : 'ba'}-${desk.name}-reconcile`);
        expect(desk.problems).toEqual([]);
      }
    });
  });
}
