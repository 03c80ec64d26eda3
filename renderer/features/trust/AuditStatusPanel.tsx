/**
 * Settings, supervisors only: the state of this workstation's audit trail — how many entries, whether
 * the chain verifies now (keyed with the workstation's key), what the backend last anchored, and any
 * break found at start-up or at a sync.
 */
import { useEffect, useState } from 'react';
import type { AuditHead } from '../../../shared/protocol/v1';
import { AUDIT_ANCHOR_KEY, readAuditBreak, verifyAuditChain, type AuditBreak, type ChainCheck } from '../../db/audit';
import { useServices } from '../../services';
import { strings } from '../../strings';

const s = strings.trust.audit;

export function AuditStatusPanel() {
  const { db } = useServices();
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const [anchor, setAnchor] = useState<AuditHead | null>(null);
  const [broken, setBroken] = useState<AuditBreak | null>(null);

  useEffect(() => {
    void verifyAuditChain(db).then(setCheck);
    void db.settings.get(AUDIT_ANCHOR_KEY).then((r) => setAnchor((r?.value as AuditHead | undefined) ?? null));
    void readAuditBreak(db).then(setBroken);
  }, [db]);

  const ok = check?.ok === true && broken === null;
  return (
    <section aria-labelledby="audit-title" data-testid="audit-status">
      <h2 id="audit-title">{s.title}</h2>
      {check === null ? (
        <p>{s.checking}</p>
      ) : (
        <p className={ok ? 'strong' : 'form-error'} role={ok ? 'status' : 'alert'}>
          {ok
            ? s.intact(check.ok ? check.entries : 0)
            : s.broken(broken?.brokenAt ?? (check.ok ? 0 : check.brokenAt), broken?.reason ?? (check.ok ? '' : check.reason))}
        </p>
      )}
      <p>{anchor ? s.anchored(anchor.n) : s.notAnchored}</p>
    </section>
  );
}
