/**
 * Diagnostics for the service desk: versions, workstation, backend, sync and data age, what waits
 * to be sent, local data, storage, updates, the last crash and recent errors. The screen shows the
 * bundle itself (shared/diagnostics/bundle.ts), so what the agent sees is exactly what is exported:
 * no passenger, booking or staff data, error texts scrubbed. In Electron, a downloaded update can
 * be installed from here when the update policy allows it.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { buildDiagnosticsBundle, bundleFileName, type DiagnosticsBundle } from '../../../shared/diagnostics/bundle';
import { localDateTime } from '../../../shared/time';
import { downloadFile } from '../../host/browser-print';
import { useServices } from '../../services';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { Feedback, type FeedbackState } from '../../ui/Feedback';
import { useStationZone } from '../../ui/hooks';
import { collectDiagnostics } from './collect';

const s = strings.diagnostics;
const f = s.fields;

type Loaded = { kind: 'loaded'; bundle: DiagnosticsBundle; mainError: string | null } | { kind: 'failed'; message: string } | null;

function Rows({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <table className="grid">
      {/* The same label column in every section, so the sections line up. */}
      <colgroup>
        <col style={{ width: '22rem' }} />
        <col />
      </colgroup>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const yesNo = (v: boolean | null) => (v === null ? s.unknown : v ? s.yes : s.no);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

export function DiagnosticsScreen({ drill = false }: { drill?: boolean }) {
  const { host, db, info, settings, clock } = useServices();
  const zone = useStationZone();
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    collectDiagnostics({ host, db, info, settings, clock }, useSyncStore.getState(), drill).then(
      ({ input, mainError }) => live && setLoaded({ kind: 'loaded', bundle: buildDiagnosticsBundle(input), mainError }),
      (error: unknown) => live && setLoaded({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [host, db, info, settings, clock, drill, round]);

  const time = (iso: string | null) => (iso ? localDateTime(iso, zone) : s.never);

  async function exportBundle(bundle: DiagnosticsBundle) {
    const json = JSON.stringify(bundle, null, 2);
    const name = bundleFileName(bundle);
    if (!host.saveDiagnostics) {
      downloadFile(json, name, 'application/json');
      setFeedback({ kind: 'ok', title: s.downloaded, message: name });
      return;
    }
    const saved = await host.saveDiagnostics(name, json);
    if (!saved.ok) setFeedback({ kind: 'bad', title: s.exportFailed, message: saved.message });
    else setFeedback(saved.value ? { kind: 'ok', title: s.exported, message: name } : { kind: 'bad', title: s.notSaved, message: '' });
  }

  async function installUpdate(version: string) {
    if (!host.installUpdate || !window.confirm(s.installConfirm(version))) return;
    const answer = await host.installUpdate();
    if (!answer.ok) setFeedback({ kind: 'bad', title: s.installUpdate(version), message: answer.message });
    else if (!answer.value.started) {
      setFeedback({
        kind: 'bad',
        title: s.installUpdate(version),
        message: s.installRefused(s.updateReasons[answer.value.reason] ?? answer.value.reason),
      });
    }
  }

  const bundle = loaded?.kind === 'loaded' ? loaded.bundle : null;
  return (
    <section className="screen" aria-labelledby="diagnostics-title">
      <div className="screen-head">
        <h1 id="diagnostics-title">{s.title}</h1>
        <button type="button" className="btn btn-small" onClick={() => setRound((r) => r + 1)}>
          {s.refresh}
        </button>
        <button type="button" className="btn btn-primary" disabled={!bundle} onClick={() => bundle && void exportBundle(bundle)}>
          {s.export}
        </button>
      </div>
      <p className="hint">{s.intro}</p>
      <Feedback state={feedback} />
      {loaded === null && <p role="status">{s.collecting}</p>}
      {loaded?.kind === 'failed' && <Feedback state={{ kind: 'bad', title: s.failed, message: loaded.message }} />}
      {loaded?.kind === 'loaded' && loaded.mainError && <p className="hint">{s.mainUnavailable}</p>}
      {bundle && (
        <div data-testid="diagnostics">
          <h2>{s.sections.app}</h2>
          <Rows
            rows={[
              [f.version, bundle.app.version],
              [f.host, s.hostKinds[bundle.app.host] ?? bundle.app.host],
              ...(bundle.app.electron ? [[f.electron, `${bundle.app.electron} / ${bundle.app.chrome ?? s.none}`] as const] : []),
              [
                f.platform,
                bundle.app.platform
                  ? `${bundle.app.platform} ${bundle.app.arch ?? ''} ${bundle.app.osRelease ?? ''}`
                  : (bundle.app.userAgent ?? s.unknown),
              ],
              [f.workstation, bundle.workstation.name],
              [f.station, bundle.workstation.station],
              [f.deviceId, bundle.workstation.deviceId ?? s.none],
              [f.backend, bundle.backends.join(', ')],
              ...(bundle.app.host === 'electron'
                ? [[f.tray, yesNo(bundle.app.tray)] as const, [f.launchAtLogin, yesNo(bundle.app.launchAtLogin)] as const]
                : []),
            ]}
          />
          <h2>{s.sections.sync}</h2>
          <Rows
            rows={[
              [f.link, bundle.sync.link],
              [f.dcs, bundle.sync.dcs],
              [f.fallback, yesNo(bundle.sync.fallback)],
              [f.drill, yesNo(bundle.sync.drill)],
              [f.lastSync, time(bundle.sync.lastCompleteSyncAt)],
              [f.dataAge, bundle.sync.dataAgeMinutes === null ? s.none : s.minutes(bundle.sync.dataAgeMinutes)],
              [f.lastAttempt, time(bundle.sync.lastAttemptAt)],
              [
                f.lastFailure,
                bundle.sync.lastFailure === null
                  ? s.none
                  : typeof bundle.sync.lastFailure === 'string'
                    ? bundle.sync.lastFailure
                    : Object.values(bundle.sync.lastFailure).join(' · '),
              ],
            ]}
          />
          <h2>{s.sections.pending}</h2>
          <Rows
            rows={[
              [f.actions, bundle.pending.actions],
              [f.oldest, time(bundle.pending.oldestAt)],
              [
                f.unresolved,
                Object.entries(bundle.pending.unresolvedByCode)
                  .map(([code, n]) => `${code} × ${n}`)
                  .join(', ') || s.none,
              ],
            ]}
          />
          <h2>{s.sections.cache}</h2>
          <Rows
            rows={[
              [f.flights, bundle.cache.flights],
              [f.passengers, bundle.cache.passengers],
              [
                f.tables,
                Object.entries(bundle.cache.tables)
                  .map(([table, n]) => `${table} ${n}`)
                  .join(', '),
              ],
            ]}
          />
          <h2>{s.sections.storage}</h2>
          <Rows
            rows={[
              [f.persisted, yesNo(bundle.storage.persisted)],
              [
                f.usage,
                bundle.storage.usageBytes === null || bundle.storage.quotaBytes === null
                  ? s.unknown
                  : s.usage(mb(bundle.storage.usageBytes), mb(bundle.storage.quotaBytes), bundle.storage.usedPercent),
              ],
            ]}
          />
          {bundle.app.host === 'electron' && (
            <>
              <h2>{s.sections.update}</h2>
              {!bundle.update || bundle.update.phase === 'disabled' ? (
                <p className="hint">{s.updateOff}</p>
              ) : (
                <>
                  <Rows
                    rows={[
                      [f.phase, bundle.update.phase],
                      [f.offered, bundle.update.version ?? s.none],
                      [f.decision, s.updateReasons[bundle.update.reason] ?? bundle.update.reason],
                      [f.lastCheck, time(bundle.update.lastCheckAt)],
                      [f.feed, bundle.update.feed ?? s.none],
                    ]}
                  />
                  {bundle.update.phase === 'downloaded' && bundle.update.version && (
                    <button
                      type="button"
                      className="btn btn-warn"
                      disabled={bundle.update.reason !== 'awaiting-consent'}
                      onClick={() => void installUpdate(bundle.update!.version!)}
                    >
                      {s.installUpdate(bundle.update.version)}
                    </button>
                  )}
                </>
              )}
              <h2>{s.sections.crash}</h2>
              <p>
                {bundle.lastCrash
                  ? `${time(bundle.lastCrash.at)} — ${s.crash(bundle.lastCrash.kind, bundle.lastCrash.reason, bundle.lastCrash.exitCode)}`
                  : s.noCrash}
              </p>
            </>
          )}
          <h2>{s.sections.errors}</h2>
          {bundle.errors.length === 0 ? (
            <p className="hint">{s.noErrors}</p>
          ) : (
            <table className="grid" data-testid="diagnostics-errors">
              <tbody>
                {[...bundle.errors].reverse().map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td>{localDateTime(e.at, zone)}</td>
                    <td>{e.source}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <details>
            <summary>{s.showFile}</summary>
            <pre className="hint">{JSON.stringify(bundle, null, 2)}</pre>
          </details>
        </div>
      )}
    </section>
  );
}
