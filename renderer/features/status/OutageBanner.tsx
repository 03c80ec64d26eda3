/** The outage banner: impossible to miss, in words, and says what to do. */
import { localTime } from '../../../shared/time';
import { inFallback } from '../../sync/connectivity';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { useStationZone } from '../../ui/hooks';

const s = strings.status;

export function OutageBanner() {
  const connectivity = useSyncStore((st) => st.connectivity);
  const status = useSyncStore((st) => st.status);
  const workerError = useSyncStore((st) => st.workerError);
  const zone = useStationZone();
  const progress = status?.progress;

  return (
    <>
      {connectivity.incompatible && (
        <div className="banner banner-bad" role="alert">
          <strong>{s.incompatible}</strong> {connectivity.incompatible}
        </div>
      )}
      {inFallback(connectivity) && (
        <div className="banner banner-outage" role="alert" data-testid="outage-banner">
          <strong className="banner-title">{s.outageTitle}</strong>
          <span>
            {connectivity.link === 'offline' && s.outageOffline} {connectivity.dcs === 'down' && s.outageDcs}{' '}
            {connectivity.fallbackDeclared && s.outageDeclared('a supervisor')}{' '}
            {connectivity.lastOkAt && `Last contact ${localTime(connectivity.lastOkAt, zone)}. `}
            {s.outageBody}
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
      {status?.storage?.warning && (
        <div className="banner banner-warn" role="alert">
          <strong>{s.storage}</strong> {status.storage.warning}
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
