import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { offsetClock } from '../shared/clock';
import { App } from './App';
import { openDatabase } from './db/schema';
import { persistSession, restoreSession } from './features/signin/session-persistence';
import { detectHost } from './host';
import { registerAppShell } from './host/service-worker';
import { ServicesContext } from './services';
import { loadSettings } from './settings';
import { startSyncWorker } from './sync/client';
import { StartupError } from './ui/StartupError';
import './ui/theme.css';

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const host = detectHost();
  try {
    const info = await host.info();
    const db = openDatabase();
    await db.open();
    // Ask the browser not to evict the cache under storage pressure; the answer is shown in Settings.
    void navigator.storage?.persist?.().catch(() => false);
    const settings = await loadSettings(db);
    const clock = offsetClock(info.clockOffsetMs);
    // A reload within the inactivity window keeps the agent signed in (locked after it).
    await restoreSession(db, info.station, clock, sessionStorage).catch(() => undefined);
    persistSession(sessionStorage);
    // The browser host's workstation name is this profile's own unless config.json pins one
    // (BrowserHost resolves it into info.workstation).
    const sync = startSyncWorker(info, settings);
    root.render(
      <StrictMode>
        <ServicesContext.Provider value={{ host, clock, db, info, sync, settings }}>
          <App />
        </ServicesContext.Provider>
      </StrictMode>,
    );
  } catch (error) {
    root.render(<StartupError error={error} />);
  }
  // After the first render, so installing the offline shell never delays the app.
  void registerAppShell();
}

void boot();
