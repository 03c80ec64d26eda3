import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type FormEvent } from 'react';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { signIn, signOut, unlock } from './session-actions';

const s = strings.signin;

/** Sign-in, and the same screen as a lock after inactivity (PIN of the signed-in agent). */
export function SignInScreen() {
  const { db, info, clock, sync, drill } = useServices();
  const locked = useSession((st) => st.locked);
  const staff = useSession((st) => st.staff);
  const staffCount = useLiveQuery(() => db.staff.count(), [db]);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // In a drill nothing reaches the backend, the sign-in included: the PIN is checked here.
      const deps = { db, clock, station: info.station, backendUrl: drill ? null : info.backendUrl, written: () => sync.localWrite() };
      const result = locked && staff ? await unlock(deps, pin) : await signIn(deps, staffId, pin);
      if (!result.ok) {
        const messages = {
          NO_STAFF_DATA: s.noStaff,
          INACTIVE: s.inactive,
          WRONG: s.wrong,
          TOO_MANY_TRIES: s.tooManyTries,
          NOT_RECORDED: s.notRecorded,
        };
        setError(messages[result.code]);
      }
    } finally {
      setBusy(false);
      setPin('');
    }
  }

  return (
    <main className="signin" aria-labelledby="signin-title">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1 id="signin-title">{s.title}</h1>
        {locked && staff ? (
          <p>{s.locked(staff.name)}</p>
        ) : (
          <label className="field">
            <span>{s.staffId}</span>
            <input
              autoFocus
              autoComplete="username"
              value={staffId}
              onChange={(e) => setStaffId(e.target.value.toUpperCase())}
              inputMode="text"
              maxLength={12}
              required
            />
          </label>
        )}
        <label className="field">
          <span>{s.pin}</span>
          <input
            type="password"
            autoComplete="current-password"
            inputMode="text"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            required
            autoFocus={locked}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {staffCount === 0 && !error && <p className="form-hint">{s.noStaff}</p>}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {locked ? s.unlock : s.submit}
        </button>
        {locked && (
          <button type="button" className="btn btn-block" onClick={() => void signOut(db, clock)}>
            {s.switchUser}
          </button>
        )}
      </form>
    </main>
  );
}
