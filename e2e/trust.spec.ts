/**
 * Trust, in the real app in Chromium (real IndexedDB, the real backend): a script injected into the
 * page does not run; what is stored in IndexedDB is sealed; wrong PINs are remembered across a
 * reload; and nothing a station day writes to the logs (the page's console, the backend's log)
 * names a passenger.
 */
import { expect, test } from '@playwright/test';
import type { Passenger } from '../shared/domain/schemas';
import { DEMO_AGENT_PIN, screenshot, signIn, startStack, type Stack } from '../tests/support/e2e-stack';

let stack: Stack;
const backendLog: string[] = [];
test.beforeAll(async () => {
  stack = await startStack({ flights: 6, logStream: { write: (line) => void backendLog.push(line) } });
});
test.afterAll(async () => stack.close());

test('an injected inline script does not run, whichever way it gets in', async ({ page }) => {
  await page.goto(stack.ui.url);
  await page.getByLabel('Staff ID').waitFor();
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const w = window as unknown as Record<string, unknown>;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = "script element"';
    document.head.appendChild(s);
    const div = document.createElement('div');
    div.innerHTML = '<img src="data:," onerror="window.__handler = 1"><a id="js" href="javascript:window.__href=1">x</a>';
    document.body.appendChild(div);
    (document.getElementById('js') as HTMLAnchorElement).click();
    await new Promise((r) => setTimeout(r, 300));
    return { script: w.__injected ?? null, handler: w.__handler ?? null, href: w.__href ?? null, violations };
  });
  expect(outcome).toMatchObject({ script: null, handler: null, href: null });
  expect(outcome.violations).toContain('script-src-elem');
});

test('a demo enrolment is announced on every screen, and the page never holds the demo key', async ({ page }) => {
  await page.goto(stack.ui.url);
  await page.getByLabel('Staff ID').waitFor();
  // What the page is told about the workstation, read the way the page reads it.
  const config = await page.evaluate(async () => (await fetch('/config.json')).text());
  expect(config).not.toContain('backstop-demo');
  expect(JSON.parse(config)).toMatchObject({ demoEnrolment: true });
  const pill = page.getByTestId('demo-enrolment');
  await expect(pill).toBeVisible();
  await expect(pill).toHaveAccessibleName(/DEMO ENROLMENT.*one-time code/);
  await screenshot(page, 'trust-demo-enrolment');
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  // Enrolled (through the host), and still nothing in the page's storage holds the key.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(stored).not.toContain('backstop-demo');
  await signIn(page);
  await expect(pill).toBeVisible();
});

test('a station day leaves no passenger name in the page’s console or the backend’s log, and none in IndexedDB', async ({ page }) => {
  test.setTimeout(120_000);
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('worker', (w) => w.on('console', (m) => consoleLines.push(m.text())));
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);

  const replica = (await stack.observe()).replica;
  const flight = replica.flights().find((f) => f.status === 'scheduled' && replica.passengers(f.id).filter(boardable).length >= 3)!;
  const pax = replica.passengers(flight.id).filter(boardable).slice(0, 3);
  await page.getByTestId('flight-filter').fill(`${flight.carrier}${flight.number}`);
  await page.getByTestId('flight-filter').press('Enter');
  await page.getByTestId('tab-boarding').click();
  for (const p of pax) {
    await page.getByTestId('gate-input').fill(String(p.seqNo));
    await page.getByTestId('gate-input').press('Enter');
    await expect(page.getByTestId('gate-result')).toContainText(p.lastName);
  }
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('pending-count')).toContainText('All actions synced', { timeout: 30_000 });

  const everyone = replica.flights().flatMap((f) => replica.passengers(f.id));
  const tells = everyone.flatMap((p) => [`${p.lastName}/${p.firstName}`, p.pnr, p.eticket]);
  const logs = [...consoleLines, ...backendLog].join('\n');
  expect(backendLog.length).toBeGreaterThan(10);
  for (const tell of tells) expect(logs, `a log line names ${tell}`).not.toContain(tell);

  // What Chromium keeps on disk for the app: read IndexedDB underneath Dexie.
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('backstop');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('open'));
    });
    const dump: unknown[] = [];
    for (const name of ['manifests', 'searchIndex', 'outbox', 'audit', 'staff', 'syncState', 'outcomes']) {
      dump.push(
        await new Promise((resolve) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result);
        }),
      );
    }
    db.close();
    return JSON.stringify(dump);
  });
  expect(stored.length).toBeGreaterThan(1000);
  for (const p of pax) expect(stored).not.toContain(p.lastName);
  expect(stored).not.toContain('Priya Shah');
});

test('wrong PINs are remembered across a reload', async ({ page }) => {
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Staff ID').fill('AG1002');
    await page.getByLabel('PIN').fill(`90${i}731`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  await page.reload();
  await page.getByLabel('Staff ID').fill('AG1002');
  await page.getByLabel('PIN').fill(DEMO_AGENT_PIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Too many wrong PINs');
});

function boardable(p: Passenger): boolean {
  return (
    p.status === 'checked-in' &&
    !p.standby &&
    p.seat !== null &&
    p.seqNo !== null &&
    p.infantOf === null &&
    p.infantId === null &&
    (p.vetting === 'cleared' || p.vetting === 'selectee')
  );
}
