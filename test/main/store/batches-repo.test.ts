/**
 * One way to write a batch row: the Store's batches repository, for a Generate press at several
 * sizes (no template, no source file) and for a SKU batch alike.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/core/store/store'
import { tempDir } from '../../helpers/temp-dir'

const T0 = 1_767_225_600_000

describe('batches repository on the Store', () => {
  it('writes a Generate press batch and a SKU batch, and reads both back', () => {
    const store = Store.open(join(tempDir('proofsheet-batches-'), 'library.sqlite'))
    try {
      store.batches.insert({ id: 'batch_press', name: 'Mug on white', budget: null, createdAt: T0 })
      store.batches.insert({ id: 'batch_sku', name: 'Mugs', budget: 2.5, templateName: 'Packshot', sourceName: 'mugs.csv', createdAt: T0 + 1 })
      expect(store.batches.get('batch_press')).toEqual({ id: 'batch_press', name: 'Mug on white', budget: null, templateName: null, sourceName: null, createdAt: T0 })
      expect(store.batches.get('batch_sku')).toEqual({ id: 'batch_sku', name: 'Mugs', budget: 2.5, templateName: 'Packshot', sourceName: 'mugs.csv', createdAt: T0 + 1 })
      // The Store keeps no second insert of its own.
      expect('insertBatch' in store).toBe(false)
    } finally {
      store.close()
    }
  })
})
