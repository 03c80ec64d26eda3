/**
 * Which backend this workstation syncs with, when there is a choice (a station relay and central)
 * or the one it uses is a relay: "Via station relay · central data as of 22:41 GMT (3 min)", with
 * the relay's own warnings — it cannot reach central, its copy is stale, actions it holds for this
 * desk have not reached central yet. In words, never colour alone.
 */
import { age, localTime, zoneLabel } from '../../../shared/time';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { useNow, useStationZone } from '../../ui/hooks';

const s = strings.source;

export function SourcePill() {
  const source = useSyncStore((st) => st.status?.source ?? null);
  const zone = useStationZone();
  const now = useNow();
  if (!source || (source.count < 2 && !source.relay)) return null;
  const asOf = source.centralAsOf;
  return (
    <span
      className={`topbar-item source-pill${source.stale ? ' asof-stale' : ''}`}
      data-testid="data-source"
      data-source={source.relay ? 'relay' : 'central'}
      title={source.url}
    >
      <strong>{source.relay ? s.relay : s.central}</strong>
      {source.count > 1 && source.index > 0 && <span> ({s.fallback(source.index + 1, source.count)})</span>}
      {source.relay && (
        <span data-testid="central-age">
          {' · '}
          {asOf ? `${s.centralAsOf} ${localTime(asOf, zone)} ${zoneLabel(asOf, zone)} (${age(asOf, now)})` : s.centralNever}
          {source.centralReachable === false && <> · {s.centralUnreachable}</>}
          {source.stale && <strong className="stale-tag"> {s.stale}</strong>}
        </span>
      )}
      {source.heldAtRelay > 0 && <span data-testid="held-at-relay"> · {s.held(source.heldAtRelay)}</span>}
    </span>
  );
}
