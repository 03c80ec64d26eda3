import { describe, expect, it } from 'vitest';
import { insecureBackendReason, isLoopbackHost, isLoopbackUrl } from './transport';

describe('backend URLs a workstation may use', () => {
  it.each(['https://ops.airline.example', 'https://10.0.0.5:8443/', 'http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787'])(
    'accepts %s',
    (url) => {
      expect(insecureBackendReason(url)).toBeNull();
    },
  );

  it.each([
    'http://ops.airline.example',
    'http://10.0.0.5:8787',
    'http://127.0.0.1.evil.example',
    'http://user@example.com',
    'ftp://x',
    'nonsense',
  ])('refuses %s', (url) => {
    expect(insecureBackendReason(url)).not.toBeNull();
  });

  it('knows loopback when it sees it, and only then', () => {
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackUrl('http://localhost:1/')).toBe(true);
    expect(isLoopbackUrl('https://localhost.evil.example/')).toBe(false);
  });
});
