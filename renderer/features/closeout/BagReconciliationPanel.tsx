/** The bags against the people: what flies with a boarded passenger, what must come off and whose. */
import type { BagReconciliation } from '../../../shared/domain/headcount';
import { displayName } from '../../../shared/domain/rules';
import { strings } from '../../strings';

const s = strings.closeout.bagReconciliation;

export function BagReconciliationPanel({ reconciliation: r }: { reconciliation: BagReconciliation }) {
  const rows = [
    ['ofBoarded', r.ofBoarded],
    ['ofNotBoarded', r.ofNotBoarded],
    ['ofOffloaded', r.ofOffloaded],
  ] as const;
  return (
    <div className="bag-reconciliation" data-testid="bag-reconciliation">
      <h3>{s.title}</h3>
      <dl className="facts">
        {rows.map(([key, bags]) => (
          <div key={key} className={key !== 'ofBoarded' && bags.count > 0 ? 'warn-text' : ''}>
            <dt>{s[key]}</dt>
            <dd data-testid={`bags-${key}`}>{strings.bags(bags.count, bags.weightKg)}</dd>
          </div>
        ))}
      </dl>
      {r.toTakeOff.length > 0 && (
        <>
          <p className="strong">{s.takeOff}</p>
          <ul className="waiting" data-testid="bags-to-take-off">
            {r.toTakeOff.map((p) => (
              <li key={p.id}>
                {displayName(p)} · seq {p.seqNo ?? '—'} · {p.pnr} — {strings.bags(p.bags.count, p.bags.weightKg)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
