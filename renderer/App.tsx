import { StationScreen } from './features/station/StationScreen';
import { useServices } from './services';
import { strings } from './strings';

export function App() {
  const { info } = useServices();
  return (
    <div className="app">
      <header className="topbar" role="banner">
        <span className="brand">{strings.appName}</span>
        <span className="topbar-item">{info.station}</span>
        <span className="topbar-item">
          {strings.status.workstation} {info.workstation}
        </span>
      </header>
      {info.notice && (
        <div className="notice" role="status">
          {info.notice}
        </div>
      )}
      <main className="content">
        <StationScreen />
      </main>
    </div>
  );
}
