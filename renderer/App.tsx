import { useState } from 'react';
import { DeparturesScreen } from './features/departures/DeparturesScreen';
import { FlightScreen } from './features/flight/FlightScreen';
import { useFindByScan } from './features/navigation/use-find-by-scan';
import { useHotkeys } from './features/navigation/use-hotkeys';
import { useInactivityLock } from './features/navigation/use-inactivity-lock';
import { SearchScreen } from './features/search/SearchScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { signOut } from './features/signin/session-actions';
import { SignInScreen } from './features/signin/SignInScreen';
import { OutageBanner } from './features/status/OutageBanner';
import { StatusBar } from './features/status/StatusBar';
import { SyncScreen } from './features/sync/SyncScreen';
import { DiagnosticsScreen } from './features/diagnostics/DiagnosticsScreen';
import { useReportStatus } from './features/diagnostics/use-report-status';
import { useServices } from './services';
import { go, useNavigation } from './state/navigation';
import { useSession } from './state/session';
import { strings } from './strings';

export function App() {
  const { info, db, clock } = useServices();
  const staff = useSession((s) => s.staff);
  const locked = useSession((s) => s.locked);
  const route = useNavigation((s) => s.route);
  const [scanProblem, setScanProblem] = useState<string | null>(null);
  useHotkeys();
  useInactivityLock();
  useReportStatus();
  const inGate = route.name === 'flight' && route.tab === 'boarding';
  useFindByScan(staff !== null && !locked && !inGate, setScanProblem);

  return (
    <div className="app">
      <StatusBar />
      <OutageBanner />
      {info.notice && (
        <div className="banner banner-warn" role="status">
          {info.notice}
        </div>
      )}
      {!staff || locked ? (
        <SignInScreen />
      ) : (
        <>
          <nav className="nav" aria-label="Main">
            {(['departures', 'search', 'sync', 'settings', 'diagnostics'] as const).map((name) => (
              <button
                key={name}
                type="button"
                className={`nav-item${route.name === name ? ' active' : ''}`}
                aria-current={route.name === name ? 'page' : undefined}
                onClick={() => go({ name })}
              >
                {strings.nav[name]}
              </button>
            ))}
            <span className="grow" />
            <span className="nav-user">
              {staff.name} ({staff.id}
              {staff.role === 'supervisor' ? ', supervisor' : ''})
            </span>
            <button type="button" className="btn btn-small" onClick={() => void signOut(db, clock)}>
              {strings.signin.signOut}
            </button>
          </nav>
          {scanProblem && (
            <div className="banner banner-warn" role="alert">
              {scanProblem}
              <button type="button" className="btn btn-small" onClick={() => setScanProblem(null)}>
                {strings.dismiss}
              </button>
            </div>
          )}
          <main className="content">
            {route.name === 'departures' && <DeparturesScreen />}
            {route.name === 'flight' && <FlightScreen flightId={route.flightId} tab={route.tab} />}
            {route.name === 'search' && <SearchScreen />}
            {route.name === 'sync' && <SyncScreen />}
            {route.name === 'settings' && <SettingsScreen />}
            {route.name === 'diagnostics' && <DiagnosticsScreen />}
          </main>
          <footer className="keys-hint">{strings.nav.keys}</footer>
        </>
      )}
    </div>
  );
}
