/**
 * Error text for a diagnostics bundle, with everything personal taken out. Error messages quote
 * what they were about — a passenger's name, a booking reference, a ticket number, a seat — and a
 * list of things to remove would always miss one, so this keeps what is known to be harmless and
 * replaces every other word with "…":
 *
 *   - words of a fixed technical vocabulary, in lower case or capitalised ("Failed to fetch");
 *     never in upper case, which is how reservations write names (SMITH/JOHN MR),
 *   - error codes (NOT_CHECKED_IN, net::ERR_CONNECTION_REFUSED) and error class names (TypeError),
 *   - a few acronyms (HTTP, JSON, DCS…), the backend's own routes, instants,
 *   - numbers of at most four digits (HTTP status, milliseconds, a count) — never a ticket,
 *     a phone or a document number.
 *
 * The vocabulary deliberately leaves out words that are also common names (page, long, will,
 * young, king, price…): a message loses a little, a name never slips through.
 */

const VOCABULARY = new Set(
  `a an the to of in on at for from by with without and or not no nor is are was were be been being has have had
  do does did done can cannot can't could couldn't should shouldn't would wouldn't must it its it's this that these those
  there here than then when while after before during into onto over under up down out off all any some more less
  too very only yet still again already also one two three first last next new old same other another each every none
  per via because since until unless if else so but as which what who how why where whether isn't aren't wasn't
  doesn't don't didn't won't hasn't haven't
  error errors failed fail fails failing failure failures unable invalid missing unknown unexpected undefined null nan
  true false timeout timed time times took exceeded exceeds exceeding limit limits quota storage disk full space memory
  network offline online unreachable reachable refused rejected reject rejects denied forbidden unauthorized
  unauthorised expired expires conflict conflicts retry retrying retried retries attempt attempts abort aborted
  cancelled canceled cancel closed close closing open opened opening connection connections connect connected
  connecting disconnected reset socket request requests response responses status code codes body header headers
  server backend client device devices workstation station token enrol enrolment enrolled enroll enrollment sync
  synced syncing push pushed pushing pull pulled pulling cursor batch queue queued outbox action actions mutation
  mutations seq sequence lease leases number numbers flight flights passenger passengers manifest manifests seat
  seats seating boarding board boarded check checked check-in checkin offload offloaded standby gate closeout
  close-out document documents print printer printers printing printed job jobs archive paper ready busy read write
  writing reading wrote written transaction transactions database schema version versions upgrade upgraded blocked
  block lock locked locks worker window renderer process crashed crash gone killed exit exited restart restarted
  reload reloaded load loaded loading fetch fetched parse parsing parsed property properties value values field
  fields type types object array string function method argument arguments match matches matched expected received
  got found exist exists supported unsupported allowed disabled enabled permission permissions data cache cached
  local remote size bytes large small short slow wait waiting waited ms seconds second minutes minute hours hour
  days day internal external service unavailable available protocol mismatch malformed bad gateway route host port
  address url link state stale fresh backoff circuit breaker probe health down fallback drill declared outage mode
  update updates download downloading downloaded install installing installed feed rollback signature checksum file
  files path directory folder name names id ids key keys reached reach sent send sending answer answered answers
  empty instead already duplicate duplicated replayed applied deferred gap stale-client accepted due
  oom abnormal-exit launch-failed integrity-failure clean-exit memory-eviction unhandled rejection utility zygote
  sandbox helper plugin ticket tickets e-ticket
  `
    .trim()
    .split(/\s+/),
);

const ACRONYMS = new Set([
  'HTTP',
  'HTTPS',
  'JSON',
  'URL',
  'API',
  'DCS',
  'CORS',
  'CSP',
  'TLS',
  'SSL',
  'DNS',
  'TCP',
  'IPC',
  'PDF',
  'CUPS',
  'GPU',
  'OOM',
  'UI',
  'ID',
  'GET',
  'POST',
  'OPTIONS',
  'IndexedDB',
  'Dexie',
  'SQLite',
  'Electron',
  'Chromium',
  'Backstop',
  'BCBP',
]);

const ROUTES = new Set(['/v1/health', '/v1/ready', '/v1/devices', '/v1/sync/pull', '/v1/sync/push', '/metrics']);

const KEEP_PATTERNS: readonly RegExp[] = [
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/, // NOT_CHECKED_IN, PAYLOAD_TOO_LARGE
  /^net::ERR_[A-Z_]+$/, // Chromium network errors
  /^(?:[A-Z][a-z]+)+(?:Error|Exception)$/, // TypeError, QuotaExceededError, DOMException
  /^\d{1,4}(?:\.\d+)?(?:ms|s|kB|KB|MB|GB|%)?$/, // 503, 1500ms, 80%
  /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/, // instants
];

const REDACTED = '…';
const LEADING = /^[([{<"'`]+/;
const TRAILING = /[)\]}>"'`.,;:!?]+$/;

function keepWord(core: string): boolean {
  if (core === '') return true;
  if (ACRONYMS.has(core) || ROUTES.has(core)) return true;
  if (KEEP_PATTERNS.some((p) => p.test(core))) return true;
  const lower = core.toLowerCase();
  if (!VOCABULARY.has(lower)) return false;
  // Lower case, or capitalised at most (never UPPER CASE, which is how reservations write names).
  return core === lower || core === lower[0]!.toUpperCase() + lower.slice(1);
}

/** The message with every word that is not known to be harmless replaced by "…". */
export function scrubText(text: string, maxLength = 500): string {
  const out: string[] = [];
  for (const token of text.split(/\s+/)) {
    if (token === '') continue;
    const lead = LEADING.exec(token)?.[0] ?? '';
    const rest = token.slice(lead.length);
    const trail = TRAILING.exec(rest)?.[0] ?? '';
    const core = rest.slice(0, rest.length - trail.length);
    if (keepWord(core)) {
      out.push(token);
    } else if (out[out.length - 1] !== REDACTED) {
      out.push(REDACTED);
    }
  }
  return out.join(' ').slice(0, maxLength);
}

/** A URL without credentials, query or fragment: where the backend is, nothing more. */
export function scrubUrl(url: string): string {
  const m = /^(https?):\/\/(?:[^@/?#]*@)?([A-Za-z0-9.[\]:-]+)(\/[^?#]*)?/.exec(url.trim());
  if (!m) return REDACTED;
  const path = m[3] && m[3] !== '/' ? m[3] : '';
  return `${m[1]}://${m[2]}${path}`;
}

/**
 * A code-like value (an error code, a failure kind, an HTTP status): kept when it is one of the
 * patterns above or made only of vocabulary words (UNAUTHORIZED, CURSOR_EXPIRED, network,
 * not-due), else dropped.
 */
export function scrubCode(value: unknown): string | null {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 10_000 ? String(value) : null;
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_:.-]{0,63}$/.test(value)) return null;
  if (ACRONYMS.has(value) || KEEP_PATTERNS.some((p) => p.test(value))) return value;
  return value.split(/[_-]/).every((part) => VOCABULARY.has(part.toLowerCase())) ? value : null;
}
