/**
 * The station relay card as the page renders it (component level: the card appears only in the desktop
 * app, whose main hosts the relay; the browser host the e2e suite runs has no main process).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RelayHostStatus } from '../../../shared/ipc/relay-host';
import { StationRelayView } from './StationRelayCard';

const NOW = Date.parse('2026-11-26T10:05:00.000Z');

const running: RelayHostStatus = {
  state: 'running',
  station: 'LHR',
  url: 'https://relay-lhr.station.example:8788',
  loopbackOnly: false,
  central: 'https://ops.airline.example',
  upstream: { station: 'LHR', reachable: true, centralAsOf: '2026-11-26T10:02:00.000Z', stale: false, unforwarded: 0 },
  error: null,
  retryAt: null,
  restarts: 0,
  since: '2026-11-26T08:00:00.000Z',
};

function html(status: RelayHostStatus, supervisor = false): string {
  return renderToStaticMarkup(
    <StationRelayView
      status={status}
      now={NOW}
      zone="Europe/London"
      issue={supervisor ? async () => ({ ok: false, message: 'x' }) : null}
    />,
  );
}

function text(status: RelayHostStatus, supervisor = false): string {
  return html(status, supervisor)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

type Pill = { className: string; role: string | null; text: string; dotHidden: boolean };

/**
 * The pills of the rendered card, by test id: their classes, role and words, and whether their dot is
 * hidden from screen readers (the words carry the state, the colour only repeats it).
 */
function pills(status: RelayHostStatus): Map<string, Pill> {
  const found = new Map<string, Pill>();
  for (const m of html(status).matchAll(/<span class="(pill [^"]*)"((?: [a-z-]+="[^"]*")*)>(<span [^>]*><\/span>)?([^<]*)<\/span>/g)) {
    const attrs = Object.fromEntries([...m[2]!.matchAll(/ ([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    found.set(attrs['data-testid'] ?? '?', {
      className: m[1]!,
      role: attrs.role ?? null,
      text: m[4]!,
      dotHidden: m[3] === '<span aria-hidden="true" class="pill-dot"></span>',
    });
  }
  return found;
}

describe('the station relay card', () => {
  it('says the relay runs, where desks find it, that central answers, how old its copy is and that nothing waits', () => {
    const t = text(running);
    expect(t).toContain('Running · LHR');
    expect(t).toContain('Central https://ops.airline.example : REACHABLE');
    expect(t).toContain('Desks use this address: https://relay-lhr.station.example:8788');
    expect(t).toContain('Central data as of 10:02 GMT (3 min)');
    expect(t).toContain('Every action has reached central');
    expect(t).not.toContain('STALE');
    expect(t).not.toContain('Enrol another desk');
    expect(pills(running)).toEqual(
      new Map([
        ['station-relay-state-pill', { className: 'pill pill-online', role: 'status', text: 'Running', dotHidden: true }],
        ['station-relay-central', { className: 'pill pill-online', role: 'status', text: 'REACHABLE', dotHidden: true }],
      ]),
    );
  });

  it('shows a bad state as the status bar shows one: a coloured pill with the words in it', () => {
    const bad: RelayHostStatus = {
      ...running,
      upstream: { station: 'LHR', reachable: false, centralAsOf: '2026-11-26T09:40:00.000Z', stale: true, unforwarded: 3 },
    };
    expect(pills(bad)).toEqual(
      new Map([
        ['station-relay-state-pill', { className: 'pill pill-online', role: 'status', text: 'Running', dotHidden: true }],
        ['station-relay-central', { className: 'pill pill-offline', role: 'status', text: 'NOT REACHABLE', dotHidden: true }],
        ['station-relay-stale', { className: 'pill pill-degraded', role: 'status', text: 'STALE COPY', dotHidden: true }],
        [
          'station-relay-waiting',
          { className: 'pill pill-degraded', role: 'status', text: '3 actions not yet at central', dotHidden: true },
        ],
      ]),
    );
    const state = (st: RelayHostStatus['state']) =>
      pills({ ...running, state: st, url: null, upstream: null }).get('station-relay-state-pill');
    expect(state('starting')).toMatchObject({ className: 'pill pill-unknown', text: 'Starting…' });
    expect(state('restarting')).toMatchObject({ className: 'pill pill-degraded', text: 'Stopped: starting again' });
    expect(state('failed')).toMatchObject({ className: 'pill pill-offline', text: 'Not running: its settings need fixing' });
    expect(state('stopped')).toMatchObject({ className: 'pill pill-offline', text: 'Stopped' });
  });

  it('says in words when central is gone, the copy is stale and actions wait, and when it listens on this machine only', () => {
    const t = text({
      ...running,
      url: 'http://127.0.0.1:8788',
      loopbackOnly: true,
      upstream: { station: 'LHR', reachable: false, centralAsOf: '2026-11-26T09:40:00.000Z', stale: true, unforwarded: 3 },
    });
    expect(t).toContain('NOT REACHABLE');
    expect(t).toContain('STALE COPY');
    expect(t).toContain('3 actions not yet at central');
    expect(t).toContain('desks on other machines cannot use it');
  });

  it('says why it is not running and when it tries again, after a crash', () => {
    const t = text({
      ...running,
      state: 'restarting',
      url: null,
      upstream: null,
      error: 'The relay process ended (exit 1).',
      retryAt: '2026-11-26T10:05:04.000Z',
      restarts: 2,
    });
    expect(t).toContain('Stopped: starting again');
    expect(t).toContain('Last error: The relay process ended (exit 1). · Tries again at 10:05 GMT');
    expect(t).toContain('Started again 2 times');
    expect(t).not.toContain('Desks use this address');
  });

  it('offers a supervisor a one-time code for another desk, only while the relay runs', () => {
    expect(text(running, true)).toContain('Enrol another desk at this relay');
    expect(text({ ...running, state: 'starting', url: null, upstream: null }, true)).not.toContain('Enrol another desk');
  });
});
