/** The outage banner: impossible to miss, in words, and says what to do. */
import { inFallback } from '../../sync/connectivity';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { useLastCompleteSync, useStationZone } from '../../ui/hooks';
import { outageWords } from './outage-words';
import { DrillBanner } from '../drill/DrillBanner';

const s = strings.status;

export function OutageBanner() {
  const connectivity = useSyncStore((st) => st.connectivity);
  const status = useSyncStore((st) => st.status);
  const workerError = useSyncStore((st) => st.workerError);
  const zone = useStationZone();
  const lastCompleteSync = useLastCompleteSync();
  const progress = status?.progress;
  const words = outageWords(connectivity, lastCompleteSync, zone);

  return (
    <>
      <DrillBanner />
      {connectivity.incompatible && (
        <div className="banner banner-bad" role="alert">
          <strong>{s.incompatible}</strong> {strings.sync.problem(connectivity.incompatible)}
        </div>
      )}
      {inFallback(connectivity) && (
        <div className="banner banner-outage" role="alert" data-testid="outage-banner">
          <strong className="banner-title">{s.outageTitle}</strong>
          <span className="banner-text">
            {words.causes.join(' ')} {words.contact && <span data-testid="last-contact">{words.contact}</span>} {words.body}
          </span>
        </div>
      )}
      {progress?.initial && (
        <div className="banner banner-info" role="status" data-testid="initial-sync">
          {s.initialSync({
            passengers: progress.passengers,
            flights: progress.flights,
            mb: (progress.bytes / 1_048_576).toFixed(1),
            eta: progress.etaMs === null ? null : `${Math.max(1, Math.round(progress.etaMs / 1000))} s`,
          })}
          {progress.remaining !== null && (
            <progress max={progress.changes + progress.remaining} value={progress.changes} aria-label="First sync progress" />
          )}
        </div>
      )}
      {status?.storage?.nearlyFull && (
        <div className="banner banner-warn" role="alert">
          <strong>{s.storage}</strong>{' '}
          {s.storageNearlyFull(Math.round(status.storage.usage / 1_048_576), Math.round(status.storage.quota / 1_048_576))}
        </div>
      )}
      {workerError && (
        <div className="banner banner-bad" role="alert">
          {workerError}
        </div>
      )}
    </>
  );
}
