/**
 * How many fallback bag-tag numbers this desk holds for the carrier: quiet while there are plenty,
 * a warning when they run low (more arrive by themselves at the next sync), and a plain "none" when
 * the desk has none yet, so the agent sends bags to another desk instead of finding out at Enter.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { platesLeft } from '../../../shared/domain/bag-tags';
import { useServices } from '../../services';
import { strings } from '../../strings';

const s = strings.checkin;
/** Below this many numbers the desk says so. */
const LOW = 40;

export function TagStockNotice({ carrier }: { carrier: string }) {
  const { db } = useServices();
  const leases = useLiveQuery(() => db.tagLeases.where('carrier').equals(carrier).toArray(), [db, carrier]);
  if (!leases) return null;
  const left = platesLeft(leases, carrier);
  if (left >= LOW) return null;
  return (
    <p className={`feedback ${left === 0 ? 'feedback-bad' : 'feedback-warn'}`} role="status" data-testid="tag-stock">
      {left === 0 ? s.tagsNone : s.tagsLeft(left)}
    </p>
  );
}
