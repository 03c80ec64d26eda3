/**
 * A first fill of more than one bulk page in the real app (sync worker, sealed at rest, the app's CSP):
 * the sync worker starts its fill helper (a nested worker, renderer/sync/fill-worker.ts), the two
 * take the pages in turns, and the desk ends with every flight the backend has for its station.
 */
import { expect, test } from '@playwright/test';
import { DB_NAME } from '../renderer/db/schema';
import { signIn, startStack, watchConsole, type Stack } from '../tests/support/e2e-stack';

let stack: Stack;
test.beforeAll(async () => {
  // More flights than one bulk page holds (100): two pages, the second the helper's.
  stack = await startStack({ flights: 130 });
});
test.afterAll(async () => stack.close());

test('a first fill of two pages runs in turns with the fill helper and stores every flight', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const cdp = await browser.newBrowserCDPSession();
  // Workers by target id: their script URL arrives after they are created.
  const workers = new Map<string, string>();
  const seen = (event: { targetInfo: { targetId: string; type: string; url: string; title: string } }) => {
    const t = event.targetInfo;
    if (t.type === 'worker') workers.set(t.targetId, `${t.title} ${t.url}`);
  };
  cdp.on('Target.targetCreated', seen);
  cdp.on('Target.targetInfoChanged', seen);
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  try {
    await page.goto(stack.ui.url);
    await expect(page.getByTestId('data-age')).not.toHaveText('Never synced', { timeout: 120_000 });
    expect(stack.proxy.log.filter((l) => l.path === '/v1/sync/bulk').length).toBeGreaterThanOrEqual(2);
    expect([...workers.values()].some((w) => /fill-worker/.test(w))).toBe(true);

    const expected = (await stack.observe()).replica.flights().length;
    expect(expected).toBeGreaterThan(100);
    const stored = await page.evaluate(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(new Error(String(open.error)));
          open.onsuccess = () => {
            const count = open.result.transaction('flights').objectStore('flights').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(new Error(String(count.error)));
          };
        }),
      DB_NAME,
    );
    expect(stored).toBe(expected);

    // And the app shows them: signed in, the departures list has flights from both pages.
    await signIn(page);
    await expect(page.getByRole('heading', { name: /Departures/ })).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await cdp.detach();
  }
});
