/** The bags against the people: what flies with a boarded passenger, what must come off and whose, by tag number. */
import { plateLabel } from '../../../shared/domain/bag-tags';
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
      {r.removal.length > 0 && (
        <>
          <p className="strong">{s.takeOff}</p>
          <ul className="waiting" data-testid="bags-to-take-off">
            {r.removal.map((x) => (
              <li key={x.passenger.id} data-testid={`take-off-${x.passenger.id}`}>
                <span className={x.why === 'offloaded' ? 'strong bad' : 'strong'}>{strings.closeout.why[x.why]}</span> ·{' '}
                {displayName(x.passenger)} · seq {x.passenger.seqNo ?? '—'} · {x.passenger.pnr} —{' '}
                {strings.bags(x.bags.count, x.bags.weightKg)}
                {x.tags.length > 0 && (
                  <>
                    {' '}
                    · {strings.closeout.tags}: <span className="mono strong">{x.tags.map(plateLabel).join(', ')}</span>
                  </>
                )}
                {x.untagged > 0 && ` · ${strings.closeout.tagsUnknown(x.untagged)}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
