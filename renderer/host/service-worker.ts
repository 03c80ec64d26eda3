/**
 * The browser host's app shell, offline: once the page has loaded, a service worker (built by
 * vite-plugin-pwa with Workbox, see electron.vite.config.ts) keeps every built file, so a reload
 * still opens Backstop while the UI server or the network is down. It never caches calls to the
 * backend or config.json. Electron serves the same files from disk through app:// and gets none.
 */
export type ShellState = 'not-supported' | 'electron' | 'development' | 'registered' | 'failed';

export async function registerAppShell(): Promise<ShellState> {
  if (window.backstop) return 'electron';
  if (!import.meta.env.PROD) return 'development';
  if (!('serviceWorker' in navigator)) return 'not-supported';
  try {
    const { Workbox } = await import('workbox-window');
    await new Workbox('./sw.js', { scope: './' }).register();
    return 'registered';
  } catch (error) {
    console.warn('Backstop: the offline app shell could not be installed', error);
    return 'failed';
  }
}
