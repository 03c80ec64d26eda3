/**
 * Settings card of the workstation that is the station relay (`--host-relay`): whether the relay runs,
 * the address desks use, whether central answers it and how old its copy is, what it has not passed to
 * central yet — and, for a supervisor, a one-time code for another desk to enrol there. Shown only by
 * the desktop app, and only where main hosts a relay. Every state in words, never colour alone.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { RelayHostStatus } from '../../../shared/ipc/relay-host';
import { StaffSession, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../shared/protocol/v1';
import { age, localTime, zoneLabel } from '../../../shared/time';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { strings } from '../../strings';
import { useNow, useStationZone } from '../../ui/hooks';

const s = strings.stationRelay;
const POLL_MS = 3_000;

/** The status bar's connection pill tones (theme.css `.pill-*`): a relay state reads here as the bar reads up there. */
type Tone = 'online' | 'degraded' | 'offline' | 'unknown';

const stateTone: Record<RelayHostStatus['state'], Tone> = {
  off: 'unknown',
  starting: 'unknown',
  running: 'online',
  restarting: 'degraded',
  failed: 'offline',
  stopped: 'offline',
};

/** Read at arm's length: the word in a coloured pill, its dot hidden from screen readers (the word says it all). */
function Pill({ tone, testId, children }: { tone: Tone; testId: string; children: ReactNode }) {
  return (
    <span className={`pill pill-${tone}`} role="status" data-testid={testId}>
      <span aria-hidden="true" className="pill-dot" />
      {children}
    </span>
  );
}

export function StationRelayCard() {
  const { host, info } = useServices();
  const staff = useSession((st) => st.staff);
  const [status, setStatus] = useState<RelayHostStatus | null>(null);
  const now = useNow(POLL_MS);
  const zone = useStationZone();

  useEffect(() => {
    if (!host.stationRelay) return;
    let live = true;
    const read = () => void host.stationRelay?.().then((r) => live && setStatus(r.ok ? r.value : null));
    read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [host]);

  if (!status || status.state === 'off') return null;
  return (
    <StationRelayView
      status={status}
      now={now}
      zone={zone}
      issue={
        staff?.role === 'supervisor' && host.issueRelayCode
          ? async (deskName, pin) => {
              // A fresh online sign-in proves the supervisor to main, which asks the backend before it hands out a credential.
              const enrolled = await host.enrol({ name: info.workstation, station: info.station });
              if (!enrolled.ok) return { ok: false, message: enrolled.message };
              const { deviceId, token } = enrolled.value;
              const response = await fetch(new URL('/v1/staff/sessions', info.backendUrl), {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${token}`,
                  [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
                },
                body: JSON.stringify({ clientId: deviceId, staffId: staff.id, pin }),
              }).catch(() => null);
              const session = StaffSession.safeParse(await response?.json().catch(() => null));
              if (!response?.ok || !session.success) return { ok: false, message: s.refused };
              if (session.data.staff.role !== 'supervisor') return { ok: false, message: s.supervisorsOnly };
              const answer = await host.issueRelayCode?.({
                deskName,
                backendUrl: info.backendUrl,
                deviceToken: token,
                sessionToken: session.data.token,
                staffId: session.data.staff.id,
              });
              if (!answer?.ok) return { ok: false, message: answer?.message ?? s.refused };
              return answer.value.ok
                ? { ok: true, code: answer.value.enrolmentCode, expiresAt: answer.value.expiresAt, url: answer.value.url }
                : { ok: false, message: answer.value.message };
            }
          : null
      }
    />
  );
}

type Issued = { ok: true; code: string; expiresAt: string; url: string } | { ok: false; message: string };

export function StationRelayView({
  status,
  now,
  zone,
  issue,
}: {
  status: RelayHostStatus;
  now: number;
  zone: string;
  /** Null: the signed-in agent is not a supervisor, so the form is not shown. */
  issue: ((deskName: string, pin: string) => Promise<Issued>) | null;
}) {
  const [desk, setDesk] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<(Issued & { desk: string }) | null>(null);
  const up = status.upstream;
  const asOf = up?.centralAsOf ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!issue) return;
    setBusy(true);
    const name = desk.trim();
    const answer = await issue(name, pin).catch((error: unknown) => ({ ok: false as const, message: String(error) }));
    setPin('');
    setBusy(false);
    setIssued({ ...answer, desk: name });
    if (answer.ok) setDesk('');
  }

  return (
    <section className="station-relay" aria-labelledby="station-relay-title" data-testid="station-relay">
      <h2 id="station-relay-title">{s.title}</h2>
      <p className="strong" data-testid="station-relay-state" data-state={status.state}>
        <Pill tone={stateTone[status.state]} testId="station-relay-state-pill">
          {s.state[status.state]}
        </Pill>
        {status.station ? ` · ${status.station}` : ''}
      </p>
      {status.url && (
        <p>
          <span>{s.desksUse}: </span>
          <strong className="mono station-relay-url" data-testid="station-relay-url">
            {status.url}
          </strong>
        </p>
      )}
      {status.loopbackOnly && <p className="hint">{s.loopbackOnly}</p>}
      {up && (
        <ul className="station-relay-facts" data-testid="station-relay-upstream">
          <li>
            {s.central} <span className="mono">{status.central}</span>:{' '}
            <Pill tone={up.reachable ? 'online' : 'offline'} testId="station-relay-central">
              {up.reachable ? s.reachable : s.unreachable}
            </Pill>
          </li>
          <li>
            {asOf ? `${s.centralAsOf} ${localTime(asOf, zone)} ${zoneLabel(asOf, zone)} (${age(asOf, now)})` : s.centralNever}
            {up.stale && (
              <>
                {' '}
                <Pill tone="degraded" testId="station-relay-stale">
                  {s.stale}
                </Pill>
              </>
            )}
          </li>
          <li data-testid="station-relay-unforwarded">
            {up.unforwarded > 0 ? (
              <Pill tone="degraded" testId="station-relay-waiting">
                {s.unforwarded(up.unforwarded)}
              </Pill>
            ) : (
              s.unforwarded(up.unforwarded)
            )}
          </li>
        </ul>
      )}
      {status.error && (
        <p role="alert" className="form-error">
          {s.error}: {status.error}
          {status.retryAt && ` · ${s.retryAt} ${localTime(status.retryAt, zone)} ${zoneLabel(status.retryAt, zone)}`}
        </p>
      )}
      {status.restarts > 0 && <p className="hint">{s.restarts(status.restarts)}</p>}
      {issue && status.state === 'running' && (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-labelledby="station-relay-issue">
          <h3 id="station-relay-issue">{s.issueTitle}</h3>
          <label className="field">
            <span>{s.deskName}</span>
            <input
              value={desk}
              onChange={(e) => setDesk(e.target.value.toUpperCase())}
              placeholder={s.deskPlaceholder}
              maxLength={60}
              data-testid="station-relay-desk"
            />
          </label>
          <label className="field">
            <span>{s.pin}</span>
            <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-primary" disabled={busy || desk.trim() === '' || pin === ''}>
            {busy ? s.issuing : s.issue}
          </button>
        </form>
      )}
      {issued &&
        (issued.ok ? (
          <div role="status" className="station-relay-code" data-testid="station-relay-code">
            <p>{s.issued(issued.desk)}</p>
            <p className="mono strong">{issued.code}</p>
            <p>
              {s.expires} {localTime(issued.expiresAt, zone)} {zoneLabel(issued.expiresAt, zone)}
            </p>
            <p className="hint">
              {s.startWith} <span className="mono">--backend={issued.url},… --enrolment-code=…</span>
            </p>
          </div>
        ) : (
          <p role="alert" className="form-error">
            {issued.message}
          </p>
        ))}
    </section>
  );
}
