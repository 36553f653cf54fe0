import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/core/store/store'
import { tempDir } from '../../helpers/temp-dir'

const key = (over: Partial<{ id: string; provider: string; label: string }> = {}) => ({
  id: 'key_1',
  provider: 'gettoken',
  label: 'studio',
  last4: 'Gf9Q',
  backend: 'keychain' as const,
  createdAt: 1_741_944_600_000,
  host: 'api.gettoken.dev' as string | null,
  ...over,
})

describe('KeysRepo', () => {
  it('keeps key metadata, one label per provider, and never a secret column', () => {
    const store = Store.open(join(tempDir('proofsheet-keys-'), 'library.sqlite'))
    store.keys.insert(key())
    store.keys.insert(key({ id: 'key_2', provider: 'toapis' }))
    expect(() => store.keys.insert(key({ id: 'key_3' }))).toThrow(/UNIQUE/)
    expect(store.keys.list().map((k) => `${k.provider}/${k.label}`)).toEqual(['gettoken/studio', 'toapis/studio'])
    expect(store.keys.findByLabel('toapis', 'studio')?.id).toBe('key_2')
    expect(store.keys.get('key_1')).toEqual(key())
    const columns = (store.db.pragma('table_info(keys)') as { name: string }[]).map((c) => c.name)
    expect(columns.filter((c) => /secret|value|token/i.test(c))).toEqual([])
    expect(store.keys.remove('key_1')).toBe(true)
    expect(store.keys.remove('key_1')).toBe(false)
    store.close()
  })
})
