/**
 * The real OS keychain (Secret Service on Linux). Needs a session bus with an unlocked keyring;
 * `npm test` provides one. Run alone with:
 *   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run --project main test/main/secrets'
 * An unreachable keychain fails this file on purpose: skipping would hide a broken setup.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Keytar from 'keytar'
import { chooseSecretStore } from '../../../src/main/core/secrets/choose-secret-store'
import { KeyVault } from '../../../src/main/core/secrets/key-vault'
import { KeytarSecretStore, loadKeytar } from '../../../src/main/core/secrets/keytar-store'
import type { SecretStore } from '../../../src/main/core/secrets/secret-store'
import type { KeychainStatus } from '../../../src/shared/api/keys'
import { MemoryKeyMetadataStore } from './fixtures/memory-metadata-store'

const RUN_UNDER =
  "run the tests under dbus-run-session with an unlocked gnome-keyring: dbus-run-session -- sh -c 'echo -n pw | " +
  "gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run --project main test/main/secrets'"

/** A service name of our own, so the test never reads or deletes a real user's keys. */
const service = `Proofsheet-test-${randomBytes(6).toString('hex')}`
// The full module, for findCredentials: listing what is left behind is not part of KeytarLike.
const keytar = createRequire(import.meta.url)('keytar') as typeof Keytar

let dir: string
let chosen: { store: SecretStore; status: KeychainStatus }

async function leftovers(): Promise<string[]> {
  return (await keytar.findCredentials(service)).map((c) => c.account)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofsheet-keychain-'))
  chosen = await chooseSecretStore({ sealedFile: join(dir, 'secrets.sealed.json'), serviceName: service })
  if (chosen.status.backend !== 'keychain') {
    throw new Error(`The OS keychain is not reachable. Status: "${chosen.status.message}" To test it, ${RUN_UNDER}`)
  }
})

afterAll(async () => {
  for (const account of await leftovers().catch(() => [])) await keytar.deletePassword(service, account)
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('real OS keychain', () => {
  it('is chosen, persistent, and the probe leaves nothing behind', async () => {
    expect(chosen.status).toEqual({
      backend: 'keychain',
      persistent: true,
      message: `Keys are stored in the OS keychain (service "${service}").`,
    })
    expect(chosen.store).toBeInstanceOf(KeytarSecretStore)
    expect(chosen.store.persistent).toBe(true)
    expect(await leftovers()).toEqual([])
  })

  it('loads keytar through the guarded loader', () => {
    expect(loadKeytar()).not.toBeNull()
  })

  it('stores, replaces, reads and deletes a secret under the test service only', async () => {
    const store = chosen.store
    const account = `key_${randomBytes(6).toString('hex')}`
    expect(await store.get(account)).toBeNull()

    await store.set(account, 'sk-first-0000000000')
    await store.set(account, 'sk-second-ünïcødé-✓')
    expect(await store.get(account)).toBe('sk-second-ünïcødé-✓')
    // Seen from keytar directly: the entry is filed under our service name.
    expect(await keytar.getPassword(service, account)).toBe('sk-second-ünïcødé-✓')
    expect(await keytar.getPassword('Proofsheet', account)).toBeNull()

    expect(await store.delete(account)).toBe(true)
    expect(await store.delete(account)).toBe(false)
    expect(await store.get(account)).toBeNull()
    expect(await leftovers()).toEqual([])
  })

  it('a second store on the same service sees the same keys (they persist beyond one instance)', async () => {
    const account = `key_${randomBytes(6).toString('hex')}`
    await chosen.store.set(account, 'sk-persist-1234567890')
    const again = new KeytarSecretStore(loadKeytar()!, { serviceName: service })
    expect(await again.get(account)).toBe('sk-persist-1234567890')
    expect(await again.delete(account)).toBe(true)
  })

  it('keeps a KeyVault key in the keychain and removes it completely', async () => {
    const metadata = new MemoryKeyMetadataStore()
    const vault = new KeyVault({ metadata, ...chosen })
    const secret = `sk-live-${randomBytes(12).toString('hex')}`

    const info = await vault.add({ provider: 'openai', label: 'studio', secret })
    expect(info).toMatchObject({ backend: 'keychain', available: true, last4: secret.slice(-4) })
    expect(await keytar.getPassword(service, info.id)).toBe(secret)
    expect(await vault.resolveSecret(info.id)).toBe(secret)

    // Deleted behind our back (e.g. in Seahorse): listed, but not available.
    await keytar.deletePassword(service, info.id)
    expect((await vault.list())[0]?.available).toBe(false)
    await expect(vault.resolveSecret(info.id)).rejects.toThrow(/"studio".*missing from the OS keychain/)

    await keytar.setPassword(service, info.id, secret)
    expect(await vault.remove(info.id)).toBe(true)
    expect(await vault.remove(info.id)).toBe(false)
    expect(await vault.list()).toEqual([])
    expect(await leftovers()).toEqual([])
  })
})
