/**
 * The host's answer to an enrolment, as the sync engine's failure policy understands answers: a
 * refused or missing code is a refusal the backend would repeat (wait, and say so), an unreachable
 * backend a network failure (retry).
 */
import type { DeviceEnrolOutcome } from '../../shared/ipc/contract';
import type { EnrolResponse } from '../../shared/protocol/v1';
import type { HttpResult } from './http';

export function enrolmentResult(outcome: DeviceEnrolOutcome): HttpResult<EnrolResponse> {
  if (outcome.ok) return { ok: true, value: outcome.value, bytes: 0, ms: 0, timing: { networkMs: 0, parseMs: 0, validateMs: 0 } };
  const detail = outcome.message;
  switch (outcome.code) {
    case 'ENROLMENT_REFUSED':
      return { ok: false, failure: { kind: 'client', status: 403, code: 'ENROLMENT_REFUSED', detail } };
    case 'NO_ENROLMENT_CODE':
      return { ok: false, failure: { kind: 'client', status: null, code: 'ENROLMENT_REFUSED', detail } };
    case 'BACKEND_UNREACHABLE':
      return { ok: false, failure: { kind: 'network', status: null, code: null, detail } };
    case 'BACKEND_ERROR':
      return { ok: false, failure: { kind: 'server', status: null, code: null, detail } };
  }
}
