/**
 * A seat map to pick from: free, taken, blocked and not-allowed seats are told apart by label and
 * pattern as well as colour; every seat is a real button with its state in its accessible name.
 */
import { useEffect, useMemo, useRef } from 'react';
import { checkSeat, displayName, holdsSeat } from '../../../shared/domain/rules';
import type { Passenger, SeatMap as SeatMapData } from '../../../shared/domain/schemas';
import { strings } from '../../strings';

const s = strings.checkin;

type SeatState = 'free' | 'taken' | 'blocked' | 'barred' | 'own';

export function SeatMap({
  map,
  passengers,
  forPassenger,
  selected,
  onSelect,
}: {
  map: SeatMapData;
  passengers: Passenger[];
  forPassenger: Passenger;
  selected: string | null;
  onSelect: (seat: string) => void;
}) {
  const holders = useMemo(() => new Map(passengers.filter(holdsSeat).map((p) => [p.seat!, p])), [passengers]);
  const states = useMemo(() => {
    const out = new Map<string, { state: SeatState; why: string }>();
    for (const row of map.rows) {
      for (const letter of row.layout.replaceAll('-', '')) {
        const code = `${row.row}${letter}`;
        const holder = holders.get(code);
        if (holder?.id === forPassenger.id) out.set(code, { state: 'own', why: 'current seat' });
        else if (holder) out.set(code, { state: 'taken', why: `taken by ${displayName(holder)}` });
        else if (map.blocked.includes(code)) out.set(code, { state: 'blocked', why: 'blocked' });
        else {
          const issue = checkSeat(map, passengers, forPassenger, code);
          out.set(code, issue ? { state: 'barred', why: issue.message } : { state: 'free', why: 'free' });
        }
      }
    }
    return out;
  }, [map, holders, passengers, forPassenger]);

  // Open where this passenger sits, or at their cabin, not at row 1 of a long widebody.
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const target = el.querySelector<HTMLElement>(selected ? `[data-seat="${selected}"]` : `[data-cabin="${forPassenger.cabin}"]`);
    if (target) el.scrollTop = Math.max(0, target.offsetTop - el.clientHeight / 3);
    // Only when the map opens for a passenger: later picks must not make it jump under the pointer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [forPassenger.id]);

  return (
    <div className="seatmap" role="group" aria-label={strings.seatmap.label} data-testid="seatmap" ref={container}>
      <div className="seatmap-legend" aria-hidden="true">
        <span className="seat seat-free">{s.legend.free}</span>
        <span className="seat seat-taken">{s.legend.taken}</span>
        <span className="seat seat-blocked">{s.legend.blocked}</span>
        <span className="seat seat-selected">{s.legend.selected}</span>
        <span className="exit-mark">{s.legend.exit}</span>
      </div>
      {map.rows.map((row, i) => {
        const newCabin = i === 0 || map.rows[i - 1]!.cabin !== row.cabin;
        return (
          <div key={row.row}>
            {newCabin && (
              <div className="cabin-label" data-cabin={row.cabin}>
                {strings.seatmap.cabin(row.cabin)}
              </div>
            )}
            <div className={`seat-row${row.exit ? ' exit-row' : ''}`}>
              <span className="row-no">{row.row}</span>
              {row.layout.split('-').map((group, g) => (
                <span key={g} className="seat-group">
                  {[...group].map((letter) => {
                    const code = `${row.row}${letter}`;
                    const st = states.get(code)!;
                    const isSelected = code === selected;
                    const disabled = st.state === 'taken' || st.state === 'blocked' || st.state === 'barred';
                    return (
                      <button
                        key={code}
                        type="button"
                        className={`seat seat-${isSelected ? 'selected' : st.state}`}
                        disabled={disabled}
                        aria-pressed={isSelected}
                        aria-label={`Seat ${code}, ${isSelected ? 'selected' : st.why}${row.exit ? ', exit row' : ''}`}
                        title={`${code}: ${st.why}`}
                        onClick={() => onSelect(code)}
                        data-seat={code}
                      >
                        {letter}
                      </button>
                    );
                  })}
                </span>
              ))}
              {row.exit && <span className="exit-mark">{strings.seatmap.exit}</span>}
            </div>
          </div>
        );
      })}
    </div>
  );
}
