/**
 * The Content-Security-Policy of the app page, built in one place for both hosts (the Electron
 * app:// handler and the browser host's static server). Scripts only from our own origin; network
 * only to our origin and the configured backends (central, and a station relay when there is one).
 */
export function contentSecurityPolicy(backendUrls: string | readonly string[]): string {
  const backend = [...new Set((typeof backendUrls === 'string' ? [backendUrls] : backendUrls).map(originOf))].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Print templates carry their own <style> blocks and are shown in a same-origin iframe.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Printed documents carry their fonts inline (data:) so they render the same on every machine.
    "font-src 'self' data:",
    `connect-src 'self' ${backend}`,
    "worker-src 'self'",
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** scheme://host[:port] of an http(s) URL; shared/ has no URL class (no DOM, no Node). */
export function originOf(url: string): string {
  const match = /^(https?:\/\/[^/?#]+)/i.exec(url);
  if (!match?.[1]) throw new Error(`Not an http(s) URL: ${url}`);
  return match[1].toLowerCase();
}
