/**
 * Findings of Electronegativity (the static Electron security check run by electronegativity.test.ts
 * on the build) that are explained, each with the reason and the test that proves it. A finding not
 * listed here fails the check; a HIGH one must never be listed without a test behind it.
 */
export interface Explained {
  check: string;
  /** The built file it is found in, relative to out/. */
  file: string;
  why: string;
  /** The test that shows the real setting. */
  provenBy: string;
}

export const EXPLAINED: readonly Explained[] = [
  {
    check: 'CONTEXT_ISOLATION_JS_CHECK',
    file: 'main/index.js',
    why: 'The window options come from mainWindowOptions() → secureWebPreferences(), which the static check cannot follow; they set contextIsolation: true.',
    provenBy: 'main/window.test.ts "isolates the page…"; tools/security/electronegativity.test.ts checks the built options too',
  },
  {
    check: 'SANDBOX_JS_CHECK',
    file: 'main/index.js',
    why: 'Same options object: sandbox: true, set in secureWebPreferences().',
    provenBy: 'main/window.test.ts "isolates the page…"',
  },
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'main/index.js',
    why: 'Every web contents gets setWindowOpenHandler → deny (a middle-click new window is refused) and will-navigate blocking (main/security.ts).',
    provenBy: 'main/window.test.ts "web contents hardening"; main/index.test.ts "hardens every web contents"',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/index.js',
    why: 'electron-log’s bundled openUrl helper, reachable only through log.initialize(), which Backstop never calls (no renderer bridge).',
    provenBy: 'main/index.test.ts "never initialises electron-log"',
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'N/A',
    why: 'The CSP is sent as an HTTP header by the app:// protocol handler (shared/csp.ts), not as a <meta> tag the static check looks for.',
    provenBy: 'main/protocol.test.ts; e2e/smoke.spec.ts "strict CSP"; e2e/trust.spec.ts "an injected inline script does not run"',
  },
];
