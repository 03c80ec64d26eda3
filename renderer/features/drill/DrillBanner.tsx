/** On every screen during a drill: a banner that says so, and the DRILL mark for the status bar. */
import { useServices } from '../../services';
import { go } from '../../state/navigation';
import { drillStrings as s } from './drill-strings';

export function DrillBanner() {
  const { drill } = useServices();
  if (!drill) return null;
  return (
    <div className="banner banner-drill" role="alert" data-testid="drill-banner">
      <strong className="banner-title">{s.bannerTitle}</strong>
      <span className="banner-text">{s.banner}</span>
      <button type="button" className="btn btn-small" onClick={() => go({ name: 'settings' })}>
        {s.toReport}
      </button>
    </div>
  );
}

export function DrillPill() {
  const { drill } = useServices();
  if (!drill) return null;
  return (
    <span className="pill pill-drill" role="status" data-testid="drill-mark">
      {s.pill}
    </span>
  );
}
