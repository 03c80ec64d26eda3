import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { offsetClock } from '../shared/clock';
import { App } from './App';
import { DrillScope } from './features/drill/DrillScope';
import { openProtected } from './db/open-protected';
import { ProtectStorageScreen } from './features/protect/ProtectStorageScreen';
import { startTrust } from './features/trust/start';
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
    // Sealed at rest with the workstation's keys; without keys nothing is opened (or stored).
    const opened = await openProtected(host);
    if (opened.kind === 'needs-acceptance') {
      root.render(<ProtectStorageScreen host={host} info={info} backend={opened.backend} />);
      return;
    }
    if (opened.kind === 'unavailable') throw new Error(opened.message);
    const { db, keys } = opened;
    // Ask the browser not to evict the cache under storage pressure; the answer is shown in Settings.
    void navigator.storage?.persist?.().catch(() => false);
    const settings = await loadSettings(db);
    const clock = offsetClock(info.clockOffsetMs);
    // A reload within the inactivity window keeps the agent signed in (locked after it).
    await restoreSession(db, info.station, clock, sessionStorage).catch(() => undefined);
    persistSession(sessionStorage);
    // The browser host's workstation name is this profile's own unless config.json pins one
    // (BrowserHost resolves it into info.workstation).
    const sync = startSyncWorker(info, settings, host, keys);
    startTrust(db, clock, host);
    root.render(
      <StrictMode>
        <ServicesContext.Provider value={{ host, clock, db, info, sync, settings }}>
          <DrillScope>
            <App />
          </DrillScope>
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
