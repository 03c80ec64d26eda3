/**
 * How many check-in sequence numbers this desk has left on the flight: a warning below a fifth of
 * its blocks (it is topped up as soon as it is online), and for a supervisor the button that opens
 * the desk's emergency block when it runs out offline.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { openEmergencyBlock, SEQ_LOW_SHARE, seqStock } from '../../db/write-path';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';

const s = strings.checkin.seqStock;

export function SeqStockNotice({ flightId }: { flightId: string }) {
  const { db, clock } = useServices();
  const staff = useSession((st) => st.staff);
  const leases = useLiveQuery(() => db.leases.where('flightId').equals(flightId).toArray(), [db, flightId]);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  if (!leases) return null;
  const stock = seqStock(leases);
  const low = stock.total === 0 || stock.free < stock.total * SEQ_LOW_SHARE;
  if (!low && !feedback) return null;

  async function open() {
    if (!staff) return;
    const out = await openEmergencyBlock(db, { staffId: staff.id, role: staff.role }, flightId, clock);
    setFeedback('from' in out ? { kind: 'ok', title: s.opened(out.from, out.to), message: '' } : feedbackOf(out, ''));
  }

  return (
    <div className={`feedback ${stock.free === 0 ? 'feedback-bad' : 'feedback-warn'}`} role="status" data-testid="seq-stock">
      {low && (
        <p>
          <strong>{stock.free === 0 ? s.none : s.low(stock.free, stock.total)}</strong> {s.why}
        </p>
      )}
      {low && stock.emergency && !stock.emergency.opened && stock.emergency.free > 0 && (
        <p>
          {staff?.role === 'supervisor' ? (
            <button type="button" className="btn btn-warn" onClick={() => void open()} data-testid="open-emergency">
              {s.open(stock.emergency.free)}
            </button>
          ) : (
            <span className="hint">{s.askSupervisor(stock.emergency.free)}</span>
          )}
        </p>
      )}
      <Feedback state={feedback} />
    </div>
  );
}
