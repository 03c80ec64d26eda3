import { describe, expect, it, vi } from 'vitest';
import { readConfig } from './config';

vi.mock('electron', () => ({}));

describe('"this workstation is the station relay" in the main config', () => {
  it('is off unless asked for, deliberately', () => {
    expect(readConfig([], {}).relay).toBeNull();
    expect(readConfig(['--no-host-relay'], { BACKSTOP_HOST_RELAY: 'yes' }).relay).toBeNull();
  });

  it('listens on loopback by default and makes this workstation sync through it first, then central', () => {
    const c = readConfig(['--host-relay', '--backend=http://127.0.0.1:8787'], {});
    expect(c.relay).toEqual({
      listenHost: '127.0.0.1',
      port: 8788,
      url: 'http://127.0.0.1:8788',
      tls: null,
      upstream: 'http://127.0.0.1:8787',
      upstreamEnrolmentKey: 'backstop-demo',
      staleAfterMinutes: 10,
    });
    expect(c.backendUrls).toEqual(['http://127.0.0.1:8788', 'http://127.0.0.1:8787']);
    expect(c.backendUrl).toBe('http://127.0.0.1:8788');
  });

  it('serves desks on other machines only over TLS, at the address they are told to use', () => {
    const c = readConfig(
      [
        '--backend=https://ops.airline.example',
        '--enrolment-code=ABCD-EFGH-IJKL',
        '--host-relay',
        '--relay-host=10.20.0.5',
        '--relay-port=9443',
        '--relay-tls-cert=/etc/backstop/relay.pem',
        '--relay-tls-key=/etc/backstop/relay-key.pem',
        '--relay-upstream-code=ENR-CENTRAL-CODE',
      ],
      { BACKSTOP_RELAY_STALE_AFTER_MINUTES: '5' },
    );
    expect(c.relay).toMatchObject({
      listenHost: '10.20.0.5',
      url: 'https://10.20.0.5:9443',
      tls: { cert: '/etc/backstop/relay.pem', key: '/etc/backstop/relay-key.pem' },
      upstream: 'https://ops.airline.example',
      upstreamEnrolmentKey: 'ENR-CENTRAL-CODE',
      staleAfterMinutes: 5,
    });
    expect(c.backendUrls).toEqual(['https://10.20.0.5:9443', 'https://ops.airline.example']);
  });

  it('refuses a relay open to the LAN without TLS, half a TLS pair, and a wildcard address with no address for desks', () => {
    expect(() => readConfig(['--host-relay', '--relay-host=0.0.0.0'], {})).toThrow(/only with TLS/);
    expect(() => readConfig(['--host-relay', '--relay-tls-cert=a.pem'], {})).toThrow(/go together/);
    expect(() => readConfig(['--host-relay', '--relay-host=0.0.0.0', '--relay-tls-cert=a.pem', '--relay-tls-key=b.pem'], {})).toThrow(
      /--relay-url/,
    );
    expect(
      readConfig(['--host-relay', '--relay-host=0.0.0.0', '--relay-tls-cert=a.pem', '--relay-tls-key=b.pem'], {
        BACKSTOP_RELAY_URL: 'https://relay-lhr.station.example:8788/',
      }).relay?.url,
    ).toBe('https://relay-lhr.station.example:8788');
    expect(() => readConfig(['--host-relay', '--relay-port=0'], {})).toThrow();
  });
});
