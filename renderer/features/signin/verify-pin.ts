/**
 * Offline sign-in: the PIN is checked against the salted PBKDF2-SHA256 hash the backend sent,
 * with WebCrypto. Nothing leaves the workstation; the PIN itself is never stored.
 */
import type { Credential } from '../../../shared/domain/schemas';

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

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
  return diff === 0;
}
