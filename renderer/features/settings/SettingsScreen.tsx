/** Workstation name and settings, storage state, and the supervisor's "declare fallback" switch. */
import { useEffect, useState, type FormEvent } from 'react';
import type { WorkstationName } from '../../host';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { changeSettings, Settings } from '../../settings';
import { staffActions } from '../actions';
import { AuditStatusPanel } from '../trust/AuditStatusPanel';
import { WipePanel } from '../trust/WipePanel';
import { PrinterSettings } from '../printing/PrinterSettings';
import { DrillPanel } from '../drill/DrillPanel';
import { StationRelayCard } from './StationRelayCard';

const s = strings.settings;

export function SettingsScreen() {
  const { db, settings, sync, clock, host, info } = useServices();
  const staff = useSession((st) => st.staff);
  const declared = useSyncStore((st) => st.connectivity.fallbackDeclared);
  const storage = useSyncStore((st) => st.status?.storage);
  const [form, setForm] = useState(settings);
  const [saved, setSaved] = useState<string | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [workstation, setWorkstation] = useState<WorkstationName | null>(null);
  const [newName, setNewName] = useState('');
  const [renamed, setRenamed] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void navigator.storage?.persisted?.().then(setPersisted);
    void host.workstation().then((w) => setWorkstation(w.ok ? w.value : null));
  }, [host]);

  async function askPersistence() {
    setPersisted((await navigator.storage?.persist?.().catch(() => false)) ?? false);
  }

  async function rename(e: FormEvent) {
    e.preventDefault();
    const result = await host.renameWorkstation(newName);
    if (!result.ok) return setRenamed({ ok: false, text: result.message });
    setNewName('');
    setRenamed({ ok: true, text: s.renamed(result.value.name) });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const parsed = Settings.safeParse(form);
    if (!parsed.success) return setSaved(parsed.error.issues[0]?.message ?? 'invalid');
    const changed = await changeSettings(db, staff, parsed.data, clock);
    setSaved(changed.ok ? s.saved : changed.message);
  }

  async function toggleFallback() {
    if (!staff) return;
    sync.declareFallback(!declared);
    // A synced action: the backend's audit knows who declared the outage, and when.
    await staffActions({ db, sync, clock }, staff).perform({ type: 'fallback.declared', args: { flightId: null, on: !declared } });
  }

  const numberField = (key: keyof Settings, label: string, supervisorOnly = false) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        value={form[key]}
        disabled={supervisorOnly && staff?.role !== 'supervisor'}
        onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })}
      />
    </label>
  );

  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">{s.title}</h1>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {numberField('syncIntervalMinutes', s.syncInterval)}
        {numberField('stalenessMinutes', s.staleness)}
        {numberField('retentionHours', s.retention, true)}
        <button type="submit" className="btn btn-primary">
          {s.save}
        </button>
        {saved && <p role="status">{saved}</p>}
      </form>
      <h2>{s.workstation}</h2>
      <p>
        <strong className="mono" data-testid="workstation-name">
          {info.workstation}
        </strong>{' '}
        <span className="hint">{workstation?.source === 'profile' ? s.workstationProfile : s.workstationConfig}</span>
      </p>
      {workstation?.editable &&
        (staff?.role === 'supervisor' ? (
          <form className="inline-form" onSubmit={(e) => void rename(e)}>
            <label className="field">
              <span>{s.rename}</span>
              <input
                value={newName}
                onChange={(e) => setNewName(e.target.value.toUpperCase())}
                placeholder={s.renamePlaceholder}
                maxLength={32}
                data-testid="workstation-input"
              />
            </label>
            <button type="submit" className="btn" disabled={newName.trim() === ''}>
              {s.renameSave}
            </button>
          </form>
        ) : (
          <p className="hint">{s.renameSupervisor}</p>
        ))}
      {renamed && (
        <p role={renamed.ok ? 'status' : 'alert'} className={renamed.ok ? 'strong' : 'form-error'} data-testid="workstation-renamed">
          {renamed.text}{' '}
          {renamed.ok && (
            <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
              {s.reloadNow}
            </button>
          )}
        </p>
      )}
      <StationRelayCard />
      <h2>{s.fallback}</h2>
      {declared && <p className="strong">{s.fallbackOn}</p>}
      <button type="button" className="btn btn-warn" disabled={staff?.role !== 'supervisor'} onClick={() => void toggleFallback()}>
        {declared ? s.endFallback : s.fallbackOff}
      </button>
      <DrillPanel />
      <h2>{s.storage}</h2>
      <p data-testid="storage-persisted">
        {persisted === null ? '' : persisted ? s.persisted : s.notPersisted}{' '}
        {persisted === false && (
          <button type="button" className="btn btn-small" onClick={() => void askPersistence()}>
            {s.askPersist}
          </button>
        )}
      </p>
      {storage && (
        <p>
          {Math.round(storage.usage / 1_048_576)} MB of {Math.round(storage.quota / 1_048_576)} MB used
        </p>
      )}
      <PrinterSettings />
      {staff?.role === 'supervisor' && (
        <>
          <AuditStatusPanel />
          <WipePanel />
        </>
      )}
    </section>
  );
}
