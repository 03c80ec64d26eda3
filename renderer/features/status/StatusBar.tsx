/**
 * The status bar every screen carries: connection state in words (never colour alone), how old
 * the data is, how many actions wait to sync, and who is signed in.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { age, localTime, zoneLabel } from '../../../shared/time';
import { useServices } from '../../services';
import { go } from '../../state/navigation';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { attentionCount } from '../sync/attention';
import { freshness, useLastCompleteSync, useNow, useStationZone } from '../../ui/hooks';
import { DrillPill } from '../drill/DrillBanner';
import { DemoEnrolmentPill } from '../trust/DemoEnrolmentPill';
import { SourcePill } from '../sync/SourcePill';

const s = strings.status;

export function StatusBar() {
  const { info, db, sync, settings } = useServices();
  const connectivity = useSyncStore((st) => st.connectivity);
  const status = useSyncStore((st) => st.status);
  const lastSync = useLastCompleteSync();
  const zone = useStationZone();
  const now = useNow();
  const pending = useLiveQuery(() => db.outbox.count(), [db]) ?? 0;
  // Flagged passengers and flights (counted on the flight records) and refusals not yet handled.
  const attention =
    useLiveQuery(async () => {
      const [flights, refused] = await Promise.all([db.flights.toArray(), db.outcomes.where('acknowledged').equals(0).count()]);
      return attentionCount(flights, refused);
    }, [db]) ?? 0;
  const fresh = freshness(lastSync, now, settings.stalenessMinutes);
  const link = connectivity.link;
  const busy = status?.phase === 'pushing' || status?.phase === 'pulling' || status?.phase === 'enrolling';

  return (
    <header className="topbar" role="banner">
      <span className="brand">{strings.appName}</span>
      <DrillPill />
      <DemoEnrolmentPill />
      <span className="topbar-item">{info.station}</span>
      <span className="topbar-item topbar-soft" data-testid="workstation">
        <span className="ws-label">{s.workstation}</span>
        <span className="sr-only"> </span>
        {info.workstation}
      </span>
      <span className={`pill pill-${link}`} role="status" aria-live="polite" data-testid="connectivity">
        <span aria-hidden="true" className="pill-dot" />
        {s[link]}
        {connectivity.dcs === 'down' && <span className="pill-extra"> · {s.dcsDown}</span>}
        {connectivity.fallbackDeclared && <span className="pill-extra"> · {s.declared}</span>}
      </span>
      <span className={`topbar-item asof asof-${fresh}`} data-testid="data-age">
        {lastSync ? (
          <>
            {s.dataAsOf} {localTime(lastSync, zone)} {zoneLabel(lastSync, zone)} ({age(lastSync, now)})
            {fresh !== 'fresh' && <strong className="stale-tag"> {s.stale}</strong>}
          </>
        ) : (
          s.neverSynced
        )}
      </span>
      <SourcePill />
      <button type="button" className="topbar-item pending-link" onClick={() => go({ name: 'sync' })} data-testid="pending-count">
        {pending > 0 ? s.pendingShort(pending) : s.allSynced}
        {attention > 0 && <strong className="attention"> · {s.needsAttention(attention)}</strong>}
      </button>
      {status?.otherWindowSyncing && (
        <span className="topbar-item topbar-soft" data-testid="other-window">
          {s.otherWindow}
        </span>
      )}
      <button type="button" className="btn btn-small btn-on-dark" onClick={() => sync.syncNow()} disabled={busy}>
        {busy ? s.syncing : s.syncNow}
      </button>
    </header>
  );
}
