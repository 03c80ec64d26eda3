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
    const c = readConfig(['--backend=https://ops.example.net', '--station=FRA'], { BACKSTOP_BACKEND_URL: 'http://x:1', BACKSTOP_WORKSTATION: 'GATE-7' });
    expect(c).toMatchObject({ backendUrl: 'https://ops.example.net', station: 'FRA', workstation: 'GATE-7' });
  });

  it('refuses a malformed backend URL or station with a clear message', () => {
    expect(() => readConfig(['--backend=ftp://x'], {})).toThrow();
    expect(() => readConfig(['--station=frankfurt'], {})).toThrow(/3-letter/);
  });
});
