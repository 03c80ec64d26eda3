import { describe, expect, it, vi } from 'vitest';
import { readConfig } from './config';

vi.mock('electron', () => ({}));

describe('main config', () => {
  it('defaults to the reference backend with demo data on loopback', () => {
    const c = readConfig([], {});
    expect(c.backendUrl).toBe('http://127.0.0.1:8787');
    expect(c.station).toBe('LHR');
  });

  it('takes flags over environment variables', () => {
    const c = readConfig(['--backend=https://ops.example.net', '--station=FRA'], {
      BACKSTOP_BACKEND_URL: 'http://x:1',
      BACKSTOP_WORKSTATION: 'GATE-7',
    });
    expect(c).toMatchObject({ backendUrl: 'https://ops.example.net', station: 'FRA', workstation: 'GATE-7' });
  });

  it('takes a pinned start instant for rehearsals and refuses one that is not an instant', () => {
    expect(readConfig(['--now=2027-03-28T00:30:00Z'], {}).now).toBe('2027-03-28T00:30:00Z');
    expect(readConfig([], { BACKSTOP_NOW: '2027-12-31T23:40:00+00:00' }).now).toBe('2027-12-31T23:40:00+00:00');
    expect(readConfig([], {}).now).toBeUndefined();
    expect(() => readConfig(['--now=yesterday'], {})).toThrow();
  });

  it('has updates off, the tray on and the login item left alone by default', () => {
    expect(readConfig([], {})).toMatchObject({ updateFeed: undefined, updateCheckMinutes: 240, tray: true, launchAtLogin: null });
  });

  it('reads the update feed, its check interval, the tray and launch at login from flags or the environment', () => {
    expect(
      readConfig(
        ['--update-feed=https://updates.example.net/backstop/', '--update-check-minutes=60', '--no-tray', '--launch-at-login'],
        {},
      ),
    ).toMatchObject({ updateFeed: 'https://updates.example.net/backstop/', updateCheckMinutes: 60, tray: false, launchAtLogin: true });
    expect(
      readConfig([], {
        BACKSTOP_UPDATE_FEED: 'https://updates.example.net/b/',
        BACKSTOP_TRAY: '0',
        BACKSTOP_LAUNCH_AT_LOGIN: 'no',
      }),
    ).toMatchObject({ updateFeed: 'https://updates.example.net/b/', tray: false, launchAtLogin: false });
    expect(readConfig(['--launch-at-login=yes'], { BACKSTOP_LAUNCH_AT_LOGIN: '0' }).launchAtLogin).toBe(true);
  });

  it('refuses an update feed that is not http(s), a check interval under 5 minutes, and a switch that is not yes or no', () => {
    expect(() => readConfig(['--update-feed=file:///srv/updates'], {})).toThrow();
    expect(() => readConfig(['--update-check-minutes=1'], {})).toThrow();
    expect(() => readConfig([], { BACKSTOP_TRAY: 'maybe' })).toThrow(/--tray/);
  });

  it('refuses a malformed backend URL or station with a clear message', () => {
    expect(() => readConfig(['--backend=ftp://x'], {})).toThrow();
    expect(() => readConfig(['--station=frankfurt'], {})).toThrow(/3-letter/);
  });
});

describe('transport and enrolment settings', () => {
  it('refuses plain HTTP to a backend on another machine', () => {
    expect(() => readConfig(['--backend=http://ops.airline.example:8787'], {})).toThrow(/https/);
    expect(() => readConfig([], { BACKSTOP_BACKEND_URL: 'http://10.1.2.3:8787' })).toThrow(/https/);
    expect(readConfig(['--backend=https://ops.airline.example'], {}).backendUrl).toBe('https://ops.airline.example');
  });

  it('uses the shared demo key only with a backend on loopback, and refuses it for any other', () => {
    expect(readConfig([], {}).enrolmentKey).toBe('backstop-demo');
    expect(readConfig(['--backend=https://ops.airline.example'], {}).enrolmentKey).toBeNull();
    expect(() => readConfig(['--backend=https://ops.airline.example', '--enrolment-key=backstop-demo'], {})).toThrow(/one-time code/);
  });

  it('takes several backends in order of preference (a station relay, then central), each held to the same transport rules', () => {
    const c = readConfig(['--backend=https://relay.lhr.example:8788, https://ops.airline.example'], {});
    expect(c).toMatchObject({
      backendUrl: 'https://relay.lhr.example:8788',
      backendUrls: ['https://relay.lhr.example:8788', 'https://ops.airline.example'],
      enrolmentKey: null,
    });
    expect(readConfig([], {}).backendUrls).toEqual(['http://127.0.0.1:8787']);
    expect(() => readConfig(['--backend=https://relay.lhr.example,http://10.1.2.3:8787'], {})).toThrow(/https/);
    // The demo key only when every backend is on this machine.
    expect(readConfig(['--backend=http://127.0.0.1:8788,http://127.0.0.1:8787'], {}).enrolmentKey).toBe('backstop-demo');
    expect(readConfig(['--backend=http://127.0.0.1:8788,https://ops.airline.example'], {}).enrolmentKey).toBeNull();
  });

  it('takes a one-time enrolment code, and then no demo key', () => {
    const c = readConfig(['--enrolment-code=ENR-7Q2M-X9KD-4TPL'], {});
    expect(c).toMatchObject({ enrolmentCode: 'ENR-7Q2M-X9KD-4TPL', enrolmentKey: null });
  });
});
