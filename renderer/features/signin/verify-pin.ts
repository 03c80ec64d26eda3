/**
 * Offline sign-in: the PIN is checked against the salted PBKDF2-SHA256 hash the backend sent,
 * with WebCrypto. Nothing leaves the workstation; the PIN itself is never stored.
 *
 * A hash with fewer iterations than MIN_PBKDF2_ITERATIONS is not trusted, whoever sent it (a
 * misconfigured backend, an edited local copy): guessing against it would be too cheap.
 */
import { MIN_PBKDF2_ITERATIONS } from '../../../shared/domain/pin-policy';
import type { Credential } from '../../../shared/domain/schemas';

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function strongEnough(credential: Credential): boolean {
  return credential.iterations >= MIN_PBKDF2_ITERATIONS;
}

/**
 * Checked when there is no usable hash for the staff ID typed (unknown, or too weak), so that answer
 * takes as long as a wrong PIN for a real member of staff: nobody can tell IDs apart by timing.
 */
export const DECOY_CREDENTIAL: Credential = {
  algorithm: 'PBKDF2-SHA256',
  iterations: MIN_PBKDF2_ITERATIONS,
  salt: 'ZGVjb3ktc2FsdC0xNmJ5dA==',
  hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

export async function verifyPin(pin: string, credential: Credential): Promise<boolean> {
  const expected = fromBase64(credential.hash);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(credential.salt), iterations: credential.iterations },
      key,
      expected.length * 8,
    ),
  );
  // Compare every byte so the time taken does not tell how many matched.
  let diff = bits.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (bits[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0 && strongEnough(credential);
}
