/**
 * The data key: 32 random bytes that encrypt passenger data at rest — the page's database
 * (renderer/db/at-rest, AES-GCM with WebCrypto) and main's print archive (AES-256-GCM here). It is
 * kept in userData only wrapped by Electron's safeStorage (DPAPI on Windows, the Keychain on macOS,
 * the desktop's keyring on Linux), so a copy of the disk without the user's login does not open it.
 *
 * Linux without a keyring falls back to safeStorage's "basic_text": a fixed, public password, i.e.
 * no protection. Then no key is handed out until a supervisor, signed in online, accepts the risk;
 * who and when is kept with the key and shown in Settings.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../shared/clock';
import type { VaultAnswer } from '../shared/ipc/contract';

export const KEY_FILE = 'data-key.bin';
export const RISK_FILE = 'data-key-risk.json';

/** What the vault needs of Electron's safeStorage (tests supply their own). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text', 'gnome_libsecret', 'kwallet5', … */
  getSelectedStorageBackend?(): string;
}

const RiskRecord = z.object({ staffId: z.string(), at: z.string(), backend: z.string() });

export class Vault {
  private key: Buffer | null = null;

  constructor(
    private readonly userData: string,
    private readonly safe: SafeStorageLike,
    private readonly platform: NodeJS.Platform,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
  ) {}

  /** 'basic_text' where the OS offers no real protection; the platform's key store otherwise. */
  backend(): string {
    if (this.platform !== 'linux') return this.platform === 'darwin' ? 'keychain' : 'dpapi';
    try {
      return this.safe.getSelectedStorageBackend?.() ?? 'unknown';
    } catch {
      return 'unknown';
    }
  }

  private weak(): boolean {
    return !this.safe.isEncryptionAvailable() || this.backend() === 'basic_text';
  }

  private riskAcceptedBy(): string | null {
    try {
      const r = RiskRecord.safeParse(JSON.parse(readFileSync(path.join(this.userData, RISK_FILE), 'utf8')));
      return r.success ? r.data.staffId : null;
    } catch {
      return null;
    }
  }

  /** The key for the page, or why there is none yet. */
  open(): VaultAnswer {
    const backend = this.backend();
    const acceptedBy = this.weak() ? this.riskAcceptedBy() : null;
    if (this.weak() && acceptedBy === null) return { status: 'needs-acceptance', backend };
    try {
      return { status: 'ready', key: this.dataKey().toString('base64'), backend, riskAcceptedBy: acceptedBy };
    } catch (error) {
      this.log(`vault: the data key could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return {
        status: 'unavailable',
        message: 'The key that protects this workstation’s data could not be opened. Call the service desk.',
      };
    }
  }

  /** Records that a supervisor (checked online by the caller) accepted storing data without OS protection. */
  acceptRisk(staffId: string): VaultAnswer {
    mkdirSync(this.userData, { recursive: true });
    const record = { staffId, at: this.clock().toISOString(), backend: this.backend() };
    writeFileSync(path.join(this.userData, RISK_FILE), JSON.stringify(record), { mode: 0o600 });
    this.log(`vault: ${staffId} accepted storing passenger data without OS key protection (${record.backend})`);
    return this.open();
  }

  /** The raw data key, made and wrapped on first use. Main's own use (the print archive). */
  dataKey(): Buffer {
    if (this.key) return this.key;
    const file = path.join(this.userData, KEY_FILE);
    let wrapped: Buffer | null;
    try {
      wrapped = readFileSync(file);
    } catch {
      wrapped = null;
    }
    if (wrapped) {
      this.key = Buffer.from(this.safe.decryptString(wrapped), 'base64');
    } else {
      const key = randomBytes(32);
      mkdirSync(this.userData, { recursive: true });
      writeFileSync(file, this.safe.encryptString(key.toString('base64')), { mode: 0o600 });
      this.key = key;
    }
    if (this.key.length !== 32) throw new Error('the stored data key is damaged');
    return this.key;
  }

  /** A ready key, or null while the vault is closed (then nothing with passenger data may be written). */
  keyIfOpen(): Buffer | null {
    return this.open().status === 'ready' ? this.dataKey() : null;
  }

  /** Forgets the key (everything encrypted with it becomes unreadable) and the risk acceptance. */
  wipe(): void {
    this.key = null;
    rmSync(path.join(this.userData, KEY_FILE), { force: true });
    rmSync(path.join(this.userData, RISK_FILE), { force: true });
  }
}

/** AES-256-GCM over a file's bytes: 12-byte IV, 16-byte tag, ciphertext. */
export interface FileSealer {
  seal(plain: Uint8Array): Buffer;
  open(sealed: Uint8Array): Buffer;
}

const MAGIC = Buffer.from('BSTP1');

export function aesGcmSealer(key: () => Buffer | null): FileSealer {
  const need = () => {
    const k = key();
    if (!k) throw new Error('the data key is not available: passenger data cannot be stored on this workstation yet');
    return k;
  };
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', need(), iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const buf = Buffer.from(sealed);
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a sealed archive file');
      const iv = buf.subarray(MAGIC.length, MAGIC.length + 12);
      const tag = buf.subarray(MAGIC.length + 12, MAGIC.length + 28);
      const decipher = createDecipheriv('aes-256-gcm', need(), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(buf.subarray(MAGIC.length + 28)), decipher.final()]);
    },
  };
}
