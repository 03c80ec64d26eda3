/**
 * What an agent does with the keyboard and mouse in the end-to-end tests, written once: open a
 * flight from Departures, select a passenger on the manifest, scan a pass as a keyboard-wedge
 * scanner types it, read back the boarding passes sent to print.
 */
import { neutralTitle } from '../../shared/documents/neutral-title';
import { expect, type Page } from '@playwright/test';
import type { Flight, Passenger } from '../../shared/domain/schemas';

/** A passenger a gate scan boards with no question asked: checked in, seated, numbered, an adult without an infant, cleared. */
export function boardsByScan(p: Passenger): boolean {
  return (
    p.status === 'checked-in' &&
    !p.standby &&
    p.seat !== null &&
    p.seqNo !== null &&
    p.paxType === 'ADT' &&
    p.infantId === null &&
    (p.vetting === 'cleared' || p.vetting === 'selectee')
  );
}

export async function openFlight(page: Page, flight: Flight): Promise<void> {
  await page.getByRole('button', { name: 'Departures' }).click();
  await page.getByTestId('flight-filter').fill(`${flight.carrier}${flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await expect(page.getByRole('heading', { name: new RegExp(`${flight.carrier}${flight.number}`) })).toBeVisible();
}

/** Finds the passenger by e-ticket on the manifest tab and opens them. */
export async function selectPassenger(page: Page, p: Passenger): Promise<void> {
  await page.getByTestId('tab-manifest').click();
  await page.getByTestId('manifest-search').fill(p.eticket);
  await page.getByTestId(`pax-${p.id}`).click();
}

/** A keyboard-wedge scanner types into whatever has focus, so nothing is focused or blurred first. */
export async function scan(page: Page, text: string, gapMs = 2): Promise<void> {
  await page.keyboard.type(text, { delay: gapMs });
  await page.keyboard.press('Enter');
}

/** The text of every boarding pass sent to print, read from the page's script-less print frames. */
export function printedPasses(page: Page): Promise<string[]> {
  return page.evaluate(
    (title) =>
      [...document.querySelectorAll<HTMLIFrameElement>(`iframe[title="${title}"]`)].map((f) => f.contentDocument?.body?.innerText ?? ''),
    neutralTitle('boarding-pass'),
  );
}

/** Weighs the checked bags on the check-in form: each bag's weight field in turn (the last weight for any bag after). */
export async function weighBags(page: Page, ...kg: number[]): Promise<void> {
  const fields = page.locator('[data-testid^="weight-input"]');
  const n = await fields.count();
  for (let i = 0; i < n; i++) await fields.nth(i).fill(String(kg[i] ?? kg.at(-1) ?? ''));
}
