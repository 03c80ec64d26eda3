/**
 * A station day through an outage, at gate-PC size (1366×768), with two desks: two browser
 * profiles, so two workstations each with its own name. The DCS goes down with the network up:
 * both desks check passengers in (bags with their weight), print and reprint passes; the gate desk
 * receives the other desk's check-ins through the backend. Then the network goes too, and the gate
 * boards by scanning; one passenger does not turn up, so the close is held until the gate offloads
 * them from the close-out, which says whose bags come off. When the network is
 * back, the backend has every action, from the workstation that took it.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import { displayName } from '../shared/domain/rules';
import type { Passenger } from '../shared/domain/schemas';
import { freeSeats } from '../tests/support/server-harness';
import { localDay, localTime } from '../shared/time';
import { localPassengers } from '../tests/support/e2e-local-db';
import { E2E_ADMIN_TOKEN, screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { openFlight, printedPasses, scan, selectPassenger, weighBags } from '../tests/support/e2e-ui';

const VIEWPORT = { width: 1366, height: 768 };

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 10, workstation: null });
});
test.afterAll(async () => stack.close());

interface Desk {
  page: Page;
  problems: string[];
  workstation: string;
}

async function openDesk(browser: Browser, staffId: string): Promise<Desk> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page, staffId);
  const workstation = (await page.getByTestId('workstation').innerText()).replace(/^Workstation\s*/, '').trim();
  return { page, problems, workstation };
}

async function switchDcs(status: 'up' | 'down'): Promise<void> {
  const res = await fetch(new URL('/v1/admin/dcs', stack.server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'backstop-protocol': '1' },
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(200);
}

/** Check-in with seat, bags and weight, and the boarding pass in the same step. */
async function checkIn(desk: Desk, p: Passenger, seat: string, bags: number, kg: string, shot?: string) {
  const { page } = desk;
  await selectPassenger(page, p);
  await page.getByTestId('tab-checkin').click();
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByTestId('bags-input').fill(String(bags));
  // Each bag is weighed on its own (and gets its own tag): the total split over the bags.
  await weighBags(page, ...Array.from({ length: bags }, (_, i) => Math.floor(Number(kg) / bags) + (i < Number(kg) % bags ? 1 : 0)));
  await page.getByTestId('docs-check').check();
  if (shot) await screenshot(page, shot);
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('feedback').first()).toContainText(`seat ${seat}`);
  // Said as it was: the pass went to the print dialog (the browser cannot tell whether it printed).
  await expect(page.getByTestId('feedback').nth(1)).toContainText(`Boarding pass for ${displayName(p)} sent to the print dialog`);
  await expect.poll(() => printedPasses(page)).toContainEqual(expect.stringContaining(p.lastName));
  const pass = (await printedPasses(page)).find((t) => t.includes(p.lastName))!;
  expect(pass).toContain(seat);
  expect(pass).toContain(`workstation ${desk.workstation}`);
  expect(pass).not.toContain('REPRINT');
}

test('two desks depart one flight through a DCS outage and then a network outage, and the backend gets it all', async ({ browser }) => {
  test.setTimeout(420_000);
  const before = (await stack.observe()).replica;
  // A flight nobody has checked in for yet: at close, everyone accepted today has boarded or been offloaded.
  const flight = before
    .flights()
    .filter((f) => f.status === 'scheduled' && before.passengers(f.id).every((p) => p.status === 'booked'))
    .map((f) => ({
      f,
      ok: before
        .passengers(f.id)
        .filter((p) => p.paxType === 'ADT' && p.infantId === null && p.vetting === 'cleared' && p.cabin === 'Y' && p.ssrs.length === 0)
        .sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .find((x) => x.ok.length >= 4)!;
  expect(flight, 'a flight with no one checked in yet').toBeDefined();
  const f = flight.f;
  const [a1, a2, b1, b2] = flight.ok as [Passenger, Passenger, Passenger, Passenger];
  const [s1, s2, s3, s4] = freeSeats(before, f) as [string, string, string, string];

  // The airline's DCS goes down; the network stays up.
  await switchDcs('down');
  const deskA = await openDesk(browser, 'AG1001');
  const gate = await openDesk(browser, 'AG1002');
  for (const desk of [deskA, gate]) {
    await expect(desk.page.getByTestId('outage-banner')).toContainText('departure control system (DCS) is down', { timeout: 45_000 });
    // Worded for the cause: the backend is reachable, so nothing waits for "the connection".
    await expect(desk.page.getByTestId('outage-banner')).toContainText('the backend is reachable');
    await expect(desk.page.getByTestId('outage-banner')).not.toContainText('when the connection returns');
  }
  // Two browser profiles, two workstations, each named once and for good.
  expect(deskA.workstation).toMatch(/^BROWSER-[A-Z0-9]{6}$/);
  expect(gate.workstation).toMatch(/^BROWSER-[A-Z0-9]{6}$/);
  expect(deskA.workstation).not.toBe(gate.workstation);
  await screenshot(deskA.page, 'station-day-1-desk-a');

  // Desk A: a bag with no weight is refused in words before anything is saved.
  await openFlight(deskA.page, f);
  // The cache spans days: the flight says which day it leaves, in the station's zone.
  await expect(deskA.page.locator('.flight-head')).toContainText(
    `STD ${localDay(f.std, 'Europe/London')} ${localTime(f.std, 'Europe/London')}`,
  );
  await selectPassenger(deskA.page, a1);
  await deskA.page.getByTestId('tab-checkin').click();
  await deskA.page.locator(`[data-seat="${s1}"]`).click();
  await deskA.page.getByTestId('bags-input').fill('1');
  await deskA.page.getByTestId('weight-input').fill('');
  await deskA.page.getByTestId('docs-check').check();
  await deskA.page.getByTestId('checkin-submit').click();
  await expect(deskA.page.getByTestId('bags-problem')).toContainText('Weight needed');
  await expect(deskA.page.getByTestId('weight-input')).toBeFocused();
  await expect(deskA.page.getByTestId('feedback')).toHaveCount(0);
  await screenshot(deskA.page, 'station-day-2-weight-needed');
  await checkIn(deskA, a1, s1, 1, '19', 'station-day-3-checkin');
  await screenshot(deskA.page, 'station-day-4-checked-in');
  await checkIn(deskA, a2, s2, 2, '38');

  // A pass asked for again is marked as a reprint, and logged as one.
  await selectPassenger(deskA.page, a1);
  await deskA.page.getByRole('button', { name: 'Print boarding pass' }).click();
  await expect(deskA.page.getByTestId('feedback').last()).toContainText(
    `Boarding pass (REPRINT 1) for ${displayName(a1)} sent to the print dialog`,
  );
  await expect
    .poll(async () => (await printedPasses(deskA.page)).filter((t) => t.includes(a1.lastName) && t.includes('REPRINT 1')).length)
    .toBe(1);
  await screenshot(deskA.page, 'station-day-5-reprint');

  // The gate desk checks in two more.
  await openFlight(gate.page, f);
  await checkIn(gate, b1, s3, 1, '23');
  await checkIn(gate, b2, s4, 1, '17');

  // With the backend reachable, the gate gets desk A's check-ins at its next sync.
  await gate.page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(
      async () => (await localPassengers(gate.page, f.id)).filter((p) => [a1.id, a2.id].includes(p.id) && p.status === 'checked-in').length,
      {
        timeout: 60_000,
      },
    )
    .toBe(2);

  // Now the network goes as well. The gate works on alone.
  stack.offline();
  for (const desk of [deskA, gate]) {
    await expect(desk.page.getByTestId('connectivity')).toContainText('OFFLINE', { timeout: 45_000 });
    await expect(desk.page.getByTestId('outage-banner')).toContainText('The backend cannot be reached.');
  }
  await gate.page.getByTestId('tab-boarding').click();
  const local = await localPassengers(gate.page, f.id);
  for (const p of [a1, a2, b1]) {
    const accepted = local.find((x) => x.id === p.id)!;
    expect(accepted.seqNo).not.toBeNull();
    await scan(gate.page, encodeBoardingPass({ flight: f, passenger: accepted, issuedOn: f.date }));
    await expect(gate.page.getByTestId('gate-title')).toHaveText(/^\W*BOARDED$/);
    await expect(gate.page.getByTestId('gate-result')).toContainText(p.lastName);
  }
  await screenshot(gate.page, 'station-day-6-boarding');

  // One passenger does not turn up: the close is held, and the close-out says who and whose bags.
  await gate.page.getByTestId('tab-closeout').click();
  await expect(gate.page.getByTestId('close-guard')).toContainText('1 accepted passenger has not boarded');
  await expect(gate.page.getByTestId('close-flight')).toBeDisabled();
  await expect(gate.page.getByTestId('not-boarded-row')).toHaveCount(1);
  await expect(gate.page.getByTestId('not-boarded-row')).toContainText(displayName(b2));
  await expect(gate.page.getByTestId('not-boarded-row')).toContainText('1 checked bag, 17 kg');
  await expect(gate.page.getByTestId('bags-ofNotBoarded')).toHaveText('1 checked bag, 17 kg');
  await screenshot(gate.page, 'station-day-7-close-held');
  await gate.page.getByTestId('offload-reason').fill('Missed the boarding call');
  await gate.page.getByRole('button', { name: `Offload ${displayName(b2)}` }).click();
  await expect(gate.page.getByTestId('feedback')).toContainText('Take off 1 checked bag, 17 kg.');
  await expect(gate.page.getByTestId('bags-to-take-off')).toContainText(displayName(b2));
  await expect(gate.page.getByTestId('bags-ofOffloaded')).toHaveText('1 checked bag, 17 kg');
  await expect(gate.page.getByTestId('figure-boarded')).toHaveText('3');
  await expect(gate.page.getByTestId('figure-offloaded')).toHaveText('1');
  await expect(gate.page.getByTestId('figure-bags')).toHaveText('4 / 80 kg');

  // Everyone accepted today has boarded or been offloaded: the flight closes.
  await expect(gate.page.getByTestId('close-guard')).toHaveCount(0);
  await gate.page.getByTestId('close-flight').click();
  await gate.page.getByTestId('close-confirm').click();
  await expect(gate.page.getByTestId('closeout-view')).toContainText('Closed by AG1002');
  await screenshot(gate.page, 'station-day-8-closed');

  // The network and the DCS come back; both desks send what they hold.
  stack.online();
  await switchDcs('up');
  for (const desk of [deskA, gate]) {
    await expect(desk.page.getByTestId('connectivity')).toContainText('ONLINE', { timeout: 60_000 });
    await desk.page.getByRole('button', { name: 'Sync now' }).click();
    await expect(desk.page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 60_000 });
  }
  await screenshot(gate.page, 'station-day-9-synced');

  const after = (await stack.observe()).replica;
  expect(after.flights().find((x) => x.id === f.id)!.status).toBe('closed');
  for (const p of [a1, a2, b1]) expect(after.passenger(p.id)).toMatchObject({ status: 'boarded', boardedBy: 'AG1002' });
  expect(after.passenger(b2.id)).toMatchObject({ status: 'offloaded', remark: 'Missed the boarding call' });
  expect(after.passenger(a1.id)).toMatchObject({ seat: s1, bags: { count: 1, weightKg: 19 }, checkedInBy: 'AG1001' });
  // Each bag reached the backend with its fallback tag: a licence plate with the leading 1 of IATA
  // Resolution 740, each one different, to the flight's destination.
  const a2Bags = after.passenger(a2.id).bags;
  expect(a2Bags).toMatchObject({ count: 2, weightKg: 38 });
  expect(a2Bags.pieces?.map((b) => [b.tag.length, b.tag[0], b.destination, b.weightKg])).toEqual([
    [10, '1', f.destination, 19],
    [10, '1', f.destination, 19],
  ]);
  expect(new Set(a2Bags.pieces?.map((b) => b.tag)).size).toBe(2);
  expect(after.passenger(b1.id)).toMatchObject({ seat: s3, bags: { count: 1, weightKg: 23 }, checkedInBy: 'AG1002' });
  const seqs = [a1, a2, b1, b2].map((p) => after.passenger(p.id).seqNo);
  expect(new Set(seqs).size).toBe(4);

  // The backend knows both workstations by their own names, and which printed what, reprint included.
  const db = new Database(stack.server.dbFile, { readonly: true });
  try {
    const devices = db.prepare('SELECT id, name FROM device').all() as { id: string; name: string }[];
    const idOf = (name: string) => devices.find((d) => d.name === name)?.id;
    expect(idOf(deskA.workstation)).toBeDefined();
    expect(idOf(gate.workstation)).toBeDefined();
    const prints = db
      .prepare(
        "SELECT device_id AS device, passenger_id AS passenger, reprint FROM print_log WHERE flight_id = ? AND document = 'boarding-pass'",
      )
      .all(f.id) as { device: string; passenger: string; reprint: number }[];
    expect(
      prints
        .filter((r) => r.passenger === a1.id)
        .map((r) => r.reprint)
        .sort(),
    ).toEqual([0, 1]);
    expect(prints.filter((r) => r.reprint === 1).map((r) => r.device)).toEqual([idOf(deskA.workstation)]);
    expect(prints.filter((r) => r.passenger === b1.id).map((r) => r.device)).toEqual([idOf(gate.workstation)]);
  } finally {
    db.close();
  }
  expect(deskA.problems).toEqual([]);
  expect(gate.problems).toEqual([]);
});
