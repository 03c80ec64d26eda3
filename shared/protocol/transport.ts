/**
 * Which backend URLs a workstation may talk to. Device tokens, staff PINs (online sign-in) and
 * passenger data cross this link, so it is HTTPS — except on loopback, where the traffic never
 * leaves the machine (the demo, the tests, a backend on the same PC). The check lives in shared/ so
 * main, the browser host, the sync worker and the backend's own tools refuse the same URLs.
 */

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** scheme and host of an absolute http(s) URL, or null (shared/ has no URL class: no DOM, no Node). */
function parts(url: string): { scheme: string; host: string } | null {
  const m = /^(https?):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::\d{1,5})?(?:[/?#]|$)/i.exec(url.trim());
  return m?.[1] && m[2] ? { scheme: m[1].toLowerCase(), host: m[2] } : null;
}

/** Why a backend URL is refused, or null when it may be used. */
export function insecureBackendReason(url: string): string | null {
  const p = parts(url);
  if (!p) return `${url} is not an http(s) URL`;
  if (p.scheme === 'https' || isLoopbackHost(p.host)) return null;
  return `${url} is plain HTTP to another machine: use https:// (plain HTTP only to 127.0.0.1 or localhost)`;
}

/** The URL is on this machine (loopback): only there may a shared demo enrolment key be used. */
export function isLoopbackUrl(url: string): boolean {
  const p = parts(url);
  return p !== null && isLoopbackHost(p.host);
}
