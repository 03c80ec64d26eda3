/**
 * The keyboard-wedge scanner in Chromium, typed the way a scanner types: a real BCBP string and
 * Enter, fast or slow, through a page that stalls mid-scan, and into whatever has focus — the
 * gate's own fields, the Departures filter, the Find passenger field. Every scan must do what a scan
 * does (board, or open the passenger) and leave the field it landed in as it was.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeBoardingPass } from '../shared/bcbp/encode';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { localPassengers } from '../tests/support/e2e-local-db';
import { signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';

// Alone: these scans are timed keystrokes, so no other spec runs beside them (the exclusive lock);
// CI runs them again with every core busy, on purpose.
test.describe.configure({ mode: 'serial', lock: '-exclusive-' });

let stack: Stack;
let page: Page;
let problems: string[];
/** A flight open for boarding, and checked-in passengers on it the gate can board. */
let gate: { flight: Flight; waiting: Passenger[] };
/** A passenger on another flight, for the screens that open whoever was scanned. */
let elsewhere: { flight: Flight; passenger: Passenger };

function passOf(flight: Flight, passenger: Passenger): string {
  return encodeBoardingPass({ flight, passenger, issuedOn: flight.date });
}

/** A valid pass for a flight the station does not have: a scan that finds no one. */
function strangersPass(): string {
  const flight = { ...gate.flight, id: 'NOWHERE', number: '9999' };
  return encodeBoardingPass({ flight, passenger: { ...gate.waiting[0]!, flightId: flight.id }, issuedOn: flight.date });
}

/** The banner that says why the last scan found no one. */
function scanProblem() {
  return page.getByRole('alert').filter({ hasText: /^No flight .* in the local copy\./ });
}

/** What a keyboard-wedge scanner does: type the barcode into whatever has focus, then Enter. */
async function scan(text: string, delay: number) {
  await page.keyboard.type(text, { delay });
  await page.keyboard.press('Enter');
}

function boardable(p: Passenger): boolean {
  return (
    p.status === 'checked-in' && !p.standby && p.vetting === 'cleared' && p.paxType === 'ADT' && p.infantId === null && p.seqNo !== null
  );
}

async function openGate() {
  await page.getByRole('button', { name: 'Departures' }).click();
  await page.getByTestId('flight-filter').fill(`${gate.flight.carrier}${gate.flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await page.getByTestId('tab-boarding').click();
  await expect(page.getByTestId('boarding-view')).toBeVisible();
}

/** The next passenger in the queue at the gate. */
function next(): Passenger {
  const p = gate.waiting.shift();
  if (!p) throw new Error('no checked-in passenger left to board');
  return p;
}

async function expectBoarded(p: Passenger) {
  await expect(page.getByTestId('gate-result')).toContainText(p.lastName);
  await expect(page.getByTestId('gate-title')).toHaveText(/^\W*BOARDED$/);
  // The gate's scanner took it, not the one that opens passengers elsewhere.
  await expect(page.getByTestId('boarding-view')).toBeVisible();
  const local = (await localPassengers(page, gate.flight.id)).find((x) => x.id === p.id);
  expect(local?.status).toBe('boarded');
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  stack = await startStack({ flights: 10 });
  const replica = (await stack.observe()).replica;
  const candidates = replica
    .flights()
    .filter((f) => f.status === 'scheduled')
    .map((flight) => ({
      flight,
      waiting: replica
        .passengers(flight.id)
        .filter(boardable)
        .sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => b.waiting.length - a.waiting.length);
  gate = candidates[0]!;
  expect(gate.waiting.length, 'checked-in passengers on the busiest open flight').toBeGreaterThanOrEqual(9);
  const other = candidates.find((c) => c.flight.id !== gate.flight.id && c.waiting.length > 0)!;
  elsewhere = { flight: other.flight, passenger: other.waiting[0]! };

  page = await browser.newPage();
  problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);
});

test.afterAll(async () => {
  await page.close();
  await stack.close();
});

test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('boards a pass typed with 1 ms gaps', async () => {
  await openGate();
  const p = next();
  await scan(passOf(gate.flight, p), 1);
  await expectBoarded(p);
});

test('boards a pass typed with 40 ms gaps', async () => {
  const p = next();
  await scan(passOf(gate.flight, p), 40);
  await expectBoarded(p);
});

test('boards a pass when the page stalls for 200 ms in the middle of the scan', async () => {
  for (const delay of [1, 10]) {
    const p = next();
    const text = passOf(gate.flight, p);
    const half = Math.floor(text.length / 2);
    await page.keyboard.type(text.slice(0, half), { delay });
    // The page's main thread is busy for 200 ms from the next task on, while the scanner goes on
    // typing: its keys wait in the queue and reach the page late, all at once.
    await page.evaluate(() => {
      setTimeout(() => {
        const end = performance.now() + 200;
        while (performance.now() < end);
      }, 0);
    });
    await page.keyboard.type(text.slice(half), { delay });
    await page.keyboard.press('Enter');
    await expectBoarded(p);
    await expect(page.getByTestId('gate-title')).not.toContainText('UNREADABLE');
  }
});

test('boards a pass scanned into the gate field once, leaves what the agent had typed, and still boards by seq typed by hand', async () => {
  const field = page.getByTestId('gate-input');
  await field.click();
  await page.keyboard.type('SMI', { delay: 150 });
  const p = next();
  await scan(passOf(gate.flight, p), 2);
  await expectBoarded(p);
  // Boarded once: a second boarding of the same pass would say ALREADY BOARDED.
  await expect(field).toHaveValue('SMI');

  const byHand = next();
  await field.fill('');
  await page.keyboard.type(String(byHand.seqNo), { delay: 120 });
  await page.keyboard.press('Enter');
  await expectBoarded(byHand);
  await expect(field).toHaveValue('');
});

test('boards the next passenger scanned into an open un-board reason, and un-boards no one', async () => {
  const first = next();
  await scan(passOf(gate.flight, first), 2);
  await expectBoarded(first);
  await page.getByRole('button', { name: 'Un-board this passenger' }).click();
  const reason = page.getByPlaceholder('Why? (kept in the audit log)');
  await expect(reason).toBeFocused();
  await page.keyboard.type('Wro', { delay: 150 });
  const second = next();
  await scan(passOf(gate.flight, second), 2);
  await expectBoarded(second);
  await expect(reason).toBeHidden();
  const local = await localPassengers(page, gate.flight.id);
  expect(local.find((x) => x.id === first.id)?.status).toBe('boarded');
});

test('opens the passenger scanned while the Departures filter has focus, and leaves the filter as it was', async () => {
  await page.getByRole('button', { name: 'Departures' }).click();
  const filter = page.getByTestId('flight-filter');
  await filter.click();
  await expect(filter).toBeFocused();

  // A scan that finds no one stays on Departures: the filter is untouched and no flight is opened.
  await scan(strangersPass(), 2);
  await expect(scanProblem()).toBeVisible();
  await expect(filter).toHaveValue('');
  await expect(page.getByText(/No flight matches/)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Departures/ })).toBeVisible();

  await filter.click();
  await scan(passOf(elsewhere.flight, elsewhere.passenger), 2);
  await expect(page.getByTestId('passenger-panel')).toContainText(elsewhere.passenger.lastName);
  await expect(page.getByRole('heading', { name: new RegExp(`${elsewhere.flight.carrier}${elsewhere.flight.number}`) })).toBeVisible();
  await expect(scanProblem()).toHaveCount(0);
});

test('opens the passenger scanned while the Find passenger field has focus, and leaves the field as it was', async () => {
  await page.getByRole('button', { name: 'Find passenger' }).click();
  const field = page.getByTestId('station-search');
  await field.click();
  await expect(field).toBeFocused();
  const typed = elsewhere.passenger.pnr;
  await page.keyboard.type(typed, { delay: 120 });
  await expect(page.getByTestId('search-results')).toContainText(elsewhere.passenger.lastName);

  await scan(strangersPass(), 2);
  await expect(scanProblem()).toBeVisible();
  await expect(field).toHaveValue(typed);
  await expect(page.getByTestId('search-results')).toContainText(elsewhere.passenger.lastName);
  await expect(page.getByRole('heading', { name: 'Find a passenger at this station' })).toBeVisible();

  const p = gate.waiting[0]!;
  await field.fill('');
  await expect(field).toBeFocused();
  await scan(passOf(gate.flight, p), 2);
  await expect(page.getByTestId('passenger-panel')).toContainText(p.lastName);
  await expect(page.getByRole('heading', { name: new RegExp(`${gate.flight.carrier}${gate.flight.number}`) })).toBeVisible();
});
