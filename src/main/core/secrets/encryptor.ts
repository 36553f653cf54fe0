/**
 * Electron's safeStorage as the engine sees it: an encryptor, never Electron itself. The engine
 * must refuse an encryptor that only pretends to encrypt (Linux without a keyring reports
 * 'basic_text'); call `encryptorProblem` before trusting one with a key.
 */
import { randomBytes } from 'node:crypto'

export interface Encryptor {
  isEncryptionAvailable(): boolean
  /** e.g. 'basic_text' on Linux means "not really encrypted": such a backend must be refused. */
  backendName?(): string
  encryptString(plain: string): Buffer
  decryptString(cipher: Buffer): string
}

/** safeStorage backends that store keys readable by anyone who can read the file. */
const NOT_ENCRYPTING_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown'])

/**
 * Why this encryptor must not be trusted with a key, or null when it really encrypts.
 * Besides asking the encryptor, it seals a random probe and checks that the probe does not
 * appear in the sealed bytes and comes back intact, so a misbehaving encryptor is caught too.
 */
export function encryptorProblem(encryptor: Encryptor): string | null {
  try {
    if (!encryptor.isEncryptionAvailable()) return 'the system reports that encryption is not available'
    const backend = encryptor.backendName?.()
    if (backend !== undefined && NOT_ENCRYPTING_BACKENDS.has(backend)) {
      return `the system's safe storage has no keyring to encrypt with (backend "${backend}")`
    }
    const probe = `proofsheet-probe-${randomBytes(12).toString('hex')}`
    const sealed = encryptor.encryptString(probe)
    if (readableForms(probe).some((form) => sealed.includes(form))) {
      return 'the system\'s safe storage returned its input unencrypted'
    }
    if (encryptor.decryptString(sealed) !== probe) {
      return 'the system\'s safe storage did not decrypt what it had encrypted'
    }
    return null
  } catch (err) {
    return `the system's safe storage failed: ${errorText(err)}`
  }
}

/** The probe as an encoder (not a cipher) would hand it back: as is, UTF-16, base64 or hex. */
function readableForms(probe: string): Buffer[] {
  const bytes = Buffer.from(probe, 'utf8')
  return [bytes, Buffer.from(probe, 'utf16le'), ...(['base64', 'base64url', 'hex'] as const).map((enc) => Buffer.from(bytes.toString(enc)))]
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.trim().replace(/\.$/, '') || 'unknown error'
}
