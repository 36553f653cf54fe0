/**
 * Keys sealed with Electron's safeStorage in one file of the library folder, for systems where
 * keytar cannot reach a keychain but safeStorage can still encrypt. It refuses to exist when the
 * encryptor is not really encrypting: no path may put a readable key on disk.
 */
import { readFile } from 'node:fs/promises'
import { writeFileAtomic } from '../files/atomic-write'
import { z } from 'zod'
import { ApiError } from '../../../shared/api/errors'
import { encryptorProblem, errorText } from './encryptor'
import type { Encryptor } from './encryptor'
import { oneAtATime } from './one-at-a-time'
import type { SecretStore } from './secret-store'

/** File name inside the library folder. */
export const SEALED_FILE_NAME = 'secrets.sealed.json'

const SealedFile = z.object({
  version: z.literal(1),
  /** account -> base64 of the encryptor's ciphertext */
  entries: z.record(z.string(), z.string()),
})
type SealedFile = z.infer<typeof SealedFile>

export class EncryptedFileSecretStore implements SecretStore {
  readonly backend = 'encrypted-file' as const
  readonly persistent = true
  readonly filePath: string
  readonly #encryptor: Encryptor
  /** Writes are read-modify-write of the whole file, so they run one at a time. */
  readonly #exclusive = oneAtATime()

  constructor(encryptor: Encryptor, filePath: string) {
    const problem = encryptorProblem(encryptor)
    if (problem !== null) {
      throw new ApiError('unavailable', `Refusing to keep keys in ${filePath}: ${problem}.`, {
        fix: 'Install and unlock a keyring (gnome-keyring, KWallet) so keys can be encrypted.',
      })
    }
    this.#encryptor = encryptor
    this.filePath = filePath
  }

  async set(account: string, secret: string): Promise<void> {
    const sealed = this.#encrypt(secret)
    await this.#exclusive(async () => {
      const file = await this.#read()
      file.entries[account] = sealed
      await this.#write(file)
    })
  }

  async get(account: string): Promise<string | null> {
    const file = await this.#exclusive(() => this.#read())
    const sealed = Object.hasOwn(file.entries, account) ? file.entries[account] : undefined
    if (sealed === undefined) return null
    try {
      return this.#encryptor.decryptString(Buffer.from(sealed, 'base64'))
    } catch (err) {
      throw new ApiError('unavailable', `A key in ${this.filePath} cannot be decrypted: ${errorText(err)}.`, {
        fix: "The system's safe storage key may have changed; remove the key and add it again.",
      })
    }
  }

  delete(account: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const file = await this.#read()
      if (!Object.hasOwn(file.entries, account)) return false
      delete file.entries[account]
      await this.#write(file)
      return true
    })
  }

  #encrypt(secret: string): string {
    try {
      return this.#encryptor.encryptString(secret).toString('base64')
    } catch (err) {
      throw new ApiError('unavailable', `The system's safe storage could not encrypt the key: ${errorText(err)}.`)
    }
  }

  async #read(): Promise<SealedFile> {
    let text: string
    try {
      text = await readFile(this.filePath, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} }
      throw new ApiError('unavailable', `Cannot read ${this.filePath}: ${errorText(err)}.`)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    const result = SealedFile.safeParse(parsed)
    if (!result.success) {
      // Never overwrite a file we do not understand: it may hold keys from a newer version.
      throw new ApiError('unavailable', `The key file ${this.filePath} is damaged or from a newer version.`, {
        fix: 'Move the file aside and add your keys again.',
      })
    }
    // A null-prototype copy, so an account named "__proto__" is just another account.
    return { version: 1, entries: Object.assign(Object.create(null) as Record<string, string>, result.data.entries) }
  }

  /** Atomic replace: a crash leaves either the old file or the new one, never half of one. */
  async #write(file: SealedFile): Promise<void> {
    try {
      await writeFileAtomic(this.filePath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
    } catch (err) {
      throw new ApiError('unavailable', `Cannot write ${this.filePath}: ${errorText(err)}.`, {
        fix: 'Check that the library folder is writable and the disk is not full.',
      })
    }
  }

}
