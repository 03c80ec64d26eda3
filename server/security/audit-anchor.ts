/**
 * Anchors each workstation's audit chain on the backend (renderer/db/audit.ts keeps the chain). With
 * every push a workstation sends the head of its chain (entry number and hash); the backend keeps the
 * latest and answers with the one it had. The workstation checks that its entry at that number still
 * has that hash — a rewritten, shortened or replaced chain no longer does — and the backend refuses a
 * head that goes backwards or forks at the anchored entry. Either way the break is recorded here.
 */
import type { Clock } from '../../shared/clock';
import type { AuditHead } from '../../shared/protocol/v1';
import type { SqlRunner } from '../store/sql-runner';

export interface AnchorAnswer {
  anchored: AuditHead | null;
  accepted: boolean;
}

export class AuditAnchors {
  constructor(
    private readonly sql: SqlRunner,
    private readonly clock: Clock,
  ) {}

  async anchor(deviceId: string, head: AuditHead & { broken?: boolean | undefined }): Promise<AnchorAnswer> {
    const [row] = await this.sql.all<{ n: number; hash: string }>('SELECT n, hash FROM audit_anchor WHERE device_id = ?', [deviceId]);
    const anchored = row ? { n: Number(row.n), hash: row.hash } : null;
    const now = this.clock().toISOString();
    const forked = anchored !== null && (head.n < anchored.n || (head.n === anchored.n && head.hash !== anchored.hash));
    if (forked || head.broken) {
      await this.sql.run('UPDATE audit_anchor SET broken_at = coalesce(broken_at, ?), broken_detail = ? WHERE device_id = ?', [
        now,
        forked ? `head ${head.n} does not extend the anchored ${anchored?.n}` : 'the workstation found its chain broken',
        deviceId,
      ]);
      if (forked) return { anchored, accepted: false };
    }
    await this.sql.run(
      `INSERT INTO audit_anchor (device_id, n, hash, anchored_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET n = excluded.n, hash = excluded.hash, anchored_at = excluded.anchored_at`,
      [deviceId, head.n, head.hash, now],
    );
    return { anchored, accepted: true };
  }

  /** Workstations whose chain broke, for the fleet and the admins. */
  broken(): Promise<{ deviceId: string; brokenAt: string; detail: string | null }[]> {
    return this.sql.all(
      'SELECT device_id AS "deviceId", broken_at AS "brokenAt", broken_detail AS "detail" FROM audit_anchor WHERE broken_at IS NOT NULL',
    );
  }
}
