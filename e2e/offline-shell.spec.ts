/**
 * The browser host through a real outage of its own servers: the backend goes, and a reload still
 * opens Backstop with the agent signed in (the UI server is a process of its own); then the UI
 * server goes too, and a reload still opens it, from the service worker's precached app shell,
 * with the local copy and the last contact on record. The service worker caches the app's own
 * files only: no backend call, no config.json.
 */
import { expect, test } from '@playwright/test';
import { screenshot, signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';

let stack: Stack;
test.beforeAll(async () => {
  stack = await startStack({ flights: 6 });
});
test.afterAll(async () => stack.close());

test('after the backend and then the UI server stop, a reload still opens Backstop, signed in, from the offline app shell', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  await page.goto(stack.ui.url);
  await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 60_000 });
  await signIn(page);
  await expect(page.getByRole('heading', { name: /Departures LHR/ })).toBeVisible();
  // The service worker installs after the first load and takes the page over once it has every file.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 30_000 }).toBe('activated');

  // The backend goes away. The UI server does not care: a reload (F5 by habit) opens the app again,
  // still signed in, and the banner says when the backend was last heard from.
  stack.offline();
  await expect(page.getByTestId('connectivity')).toContainText('OFFLINE', { timeout: 45_000 });
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Departures LHR/ })).toBeVisible();
  await expect(page.getByTestId('outage-banner')).toContainText(/Last (contact|complete sync) \d\d:\d\d/, { timeout: 45_000 });

  // Now the UI server goes too. The page comes from the service worker's precache, its settings
  // from the last config.json read, its data from IndexedDB.
  await stack.ui.close();
  const notServed = await page.request.get(stack.ui.url).then(
    () => false,
    () => true,
  );
  expect(notServed, 'the UI server is down').toBe(true);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Departures LHR/ })).toBeVisible();
  await expect(page.locator('tbody tr[tabindex]').first()).toBeVisible();
  await expect(page.getByTestId('workstation')).toContainText('GATE-E2E');
  await expect(page.getByTestId('outage-banner')).toContainText('FALLBACK MODE', { timeout: 45_000 });
  await screenshot(page, 'offline-shell');

  // What the service worker keeps: the app's own built files, nothing from the backend, no config.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
    return urls;
  });
  const origin = new URL(stack.ui.url).origin;
  expect(cached.length).toBeGreaterThan(3);
  expect(cached.filter((u) => !u.startsWith(origin))).toEqual([]);
  expect(cached.filter((u) => /config\.json|\/v1\//.test(u))).toEqual([]);
  expect(cached.some((u) => /index\.html/.test(u))).toBe(true);
  expect(problems).toEqual([]);
});
