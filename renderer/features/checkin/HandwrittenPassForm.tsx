/**
 * The register of passes written by hand during an outage (before Backstop was opened, or at a desk
 * without it): each is entered afterwards as a check-in at the time it was written, with the number
 * and seat written on it. Clashes with numbers or seats other desks used are settled by the
 * reconciliation and listed for a person; nothing is refused for them.
 */
import { useState, type FormEvent } from 'react';
import { displayName } from '../../../shared/domain/rules';
import type { Passenger } from '../../../shared/domain/schemas';
import { localDate } from '../../../shared/time';
import { recordHandwrittenPass } from '../../db/write-path';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { Feedback, feedbackOf, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { stationTimeToIso } from './station-time';

const s = strings.checkin.handwritten;

export function HandwrittenPassForm({
  flightId,
  passenger: p,
  bags,
}: {
  flightId: string;
  passenger: Passenger;
  bags: { count: number; weightKg: number };
}) {
  const { db, clock, sync } = useServices();
  const staff = useSession((st) => st.staff);
  const zone = useStationZone();
  const [seq, setSeq] = useState('');
  const [infantSeq, setInfantSeq] = useState('');
  const [seat, setSeat] = useState('');
  const [time, setTime] = useState('');
  const [feedback, setFeedback] = useState<FeedbackState>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!staff) return;
    const seqNo = Number(seq);
    const infantSeqNo = p.infantId ? Number(infantSeq) : null;
    const writtenAt = stationTimeToIso(localDate(clock().toISOString(), zone), time, zone);
    const seatCode = seat.trim().toUpperCase() || null;
    if (
      !Number.isInteger(seqNo) ||
      seqNo < 1 ||
      seqNo > 9999 ||
      writtenAt === null ||
      (infantSeqNo !== null && !Number.isInteger(infantSeqNo))
    ) {
      setFeedback({ kind: 'bad', title: s.title, message: s.invalid });
      return;
    }
    const out = await recordHandwrittenPass(
      db,
      { staffId: staff.id, role: staff.role },
      { flightId, passengerId: p.id, seat: seatCode, seqNo, infantSeqNo, bags, docsChecked: true, standby: seatCode === null, writtenAt },
      clock,
    );
    if (out.ok) sync.localWrite();
    setFeedback(feedbackOf(out, s.done(displayName(p), seqNo)));
  }

  return (
    <details className="handwritten" data-testid="handwritten">
      <summary>{s.title}</summary>
      <p className="hint">{s.hint}</p>
      <form className="handwritten-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{s.seq}</span>
          <input inputMode="numeric" value={seq} onChange={(e) => setSeq(e.target.value)} data-testid="handwritten-seq" />
        </label>
        {p.infantId && (
          <label className="field">
            <span>{s.infantSeq}</span>
            <input inputMode="numeric" value={infantSeq} onChange={(e) => setInfantSeq(e.target.value)} />
          </label>
        )}
        <label className="field">
          <span>{s.seat}</span>
          <input value={seat} onChange={(e) => setSeat(e.target.value)} data-testid="handwritten-seat" />
        </label>
        <label className="field">
          <span>{s.time}</span>
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required data-testid="handwritten-time" />
        </label>
        <button type="submit" className="btn">
          {s.submit}
        </button>
      </form>
      <Feedback state={feedback} />
    </details>
  );
}
