/** Settings, supervisors only: wipe this workstation (renderer/features/trust/wipe.ts). */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { wipeWorkstation } from './wipe';

const s = strings.trust.wipe;

export function WipePanel() {
  const { db, host, sync } = useServices();
  const staff = useSession((st) => st.staff);
  const unsent = useLiveQuery(() => db.outbox.count(), [db]) ?? 0;
  const [typed, setTyped] = useState('');
  const [discard, setDiscard] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function wipe() {
    const done = await wipeWorkstation({ db, host, stopSync: () => sync.stop(), storage: sessionStorage }, staff, discard);
    if (!done.ok) return setProblem(done.message);
    location.reload();
  }

  return (
    <section aria-labelledby="wipe-title">
      <h2 id="wipe-title">{s.title}</h2>
      <p>{s.explain}</p>
      {unsent > 0 && (
        <label className="field-inline">
          <input type="checkbox" checked={discard} onChange={(e) => setDiscard(e.target.checked)} /> {s.discard(unsent)}
        </label>
      )}
      <label className="field">
        <span>{s.typeToConfirm}</span>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="wipe-confirm" />
      </label>
      <button type="button" className="btn btn-danger" disabled={typed !== 'WIPE'} onClick={() => void wipe()}>
        {s.button}
      </button>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
