/**
 * Enrolment happens here, in main, and never in the page: the one-time enrolment code (or, for a
 * demo on loopback, the shared demo key) is something the page never sees. The page asks for an
 * enrolment through `device:enrol` and gets the device id and token back, which it keeps encrypted.
 *
 * Where the code comes from, first found wins: `--enrolment-code` / BACKSTOP_ENROLMENT_CODE, or a
 * file `enrolment-code` in userData that IT put there (deleted once used: a code works once).
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../shared/result';
import { insecureBackendReason } from '../shared/protocol/transport';
import { EnrolResponse, ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION, type EnrolRequest } from '../shared/protocol/v1';
import type { DeviceEnrolRequest } from '../shared/ipc/contract';

export const ENROLMENT_CODE_FILE = 'enrolment-code';

export type EnrolFailure = 'NO_ENROLMENT_CODE' | 'ENROLMENT_REFUSED' | 'BACKEND_UNREACHABLE' | 'BACKEND_ERROR';

export interface EnrolmentSource {
  backendUrl: string;
  /** The shared demo key (loopback backends only; main/config.ts sees to that). */
  enrolmentKey: string | null;
  enrolmentCode: string | null;
  /** Where IT may leave an `enrolment-code` file; null: no such place (the browser host's server). */
  userData: string | null;
  fetch?: typeof fetch;
  log: (message: string) => void;
}

/** The secret to enrol with: a code from the configuration or the userData file, else the demo key. */
async function secretOf(o: EnrolmentSource): Promise<{ secret: string; kind: 'code-flag' | 'code-file' | 'demo-key' } | null> {
  if (o.enrolmentCode) return { secret: o.enrolmentCode, kind: 'code-flag' };
  if (o.userData) {
    try {
      const text = (await readFile(path.join(o.userData, ENROLMENT_CODE_FILE), 'utf8')).trim();
      if (text !== '') return { secret: text, kind: 'code-file' };
    } catch {
      // no file
    }
  }
  return o.enrolmentKey ? { secret: o.enrolmentKey, kind: 'demo-key' } : null;
}

export function createEnroller(o: EnrolmentSource) {
  const fetchImpl = o.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  let spentFlagCode = false;
  return async function enrol(request: DeviceEnrolRequest): Promise<Result<EnrolResponse, EnrolFailure>> {
    const insecure = insecureBackendReason(o.backendUrl);
    if (insecure) return fail('BACKEND_ERROR', insecure);
    const source = await secretOf(spentFlagCode ? { ...o, enrolmentCode: null } : o);
    if (!source) {
      return fail(
        'NO_ENROLMENT_CODE',
        'This workstation needs an enrolment code. Ask an administrator for one and start Backstop with it (see the operations guide).',
      );
    }
    if (source.kind === 'demo-key') o.log('*** DEMO: enrolling with the shared demo enrolment key (loopback backend only) ***');
    const body: EnrolRequest = {
      name: request.name,
      station: request.station,
      enrolmentKey: source.secret,
      ...(request.previous ? { previous: request.previous } : {}),
    };
    let response: Response;
    try {
      response = await fetchImpl(new URL('/v1/devices', o.backendUrl).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      return fail('BACKEND_UNREACHABLE', `The backend did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 201) {
      const parsed = EnrolResponse.safeParse(safeJson(text));
      if (!parsed.success) return fail('BACKEND_ERROR', 'The backend answered the enrolment with something unreadable.');
      // A code works once: forget it so nothing tries it again.
      if (source.kind === 'code-file' && o.userData)
        await rm(path.join(o.userData, ENROLMENT_CODE_FILE), { force: true }).catch(() => undefined);
      if (source.kind === 'code-flag') spentFlagCode = true;
      o.log(`enrolled as device ${parsed.data.deviceId} (${source.kind})`);
      return ok(parsed.data);
    }
    const error = ErrorBody.safeParse(safeJson(text));
    const code = error.success ? error.data.error.code : null;
    if (code === 'ENROLMENT_REFUSED') {
      if (source.kind === 'code-flag') spentFlagCode = true;
      return fail('ENROLMENT_REFUSED', error.success ? error.data.error.message : 'The enrolment was refused.');
    }
    if (response.status >= 500 || response.status === 429)
      return fail('BACKEND_UNREACHABLE', `The backend answered ${response.status}; trying again later.`);
    return fail('BACKEND_ERROR', error.success ? error.data.error.message : `The backend answered ${response.status}.`);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
