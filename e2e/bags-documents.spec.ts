/**
 * Bags, travel documents and load figures at a desk cut off from the backend, in the built app in
 * Chromium: the desk holds its own block of bag-tag serials from the backend; an agent checks a
 * passenger in on an APIS flight with two weighed bags and the passport from a keyboard-wedge
 * document reader; the bag tags print and their barcodes (rendered to PDF, then pixels) scan to
 * the plates on record; a second passenger boards without a document and holds the close until
 * their passport is typed in; an offload brings the bags up for removal by tag; the load tab's
 * LDM agrees with the headcount and is sent. When the network returns the backend has it all.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { plateLabel } from '../shared/domain/bag-tags';
import { headcount } from '../shared/domain/headcount';
import { parseLdm } from '../shared/domain/load';
import type { Flight, Passenger, TagLease } from '../shared/domain/schemas';
import { pdfPagePng, pdfText, readItf } from '../tests/support/print/pdf-tools';
import { bookable, freeSeats, inspectDatabase, openFlights } from '../tests/support/server-harness';
import { outboxCount } from '../tests/support/e2e-local-db';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';
import { openFlight, scan, selectPassenger } from '../tests/support/e2e-ui';

// Alone: its scans are timed keystrokes (a keyboard wedge), so no other spec runs beside it (the
// exclusive lock, as in scanner.spec.ts); a busy neighbour could split a scan into typing.
test.describe.configure({ lock: '-exclusive-' });

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => stack.close());

/** ICAO 9303 check digit (weights 7, 3, 1). */
function checkDigit(s: string): string {
  const value = (c: string) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  return String([...s].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3]!, 0) % 10);
}

/** A passport zone for the passenger, with correct check digits. */
function passportOf(p: Passenger, number: string, expiry = '320517'): [string, string] {
  const name = `${p.lastName}<<${p.firstName}`.replace(/[ -]/g, '<').padEnd(39, '<').slice(0, 39);
  const num = number.padEnd(9, '<');
  const dob = '850203';
  const personal = '<'.repeat(14);
  const parts = [
    num + checkDigit(num),
    'GBR',
    dob + checkDigit(dob),
    p.title === 'MR' ? 'M' : 'F',
    expiry + checkDigit(expiry),
    personal + checkDigit(personal),
  ];
  return [`P<GBR${name}`, parts.join('') + checkDigit(parts[0]! + parts[2]! + parts[4]! + parts[5]!)];
}

function tagFrames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLIFrameElement>('iframe[title="Backstop bag-tag"]')].map((f) => f.getAttribute('srcdoc') ?? ''),
  );
}

test('a desk offline tags bags, reads passports for APIS, reconciles bags after an offload, and sends the LDM', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(240_000);
  const problems = watchConsole(page);
  const observer = await stack.observe();
  const flight = openFlights(observer.replica).find((f: Flight) => f.apis === true)!;
  expect(flight, 'the demo data has an open APIS flight').toBeTruthy();
  const [anna, bob] = bookable(observer.replica, flight.id);
  const [seatA, seatB] = freeSeats(observer.replica, flight);

  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);
  await openFlight(page, flight);
  // The desk's block of bag-tag serials arrived with its first sync.
  const leases = await page.evaluate(
    () =>
      new Promise<TagLease[]>((resolve, reject) => {
        const open = indexedDB.open('backstop');
        open.onerror = () => reject(open.error ?? new Error('cannot open'));
        open.onsuccess = () => {
          const req = open.result.transaction('tagLeases').objectStore('tagLeases').getAll();
          req.onsuccess = () => resolve(req.result as TagLease[]);
          req.onerror = () => reject(req.error ?? new Error('cannot read'));
        };
      }),
  );
  expect(leases.length).toBeGreaterThan(0);
  expect(leases[0]).toMatchObject({ carrier: 'BQ', airlineCode: '934' });

  stack.offline();

  // Anna: two bags weighed one by one, passport from the document reader.
  await selectPassenger(page, anna!);
  await page.getByTestId('tab-checkin').click();
  await expect(page.getByTestId('apis-note')).toBeVisible();
  await page.locator(`[data-seat="${seatA}"]`).click();
  await page.getByTestId('bags-input').fill('2');
  await page.getByTestId('weight-input').fill('23');
  await page.getByTestId('weight-input-1').fill('18');
  // The reader types each line and Enter into whatever has focus (here the second weight field).
  const zone = passportOf(anna!, '533401372');
  for (const line of zone) await scan(page, line);
  await expect(page.getByTestId('weight-input-1')).toHaveValue('18');
  await expect(page.getByTestId('document-ok')).toContainText('533401372');
  await expect(page.getByTestId('document-facts')).toContainText('read by the document reader');
  await screenshot(page, 'bags-checkin-document');
  await page.getByTestId('document-facts').scrollIntoViewIfNeeded();
  await screenshot(page, 'bags-document-facts');
  await page.getByTestId('checkin-submit').click();
  await expect(page.getByTestId('feedback').first()).toContainText('checked in');
  await expect(page.getByTestId('feedback').nth(2)).toContainText('2 bag tags sent to the print dialog');
  await expect.poll(async () => (await tagFrames(page)).length).toBeGreaterThan(0);
  const [tagHtml] = await tagFrames(page);

  // On her record at this desk (read from the screen: the local copy is encrypted at rest).
  await selectPassenger(page, anna!);
  const bagsText = (await page.getByTestId('pax-bags').textContent()) ?? '';
  const plates = [...bagsText.matchAll(/1934 (\d{6})/g)].map((m) => `1934${m[1]}`);
  expect(bagsText).toContain('2 / 41 kg');
  expect(plates).toHaveLength(2);
  for (const plate of plates) {
    const serial = Number(plate.slice(4));
    expect(leases.some((l) => serial >= l.from && serial <= l.to)).toBe(true);
  }
  await expect(page.getByTestId('pax-document')).toContainText('P GBR 533401372');
  await expect(page.getByTestId('pax-document')).not.toContainText('typed');

  // The bag tags went to print: rendered to PDF and pixels, their barcodes scan to the plates on record.
  const paper = await browser.newPage();
  await paper.setContent(tagHtml!, { waitUntil: 'load' });
  const pdfFile = info.outputPath('app-bag-tags.pdf');
  await writeFile(pdfFile, await paper.pdf({ width: '54mm', height: '470mm', preferCSSPageSize: true, printBackground: true }));
  await paper.close();
  for (const [i, plate] of plates.entries()) {
    const png = await pdfPagePng(pdfFile, i + 1, 300);
    expect(new Set(await readItf(png))).toEqual(new Set([plate]));
  }
  expect(await pdfText(pdfFile)).toContain(plateLabel(plates[0]!));

  // Bob: accepted without a document, boarded: the APIS flight cannot close for want of his passport.
  await selectPassenger(page, bob!);
  await page.getByTestId('tab-checkin').click();
  await page.locator(`[data-seat="${seatB}"]`).click();
  await page.getByTestId('bags-input').fill('0');
  await page.getByTestId('docs-check').check();
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(page.getByTestId('feedback').first()).toContainText('checked in');
  await selectPassenger(page, bob!);
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByTestId('tab-closeout').click();
  await expect(page.getByTestId('apis-missing')).toContainText(`${bob!.lastName}/${bob!.firstName}`);
  await expect(page.getByTestId('close-flight')).toBeDisabled();
  await screenshot(page, 'bags-closeout-apis');
  // His passport typed by hand at the gate (slowly, as a person types): recorded, and flagged as typed.
  await page.getByTestId(`apis-open-${bob!.id}`).click();
  await page.getByTestId('read-document').click();
  await page.getByTestId('pax-doc-mrz').click();
  const bobZone = passportOf(bob!, 'X12345678');
  await page.keyboard.type(bobZone[0], { delay: 70 });
  await page.keyboard.press('Enter');
  await page.keyboard.type(bobZone[1], { delay: 70 });
  await expect(page.getByTestId('pax-doc-ok')).toBeVisible();
  await expect(page.getByTestId('pax-doc-facts')).toContainText('typed by hand');
  await page.getByTestId('record-document').click();
  await expect(page.getByTestId('pax-document')).toContainText('X12345678');
  await expect(page.getByTestId('pax-document')).toContainText('MRZ typed by hand');
  await page.getByTestId('tab-closeout').click();
  await expect(page.getByTestId('apis-missing').getByText(bob!.lastName)).toHaveCount(0);

  // Anna is offloaded: the dialog names her tags, and the bags come up for removal by tag.
  await selectPassenger(page, anna!);
  await page.getByRole('button', { name: 'Offload' }).click();
  await expect(page.getByTestId('bags-off')).toContainText(plateLabel(plates[0]!));
  await expect(page.getByTestId('bags-off')).toContainText(plateLabel(plates[1]!));
  await page.getByPlaceholder('Why? (kept in the audit log)').fill('Unwell');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('tab-closeout').click();
  await expect(page.getByTestId(`take-off-${anna!.id}`)).toContainText(`Offloaded: take off`);
  for (const plate of plates) await expect(page.getByTestId(`take-off-${anna!.id}`)).toContainText(plateLabel(plate));
  // The ramp check: the ramp had loaded her first bag, and one that is not this flight's. Scanned into
  // the tag field, they come up to be taken off, hers with her name.
  const stranger = '1934999998';
  await page.getByTestId('ramp-tag').click();
  for (const tag of [plates[0]!, stranger]) await scan(page, tag);
  await expect(page.getByTestId('ramp-take-off')).toContainText(plateLabel(plates[0]!));
  await expect(page.getByTestId('ramp-take-off')).toContainText(`${anna!.lastName}/${anna!.firstName}`);
  await expect(page.getByTestId('ramp-take-off')).toContainText('offloaded');
  await expect(page.getByTestId('ramp-unknown')).toContainText(plateLabel(stranger));
  await page.getByTestId('ramp-check').scrollIntoViewIfNeeded();
  await screenshot(page, 'bags-ramp-check');
  await page.getByTestId(`ramp-off-${plates[0]}`).click();
  await expect(page.getByTestId('ramp-take-off')).toHaveCount(0);
  // Typed by hand as the ramp reads it out: a bad number is said so, a good one counts.
  await page.getByTestId('ramp-tag').fill('1934 12');
  await page.getByTestId('ramp-tag').press('Enter');
  await expect(page.getByTestId('ramp-check').getByRole('alert')).toContainText('Not a bag tag number');
  await page.getByTestId('ramp-tag').fill(plateLabel(plates[1]!));
  await page.getByTestId('ramp-tag').press('Enter');
  await expect(page.getByTestId('ramp-take-off')).toContainText(plateLabel(plates[1]!));
  await page.getByTestId(`ramp-off-${plates[1]}`).click();
  await page.getByTestId(`ramp-off-${stranger}`).click();
  await expect(page.getByTestId('ramp-result')).toHaveCount(0);

  // The load tab: the LDM is sent (read back against the headcount once the backend has everything).
  await page.getByTestId('tab-load').click();
  await page.getByTestId('basis-accepted').check();
  await page.getByTestId('message-to').fill('LOADCONTROL');
  await page.getByTestId('send-LDM').click();
  await expect(page.getByTestId('feedback').first()).toContainText('LDM queued for LOADCONTROL');
  const sent = (await page.getByTestId('message-LDM').textContent()) ?? '';
  // Exported as a text file too, exactly as sent.
  const saving = page.waitForEvent('download');
  await page.getByTestId('save-LDM').click();
  const download = await saving;
  expect(download.suggestedFilename()).toBe(`${flight.carrier}${flight.number}-${flight.date}-LDM.txt`);
  expect(await readFile(await download.path(), 'utf8')).toBe(`${sent}\n`);
  await screenshot(page, 'bags-load-tab');
  expect(await outboxCount(page)).toBeGreaterThan(0);

  // Back online: the backend has the tags, both documents and the LDM exactly as sent.
  stack.online();
  await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0);
  await observer.sync();
  expect(observer.replica.passenger(anna!.id).bags.pieces?.map((b) => b.tag)).toEqual(plates);
  expect(observer.replica.passenger(anna!.id).status).toBe('offloaded');
  expect(observer.replica.passenger(bob!.id).document).toMatchObject({ number: 'X12345678', source: 'typed' });
  expect(observer.replica.passenger(anna!.id).document).toMatchObject({ number: '533401372', nationality: 'GBR', source: 'reader' });
  // The LDM sent agrees with the headcount of the flight as the backend now has it.
  const h = headcount(observer.replica.passengers(flight.id));
  const d = parseLdm(sent)!.destinations[0]!;
  expect(d).toMatchObject({ destination: flight.destination, infant: h.infants.checkedIn });
  expect(d.male + d.female + d.child).toBe(h.total.checkedIn);
  expect(d.bags).toEqual({ pieces: h.bags.count, weightKg: h.bags.weightKg });
  const db = await inspectDatabase({ dataDir: stack.server.dataDir, databaseUrl: null });
  try {
    const rows = await db.all<{ mutation: string }>(
      "SELECT mutation FROM ledger_fact WHERE flight_id = ? AND mutation LIKE '%flight.message%'",
      flight.id,
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.mutation)).toMatchObject({ type: 'flight.message', args: { kind: 'LDM', to: 'LOADCONTROL' } });
    expect((JSON.parse(rows[0]!.mutation) as { args: { text: string } }).args.text).toBe(sent);
  } finally {
    await db.close();
  }
  expect(problems).toEqual([]);
});
