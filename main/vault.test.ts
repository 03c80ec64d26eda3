import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../shared/clock';
import { aesGcmSealer, KEY_FILE, Vault, type SafeStorageLike } from './vault';

vi.mock('electron', () => ({}));

/** safeStorage as Electron has it: encryption by the OS (here: a stand-in), and which backend. */
function safe(backend: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (wrapped) => Buffer.from([...wrapped].map((b) => b ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  };
}
const clock = fixedClock('2027-03-27T22:30:00.000Z');
const dir = () => mkdtempSync(path.join(os.tmpdir(), 'backstop-vault-'));

describe('the data key in main', () => {
  it('is made once, kept only wrapped by the OS key store, and the same after a restart', () => {
    const userData = dir();
    const first = new Vault(userData, safe('gnome_libsecret'), 'linux', clock, () => {}).open();
    expect(first).toMatchObject({ status: 'ready', backend: 'gnome_libsecret', riskAcceptedBy: null });
    const stored = readFileSync(path.join(userData, KEY_FILE));
    expect(first.status === 'ready' && stored.toString()).not.toContain(first.status === 'ready' ? first.key : 'x');
    const again = new Vault(userData, safe('gnome_libsecret'), 'linux', clock, () => {}).open();
    expect(again).toEqual(first);
  });

  it('hands out no key under Linux basic_text until a supervisor accepts the risk, and records who', () => {
    const userData = dir();
    const vault = new Vault(userData, safe('basic_text'), 'linux', clock, () => {});
    expect(vault.open()).toEqual({ status: 'needs-acceptance', backend: 'basic_text' });
    expect(vault.keyIfOpen()).toBeNull();
    expect(readdirSync(userData)).not.toContain(KEY_FILE);
    expect(vault.acceptRisk('SU9001')).toMatchObject({ status: 'ready', riskAcceptedBy: 'SU9001' });
  });

  it('seals archive files so they open only with the key, and forgets everything on a wipe', () => {
    const userData = dir();
    const vault = new Vault(userData, safe('dpapi'), 'win32', clock, () => {});
    const sealer = aesGcmSealer(() => vault.keyIfOpen());
    const sealed = sealer.seal(Buffer.from('Boarding pass OKONKWO/ADAEZE'));
    expect(sealed.toString('latin1')).not.toContain('OKONKWO');
    expect(sealer.open(sealed).toString()).toBe('Boarding pass OKONKWO/ADAEZE');
    vault.wipe();
    expect(readdirSync(userData)).not.toContain(KEY_FILE);
    expect(() => sealer.open(sealed)).toThrow();
  });
});
