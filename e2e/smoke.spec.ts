import { expect, test } from '@playwright/test';
import { startBrowserHostServer } from '../scripts/serve-browser';

test.describe('Backstop in the browser host', () => {
  let ui: Awaited<ReturnType<typeof startBrowserHostServer>>;

  test.beforeAll(async () => {
    // No backend on purpose: the first view must come up from the local database alone.
    ui = await startBrowserHostServer({ port: 0, backendUrl: 'http://127.0.0.1:9', station: 'LHR', workstation: 'E2E-1', enrolmentKey: 'x' });
  });
  test.afterAll(async () => ui.close());

  test('boots to the station screen with its empty state, a strict CSP and no console errors', async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(ui.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    await expect(page.getByRole('heading', { name: 'Departures LHR' })).toBeVisible();
    await expect(page.getByText('No flights in the local copy yet.')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/first-view.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
