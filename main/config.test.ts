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

  it('refuses a malformed backend URL or station with a clear message', () => {
    expect(() => readConfig(['--backend=ftp://x'], {})).toThrow();
    expect(() => readConfig(['--station=frankfurt'], {})).toThrow(/3-letter/);
  });
});
