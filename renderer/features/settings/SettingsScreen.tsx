/** Workstation settings, storage state, and the supervisor's "declare fallback" switch. */
import { useEffect, useState, type FormEvent } from 'react';
import { useServices } from '../../services';
import { useSession } from '../../state/session';
import { useSyncStore } from '../../state/sync-store';
import { strings } from '../../strings';
import { saveSettings, Settings } from '../../settings';
import { recordEvent } from '../../db/write-path';
import { PrinterSettings } from '../printing/PrinterSettings';

const s = strings.settings;

export function SettingsScreen() {
  const { db, settings, sync, clock } = useServices();
  const staff = useSession((st) => st.staff);
  const declared = useSyncStore((st) => st.connectivity.fallbackDeclared);
  const storage = useSyncStore((st) => st.status?.storage);
  const [form, setForm] = useState(settings);
  const [saved, setSaved] = useState<string | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);

  useEffect(() => {
    void navigator.storage?.persisted?.().then(setPersisted);
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    const parsed = Settings.safeParse(form);
    if (!parsed.success) return setSaved(parsed.error.issues[0]?.message ?? 'invalid');
    await saveSettings(db, parsed.data);
    setSaved(s.saved);
  }

  async function toggleFallback() {
    if (!staff) return;
    sync.declareFallback(!declared);
    await recordEvent(
      db,
      staff.id,
      declared ? 'fallback.end' : 'fallback.declare',
      declared ? strings.audit.fallbackOff : strings.audit.fallbackOn,
      clock,
    );
  }

  const numberField = (key: keyof Settings, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" value={form[key]} onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })} />
    </label>
  );

  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">{s.title}</h1>
      <form className="settings-form" onSubmit={(e) => void save(e)}>
        {numberField('syncIntervalMinutes', s.syncInterval)}
        {numberField('stalenessMinutes', s.staleness)}
        {numberField('retentionHours', s.retention)}
        <button type="submit" className="btn btn-primary">
          {s.save}
        </button>
        {saved && <p role="status">{saved}</p>}
      </form>
      <h2>{s.fallback}</h2>
      {declared && <p className="strong">{s.fallbackOn}</p>}
      <button type="button" className="btn btn-warn" disabled={staff?.role !== 'supervisor'} onClick={() => void toggleFallback()}>
        {declared ? s.endFallback : s.fallbackOff}
      </button>
      <h2>{s.storage}</h2>
      <p>{persisted === null ? '' : persisted ? s.persisted : s.notPersisted}</p>
      {storage && (
        <p>
          {Math.round(storage.usage / 1_048_576)} MB of {Math.round(storage.quota / 1_048_576)} MB used
        </p>
      )}
      <PrinterSettings />
    </section>
  );
}
