/**
 * Shown instead of the app when this computer cannot protect the key that encrypts passenger data
 * (Linux without a keyring: Electron's "basic_text"). Nothing is stored until a supervisor, checked
 * online by the backend, accepts the risk; main asks the backend itself before it agrees.
 */
import { useState, type FormEvent } from 'react';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, StaffSession } from '../../../shared/protocol/v1';
import type { AppInfo } from '../../../shared/ipc/contract';
import type { Host } from '../../host';
import { strings } from '../../strings';

const s = strings.protect;

export function ProtectStorageScreen({ host, info, backend }: { host: Host; info: AppInfo; backend: string }) {
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function accept(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const enrolled = await host.enrol({ name: info.workstation, station: info.station });
      if (!enrolled.ok) throw new Error(enrolled.message);
      const { deviceId, token } = enrolled.value;
      const response = await fetch(new URL('/v1/staff/sessions', info.backendUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify({ clientId: deviceId, staffId: staffId.trim().toUpperCase(), pin }),
      });
      const session = StaffSession.safeParse(await response.json().catch(() => null));
      if (!response.ok || !session.success) throw new Error(s.refused);
      if (session.data.staff.role !== 'supervisor') throw new Error(s.supervisorsOnly);
      const answer = await host.acceptStorageRisk?.({
        staffId: session.data.staff.id,
        deviceId,
        deviceToken: token,
        sessionToken: session.data.token,
      });
      if (answer?.status !== 'ready') throw new Error(answer?.status === 'unavailable' ? answer.message : s.refused);
      location.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPin('');
      setBusy(false);
    }
  }

  return (
    <main className="signin" aria-labelledby="protect-title">
      <form className="signin-card" onSubmit={(e) => void accept(e)}>
        <h1 id="protect-title">{s.title}</h1>
        <p>{s.explain(backend)}</p>
        <p>{s.risk}</p>
        <label className="field">
          <span>{s.staffId}</span>
          <input
            value={staffId}
            onChange={(e) => setStaffId(e.target.value.toUpperCase())}
            maxLength={12}
            required
            autoComplete="username"
          />
        </label>
        <label className="field">
          <span>{s.pin}</span>
          <input type="password" value={pin} onChange={(e) => setPin(e.target.value)} required autoComplete="current-password" />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {s.accept}
        </button>
      </form>
    </main>
  );
}
