/**
 * Who was accepted and has not boarded, with the bags that are theirs: at close each one boards or
 * comes off with their bags. Offloading from here takes one reason for the lot, asked once.
 */
import { useState } from 'react';
import { plateLabel } from '../../../shared/domain/bag-tags';
import { displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger } from '../../../shared/domain/schemas';
import { strings } from '../../strings';
import { feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { useActions } from '../actions';

const s = strings.closeout;

export function NotBoardedList({
  flight,
  passengers,
  waiting,
  canOffload,
  onResult,
}: {
  flight: Flight;
  passengers: readonly Passenger[];
  /** Accepted adults and children not on board, lap infants apart (they go with their adult). */
  waiting: readonly Passenger[];
  canOffload: boolean;
  onResult: (f: FeedbackState) => void;
}) {
  const actions = useActions();
  const [reason, setReason] = useState<string>(s.offloadReason);
  const infantOf = (p: Passenger) => (p.infantId === null ? undefined : passengers.find((x) => x.id === p.infantId));
  const bags = waiting.reduce(
    (sum, p) => {
      const infant = infantOf(p);
      return {
        count: sum.count + p.bags.count + (infant?.bags.count ?? 0),
        weightKg: sum.weightKg + p.bags.weightKg + (infant?.bags.weightKg ?? 0),
      };
    },
    { count: 0, weightKg: 0 },
  );

  async function offload(p: Passenger) {
    const out = await actions.perform({
      type: 'passenger.offload',
      args: { flightId: flight.id, passengerId: p.id, reason: reason.trim() },
    });
    const infant = infantOf(p);
    const count = p.bags.count + (infant?.bags.count ?? 0);
    const weightKg = p.bags.weightKg + (infant?.bags.weightKg ?? 0);
    onResult(
      feedbackOf(
        out,
        `${strings.passenger.actions.offload}: ${displayName(p)}`,
        count > 0 ? strings.passenger.bagsOffDone(strings.bags(count, weightKg)) : '',
      ),
    );
  }

  return (
    <div className="not-boarded" data-testid="not-boarded">
      <h3>{s.notBoarded(waiting.length, strings.bags(bags.count, bags.weightKg))}</h3>
      {canOffload && (
        <label className="field">
          <span>{s.offloadReasonLabel}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="offload-reason" />
        </label>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>{strings.passenger.seat}</th>
            <th>{s.name}</th>
            <th>{strings.passenger.seq}</th>
            <th>{strings.passenger.bags}</th>
            {canOffload && <th aria-label={strings.passenger.actions.offload} />}
          </tr>
        </thead>
        <tbody>
          {waiting.map((p) => {
            const infant = infantOf(p);
            return (
              <tr key={p.id} data-testid="not-boarded-row">
                <td className="mono">{p.seat ?? 'STBY'}</td>
                <td>
                  {displayName(p)}
                  {infant && ` + ${displayName(infant)}`}
                </td>
                <td className="mono">{p.seqNo ?? '—'}</td>
                <td>
                  {strings.bags(p.bags.count + (infant?.bags.count ?? 0), p.bags.weightKg + (infant?.bags.weightKg ?? 0))}
                  {[p, ...(infant ? [infant] : [])].some((x) => (x.bags.pieces?.length ?? 0) > 0) && (
                    <div className="mono soft">
                      {[p, ...(infant ? [infant] : [])]
                        .flatMap((x) => x.bags.pieces ?? [])
                        .map((b) => plateLabel(b.tag))
                        .join(', ')}
                    </div>
                  )}
                </td>
                {canOffload && (
                  <td>
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      disabled={reason.trim() === ''}
                      onClick={() => void offload(p)}
                      aria-label={`${strings.passenger.actions.offload} ${displayName(p)}`}
                    >
                      {strings.passenger.actions.offload}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
