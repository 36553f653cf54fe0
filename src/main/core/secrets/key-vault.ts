/**
 * API keys for the main process: metadata in the database, the secret in a SecretStore. Only
 * `resolveSecret` ever returns a secret, and only to engine code that is about to call a
 * provider; everything else returns KeyInfo, which is safe to hand to a renderer or print.
 */
import { randomBytes } from 'node:crypto'
import { ApiError, badInput } from '../../../shared/api/errors'
import type { KeyInfo, KeychainStatus, SecretBackend } from '../../../shared/api/keys'
import type { KeyRecord } from '../store/records'
import type { KeyMetadataStore } from './key-metadata-store'
import { oneAtATime } from './one-at-a-time'
import type { SecretStore } from './secret-store'

export type { KeyMetadataStore } from './key-metadata-store'

export interface AddKeyInput {
  provider: string
  label: string
  secret: string
  /** Host+port of the provider's base URL now (key-endpoint.ts): the only place the key will be sent. */
  host?: string | null
}

export interface KeyVaultOptions {
  metadata: KeyMetadataStore
  store: SecretStore
  status: KeychainStatus
  /** Milliseconds since the epoch; a test passes a fixed clock. */
  now?: () => number
}

const MAX_LABEL = 80
const MIN_SECRET = 8
const MAX_SECRET = 4096

/** Messages about the secret never quote it. */
function checkSecret(secret: string): void {
  if (secret.length < MIN_SECRET) {
    throw badInput('secret', 'that key is too short to be real', 'Paste the whole key as the provider shows it.')
  }
  if (secret.length > MAX_SECRET) {
    throw badInput('secret', `that key is longer than ${MAX_SECRET} characters`, 'Paste only the key itself.')
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(secret)) {
    throw badInput('secret', 'that key contains spaces, line breaks or control characters', 'Paste only the key itself.')
  }
}

export class KeyVault {
  readonly #metadata: KeyMetadataStore
  readonly #store: SecretStore
  readonly #status: KeychainStatus
  readonly #now: () => number
  /** add/remove run one at a time, so two adds cannot both pass the duplicate-label check. */
  readonly #exclusive = oneAtATime()

  constructor(options: KeyVaultOptions) {
    this.#metadata = options.metadata
    this.#store = options.store
    this.#status = { ...options.status }
    this.#now = options.now ?? Date.now
  }

  get status(): KeychainStatus {
    return { ...this.#status }
  }

  add(input: AddKeyInput): Promise<KeyInfo> {
    return this.#exclusive(() => this.#add(input))
  }

  async #add(input: AddKeyInput): Promise<KeyInfo> {
    const provider = input.provider.trim()
    const label = input.label.trim()
    const secret = input.secret.trim()
    if (!provider) throw badInput('provider', 'provider is empty', 'Name the provider this key belongs to.')
    if (!label) throw badInput('label', 'label is empty', 'Give the key a label, such as "studio" or "personal".')
    if (label.length > MAX_LABEL) {
      throw badInput('label', `label is longer than ${MAX_LABEL} characters`, 'Use a shorter label.')
    }
    checkSecret(secret)
    if (this.#metadata.findByLabel(provider, label)) throw duplicateLabel(provider, label)

    const record: KeyRecord = {
      id: `key_${randomBytes(12).toString('hex')}`,
      provider,
      label,
      last4: secret.slice(-4),
      backend: this.#store.backend,
      createdAt: this.#now(),
      host: input.host ?? null,
    }
    // Secret first: a crash between the two steps leaves an unreferenced secret, never a key
    // row that points at nothing.
    await this.#store.set(record.id, secret)
    try {
      this.#metadata.insert(record)
    } catch (err) {
      await this.#store.delete(record.id).catch(() => false)
      if (this.#metadata.findByLabel(provider, label)) throw duplicateLabel(provider, label)
      throw err
    }
    return toInfo(record, true)
  }

  /**
   * Replaces a key's secret and keeps its id and label, so queued jobs that name the key pay
   * with the new secret. The old secret is overwritten in place, never kept beside the new one.
   * `host`: entering the key again binds it to where its provider points now (key-endpoint.ts).
   */
  rotate(id: string, newSecret: string, host?: string | null): Promise<KeyInfo> {
    return this.#exclusive(async () => {
      const record = this.#metadata.get(id)
      if (!record) throw new ApiError('not_found', `There is no key with id "${id}".`, { field: 'id', fix: 'List the keys and pick one of them.' })
      const secret = newSecret.trim()
      checkSecret(secret)
      await this.#store.set(id, secret)
      const info = { last4: secret.slice(-4), backend: this.#store.backend }
      this.#metadata.updateSecretInfo(id, host ? { ...info, host } : info)
      return toInfo({ ...record, ...info, host: host ?? record.host }, true)
    })
  }

  /** Which provider a key belongs to, from its metadata alone (no keychain read); null if unknown. */
  providerOf(id: string): string | null {
    return this.#metadata.get(id)?.provider ?? null
  }

  /** A key's metadata (never its secret): what the endpoint checks need. */
  recordOf(id: string): KeyRecord | null {
    return this.#metadata.get(id) ?? null
  }

  /** Every key with whether its secret can be read right now. Never the secrets themselves. */
  async list(): Promise<KeyInfo[]> {
    const records = this.#metadata.list()
    return Promise.all(records.map(async (record) => toInfo(record, await this.#isAvailable(record))))
  }

  /** Removes the secret and the metadata. Removing a key that is gone is not an error. */
  remove(id: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const record = this.#metadata.get(id)
      if (!record) {
        // Maybe a secret left behind by an add that crashed before its metadata was written.
        await this.#store.delete(id).catch(() => false)
        return false
      }
      // Secret first, so a failure leaves the key listed and the removal can be retried.
      await this.#store.delete(id)
      this.#metadata.remove(id)
      return true
    })
  }

  /** The secret of a key. Main process only: never send the result to a renderer or a log. */
  async resolveSecret(id: string): Promise<string> {
    const record = this.#metadata.get(id)
    if (!record) {
      throw new ApiError('not_found', `There is no key with id "${id}".`, {
        field: 'key',
        fix: 'List the keys (`keys list`) and use one of their ids, or add the key again.',
      })
    }
    let secret: string | null
    try {
      secret = await this.#store.get(id)
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      throw new ApiError('unavailable', `The key "${record.label}" (${record.provider}) cannot be read: ${detail}`, {
        fix: err instanceof ApiError && err.fix ? err.fix : 'Unlock the keychain and try again.',
      })
    }
    if (secret === null) {
      throw new ApiError('unavailable', `The key "${record.label}" (${record.provider}) ${whyGone(record.backend, this.#store.backend)}.`, {
        field: 'key',
        fix: `Remove the key "${record.label}" and add it again.`,
      })
    }
    return secret
  }

  async #isAvailable(record: KeyRecord): Promise<boolean> {
    try {
      return (await this.#store.get(record.id)) !== null
    } catch {
      return false
    }
  }
}

/** Builds the public view field by field, so a record with extra columns cannot leak them. */
function toInfo(record: KeyRecord, available: boolean): KeyInfo {
  return {
    id: record.id,
    provider: record.provider,
    label: record.label,
    last4: record.last4,
    backend: record.backend,
    createdAt: record.createdAt,
    available,
    host: record.host,
  }
}

function duplicateLabel(provider: string, label: string): ApiError {
  return badInput(
    'label',
    `A ${provider} key labelled "${label}" already exists.`,
    'Choose another label, or remove the existing key first.',
  )
}

function whyGone(keptIn: SecretBackend, current: SecretBackend): string {
  if (keptIn === 'session') return 'was kept for one session only and is gone since the app restarted'
  if (keptIn !== current) {
    return `was stored in the ${place(keptIn)}, which is not in use now (keys are kept ${current === 'session' ? 'for this session only' : `in the ${place(current)}`})`
  }
  return `is missing from the ${place(keptIn)}`
}

function place(backend: 'keychain' | 'encrypted-file'): string {
  return backend === 'keychain' ? 'OS keychain' : 'encrypted key file'
}
