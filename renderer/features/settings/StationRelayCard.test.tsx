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

function text(status: RelayHostStatus, supervisor = false): string {
  const html = renderToStaticMarkup(
    <StationRelayView
      status={status}
      now={NOW}
      zone="Europe/London"
      issue={supervisor ? async () => ({ ok: false, message: 'x' }) : null}
    />,
  );
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the station relay card', () => {
  it('says the relay runs, where desks find it, that central answers, how old its copy is and that nothing waits', () => {
    const t = text(running);
    expect(t).toContain('Running · LHR');
    expect(t).toContain('Desks use this address: https://relay-lhr.station.example:8788');
    expect(t).toContain('Central https://ops.airline.example : reachable');
    expect(t).toContain('Central data as of 10:02 GMT (3 min)');
    expect(t).toContain('Every action has reached central');
    expect(t).not.toContain('STALE');
    expect(t).not.toContain('Enrol another desk');
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
