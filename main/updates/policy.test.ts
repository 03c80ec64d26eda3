import { describe, expect, it } from 'vitest';
import { decideUpdate, safetyHold, type UpdateState } from './policy';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-26T10:00:00Z');

const calm = { link: 'online', fallback: false, drill: false, pending: 0 } as const;

function state(overrides: Partial<UpdateState> = {}): UpdateState {
  return {
    enabled: true,
    phase: 'idle',
    lastCheckAt: null,
    now: NOW,
    checkIntervalMs: 4 * HOUR,
    status: calm,
    consent: false,
    ...overrides,
  };
}

describe('update policy: the usual path', () => {
  it('checks when a check is due, then downloads what is on offer, then waits for the agent', () => {
    expect(decideUpdate(state())).toEqual({ action: 'check', reason: 'due' });
    expect(decideUpdate(state({ phase: 'checking' }))).toEqual({ action: 'hold', reason: 'busy' });
    expect(decideUpdate(state({ phase: 'available' }))).toEqual({ action: 'download', reason: 'available' });
    expect(decideUpdate(state({ phase: 'downloading' }))).toEqual({ action: 'hold', reason: 'busy' });
    expect(decideUpdate(state({ phase: 'downloaded' }))).toEqual({ action: 'hold', reason: 'awaiting-consent' });
    expect(decideUpdate(state({ phase: 'downloaded', consent: true }))).toEqual({ action: 'install-on-restart', reason: 'consented' });
  });

  it('checks again only once the interval has passed, after an answer or an error alike', () => {
    for (const phase of ['idle', 'error'] as const) {
      expect(decideUpdate(state({ phase, lastCheckAt: NOW - 4 * HOUR + 1 }))).toEqual({ action: 'hold', reason: 'not-due' });
      expect(decideUpdate(state({ phase, lastCheckAt: NOW - 4 * HOUR }))).toEqual({ action: 'check', reason: 'due' });
    }
  });

  it('does nothing at all without a feed or in an unpacked build', () => {
    expect(decideUpdate(state({ enabled: false, phase: 'downloaded', consent: true }))).toEqual({ action: 'hold', reason: 'disabled' });
  });
});

describe('update policy: never in an outage', () => {
  it.each<[string, UpdateState['status'], string]>([
    ['the page has not reported lately', null, 'status-unknown'],
    ['a drill runs', { ...calm, drill: true, fallback: true }, 'drill'],
    ['in fallback (declared, or DCS down)', { ...calm, fallback: true }, 'fallback'],
    ['the backend cannot be reached', { ...calm, link: 'offline' }, 'offline'],
    ['connectivity is not known yet', { ...calm, link: 'unknown' }, 'offline'],
    ['the link is unreliable', { ...calm, link: 'degraded' }, 'unreliable'],
    ['actions are not sent yet', { ...calm, pending: 3 }, 'unsent-actions'],
  ])('holds every step when %s, and cancels a download under way', (_when, status, reason) => {
    expect(decideUpdate(state({ status }))).toEqual({ action: 'hold', reason });
    expect(decideUpdate(state({ status, phase: 'available' }))).toEqual({ action: 'hold', reason });
    expect(decideUpdate(state({ status, phase: 'downloaded', consent: true }))).toEqual({ action: 'hold', reason });
    expect(decideUpdate(state({ status, phase: 'downloading' }))).toEqual({ action: 'cancel-download', reason });
  });

  it('names the most specific reason first', () => {
    expect(safetyHold({ link: 'offline', fallback: true, drill: true, pending: 5 })).toBe('drill');
    expect(safetyHold({ link: 'offline', fallback: true, drill: false, pending: 5 })).toBe('fallback');
    expect(safetyHold({ link: 'offline', fallback: false, drill: false, pending: 5 })).toBe('offline');
    expect(safetyHold({ link: 'online', fallback: false, drill: false, pending: 5 })).toBe('unsent-actions');
    expect(safetyHold(calm)).toBeNull();
  });
});

describe('update policy: every combination', () => {
  const phases = ['idle', 'checking', 'available', 'downloading', 'downloaded', 'error'] as const;
  const links = ['unknown', 'online', 'degraded', 'offline'] as const;
  const all: UpdateState[] = [];
  for (const enabled of [true, false])
    for (const phase of phases)
      for (const link of links)
        for (const fallback of [false, true])
          for (const drill of [false, true])
            for (const pending of [0, 1, 250])
              for (const reported of [true, false])
                for (const consent of [false, true])
                  for (const lastCheckAt of [null, NOW - HOUR, NOW - 5 * HOUR])
                    all.push(state({ enabled, phase, consent, lastCheckAt, status: reported ? { link, fallback, drill, pending } : null }));

  const safe = (s: UpdateState) =>
    s.status !== null && s.status.link === 'online' && !s.status.fallback && !s.status.drill && s.status.pending === 0;

  it(`covers ${all.length} states`, () => {
    expect(all.length).toBe(2 * 6 * 4 * 2 * 2 * 3 * 2 * 2 * 3);
  });

  it('never checks, downloads or installs unless enabled and safe', () => {
    for (const s of all) {
      const d = decideUpdate(s);
      if (d.action === 'check' || d.action === 'download' || d.action === 'install-on-restart') {
        expect({ s, d, ok: s.enabled && safe(s) }).toMatchObject({ ok: true });
      }
    }
  });

  it('installs only a downloaded update the agent agreed to; downloads only one on offer; checks only when idle and due', () => {
    for (const s of all) {
      const d = decideUpdate(s);
      if (d.action === 'install-on-restart') expect([s.phase, s.consent]).toEqual(['downloaded', true]);
      if (d.action === 'download') expect(s.phase).toBe('available');
      if (d.action === 'check') {
        expect(['idle', 'error']).toContain(s.phase);
        expect(s.lastCheckAt === null || s.now - s.lastCheckAt >= s.checkIntervalMs).toBe(true);
      }
    }
  });

  it('cancels a download exactly when one is under way and it stopped being safe', () => {
    for (const s of all) {
      const cancels = decideUpdate(s).action === 'cancel-download';
      expect(cancels).toBe(s.enabled && s.phase === 'downloading' && !safe(s));
    }
  });

  it('moves on whenever it is safe and there is something to do', () => {
    for (const s of all.filter((x) => x.enabled && safe(x))) {
      const d = decideUpdate(s);
      const waiting =
        s.phase === 'checking' ||
        s.phase === 'downloading' ||
        (s.phase === 'downloaded' && !s.consent) ||
        ((s.phase === 'idle' || s.phase === 'error') && s.lastCheckAt !== null && s.now - s.lastCheckAt < s.checkIntervalMs);
      expect({ s, hold: d.action === 'hold' }).toMatchObject({ hold: waiting });
    }
  });
});
