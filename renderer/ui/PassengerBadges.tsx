import type { Passenger } from '../../shared/domain/schemas';
import { strings } from '../strings';

/** Status in words and a shape, never colour alone. */
export function StatusTag({ status }: { status: Passenger['status'] }) {
  return <span className={`tag tag-pax-${status}`}>{strings.paxStatus[status]}</span>;
}

export function PassengerFlags({ p }: { p: Passenger }) {
  return (
    <span className="flags">
      {p.vetting === 'selectee' && <span className="badge badge-bad">SSSS</span>}
      {p.vetting === 'inhibited' && <span className="badge badge-bad">{strings.vetting.inhibited}</span>}
      {p.vetting === 'pending' && <span className="badge badge-warn">{strings.vetting.pending}</span>}
      {p.paxType === 'INF' && <span className="badge">{strings.manifest.infant}</span>}
      {p.infantId !== null && <span className="badge">+{strings.manifest.infant}</span>}
      {p.paxType === 'CHD' && <span className="badge">CHD</span>}
      {p.standby && <span className="badge badge-warn">{strings.manifest.standby}</span>}
    </span>
  );
}

export function SsrBadges({ ssrs }: { ssrs: readonly string[] }) {
  return (
    <span className="flags">
      {ssrs.map((s) => (
        <span key={s} className="badge badge-ssr">
          {s}
        </span>
      ))}
    </span>
  );
}
