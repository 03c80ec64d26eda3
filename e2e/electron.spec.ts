/**
 * The same smoke test against the real Electron app. These machines cannot download the Electron
 * binary, so it skips with the reason; wherever `npm ci` could fetch Electron, it runs.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../scripts/electron-binary';

const binary = findElectronBinary();

test.describe('Backstop in Electron', () => {
  test.skip(binary === null, 'No Electron binary on this machine (it cannot be downloaded here); run `npm ci` with internet to get one.');

  test('boots to the station screen through app:// with the preload bridge', async () => {
    const app = await electron.launch({ executablePath: binary!, args: ['out/main/index.js', '--backend=http://127.0.0.1:9'] });
    const page = await app.firstWindow();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await expect(page.getByRole('heading', { name: /Departures/ })).toBeVisible();
    expect(page.url()).toBe('app://backstop/index.html');
    expect(await page.evaluate(() => typeof (window as { backstop?: unknown }).backstop)).toBe('object');
    expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe('undefined');
    expect(problems).toEqual([]);
    await app.close();
  });
});
