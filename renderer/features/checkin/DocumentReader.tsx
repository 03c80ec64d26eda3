/**
 * A travel document field: the passport's or ID card's machine-readable zone, from a keyboard-wedge
 * document reader (its lines arrive as scans, wherever focus is: document-scans.ts) or typed into
 * the box. It shows what the zone says, checks expiry and the name against the booking, and hands
 * the parent a TravelDocument only when it may be recorded: read without a check-digit error, not
 * expired, and the booked passenger's (or the agent confirmed a name written differently). A typed
 * zone is recorded as typed, so APIS knows a person keyed it rather than a reader reading it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { checkDocument, mrzShape, mrzLines, readMrz } from '../../../shared/domain/mrz';
import { displayName } from '../../../shared/domain/rules';
import type { Flight, Passenger, TravelDocument } from '../../../shared/domain/schemas';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { useStationToday } from '../../ui/hooks';
import { takeDocumentScans } from './document-scans';

const s = strings.checkin.document;

export function DocumentReader({
  flight,
  passenger,
  label,
  onDocument,
  testId,
}: {
  flight: Pick<Flight, 'date' | 'apis'>;
  passenger: Passenger;
  label: string;
  /** The document to record, or null while there is none that may be. */
  onDocument: (doc: TravelDocument | null) => void;
  testId: string;
}) {
  const { clock } = useServices();
  const staff = useSession((st) => st.staff);
  const [text, setText] = useState('');
  const [source, setSource] = useState<'reader' | 'typed'>('typed');
  const [nameConfirmed, setNameConfirmed] = useState(false);
  const [readAt, setReadAt] = useState<string | null>(null);
  const hasZone = useRef(false);

  const today = useStationToday();
  const lines = mrzLines(text);
  const complete = mrzShape(lines) !== null;
  const reading = useMemo(() => (complete ? readMrz(text, today) : null), [complete, text, today]);
  const doc = reading?.ok ? reading.document : null;
  const check = doc ? checkDocument(doc, passenger, today, flight.date) : null;
  const usable = doc !== null && check !== null && !check.expired && !check.expiresBeforeTravel && (check.nameMatches || nameConfirmed);
  useEffect(() => {
    hasZone.current = complete;
  }, [complete]);

  useEffect(
    () =>
      takeDocumentScans({
        waiting: () => !hasZone.current,
        take: (z) => {
          setText(z.join('\n'));
          setSource('reader');
          setNameConfirmed(false);
          setReadAt(clock().toISOString());
        },
      }),
    [clock],
  );

  const recorded: TravelDocument | null =
    usable && doc && staff
      ? {
          ...doc,
          source,
          nameMismatch: !check.nameMatches,
          recordedAt: readAt ?? clock().toISOString(),
          recordedBy: staff.id,
        }
      : null;
  const key = recorded ? `${recorded.number}|${recorded.source}|${recorded.nameMismatch}|${recorded.recordedAt}` : '';
  useEffect(() => {
    onDocument(recorded);
    // The document is rebuilt on every render; tell the parent only when what it says changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <div className="document-reader" data-testid={testId}>
      <label className="field">
        <span>{label}</span>
        <textarea
          className="mrz-input mono"
          // Two lines of 44 wrap to four in the form’s column: all of them in view.
          rows={4}
          spellCheck={false}
          autoCapitalize="characters"
          value={text}
          placeholder={s.waiting}
          onChange={(e) => {
            setText(e.target.value.toUpperCase());
            setSource('typed');
            setNameConfirmed(false);
            setReadAt(null);
          }}
          aria-invalid={reading !== null && !reading.ok}
          data-testid={`${testId}-mrz`}
        />
      </label>
      {reading && !reading.ok && (
        <p className="field-error" role="alert" data-testid={`${testId}-problem`}>
          <span aria-hidden="true">⚠ </span>
          {reading.message}
        </p>
      )}
      {doc && check && (
        <div className="document-facts" data-testid={`${testId}-facts`}>
          <dl className="facts">
            <dt>{s.read(displayName(passenger))}</dt>
            <dd className="strong">
              {doc.lastName}/{doc.firstName}
            </dd>
            <dt>{s.fields.number}</dt>
            <dd className="mono">
              {doc.type === 'P' ? 'P' : 'ID'} {doc.number}
            </dd>
            <dt>{s.fields.nationality}</dt>
            <dd>
              {doc.nationality} · {s.fields.sex} {doc.sex} · {s.fields.birth} {doc.birthDate}
            </dd>
            <dt>{s.fields.expiry}</dt>
            <dd className={check.expired || check.expiresBeforeTravel ? 'strong bad' : ''}>{doc.expiryDate}</dd>
          </dl>
          <p className="hint">{source === 'reader' ? s.reader : s.typed}</p>
          {check.expired && (
            <p className="field-error" role="alert" data-testid={`${testId}-expired`}>
              ✕ {s.expired(doc.expiryDate)}
            </p>
          )}
          {!check.expired && check.expiresBeforeTravel && (
            <p className="field-error" role="alert">
              ✕ {s.expiresBeforeTravel(doc.expiryDate)}
            </p>
          )}
          {!check.nameMatches && (
            <>
              <p className="feedback feedback-warn" role="alert" data-testid={`${testId}-name`}>
                ⚠ {s.nameMismatch(`${doc.lastName}/${doc.firstName}`, displayName(passenger))}
              </p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={nameConfirmed}
                  onChange={(e) => setNameConfirmed(e.target.checked)}
                  data-testid={`${testId}-confirm-name`}
                />
                {s.confirmName}
              </label>
            </>
          )}
          {usable && (
            <p className="feedback feedback-ok" role="status" data-testid={`${testId}-ok`}>
              ✓ {doc.type === 'P' ? 'Passport' : 'ID card'} {doc.number} ({doc.nationality})
            </p>
          )}
        </div>
      )}
      {text !== '' && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setText('');
            setNameConfirmed(false);
            setReadAt(null);
          }}
        >
          {s.clear}
        </button>
      )}
    </div>
  );
}
