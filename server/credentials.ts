/**
 * Offline sign-in material for staff: PBKDF2-HMAC-SHA256 over the UTF-8 PIN, with a random 16-byte
 * salt and a 32-byte key, both base64. A workstation verifies a PIN with WebCrypto
 * (`deriveBits({name:'PBKDF2', hash:'SHA-256', salt: base64-decoded salt, iterations}, key, 256)`)
 * without ever having seen the PIN itself.
 */
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Credential } from '../shared/domain/schemas';

const derive = promisify(pbkdf2);

/** OWASP's floor for PBKDF2-SHA256 is far higher for passwords; this keeps sign-in on a slow PC under ~0.2 s. */
export const DEFAULT_PBKDF2_ITERATIONS = 150_000;

export async function hashPin(pin: string, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<Credential> {
  const salt = randomBytes(16);
  const hash = await derive(pin, salt, iterations, 32, 'sha256');
  return { algorithm: 'PBKDF2-SHA256', iterations, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPin(pin: string, credential: Credential): Promise<boolean> {
  const expected = Buffer.from(credential.hash, 'base64');
  const actual = await derive(pin, Buffer.from(credential.salt, 'base64'), credential.iterations, expected.length, 'sha256');
  return timingSafeEqual(actual, expected);
}
