import { describe, expect, it } from 'vitest'
import type { KeyInfo, ProviderSummary } from '../../src/shared/api'
import { ApiError } from '../../src/shared/api'
import { createProvidersStore } from '../../src/renderer/src/app/providers-store'
import { createGenerateStore, followProviders } from '../../src/renderer/src/generate/generate-store'
import { editProvider } from '../../src/renderer/src/generate/mask/edit-provider'
import { createFakeApi, demoProvider, image, sizesOf } from './fake-api'

// Edit and Use as reference on the Generate form's store over a fake engine: which provider an
// edit lands on and what it says, the image as the only reference with the painter open, and a
// refused image reported where the references are.

const demo = demoProvider()
const linksOnly = demoProvider({ id: 'toapis', name: 'ToAPIs', needsKey: true, references: { accepts: ['url'], maxCount: 16, maxFileBytes: 0, mask: false } })
const noMask = demoProvider({ id: 'getimg', name: 'getimg', references: { accepts: ['file'], maxCount: 4, maxFileBytes: 1, mask: false } })
const openai = demoProvider({ id: 'openai', name: 'OpenAI', needsKey: true, sizes: sizesOf('1024x1024', '1536x1024') })
const key: KeyInfo = { id: 'key_1', provider: 'openai', label: 'Studio', last4: '1234', backend: 'keychain', createdAt: 1, available: true }

const stored = { path: '/lib/refs/abc.png', name: 'Image img_1.png', format: 'png' as const, width: 1536, height: 1024, bytes: 2048 }

async function setup(providers: ProviderSummary[], keys: KeyInfo[] = []) {
  const api = createFakeApi({
    'providers.list': () => ({ providers }),
    'keys.list': () => ({ keys, status: { backend: 'keychain', persistent: true, message: 'keychain' } }),
    'refs.fromImage': ({ imageId }) => {
      if (imageId !== 'img_1') throw new ApiError('not_found', `No image with id ${imageId}.`, { field: 'imageId' })
      return stored
    },
  })
  const providersStore = createProvidersStore(api)
  const generate = createGenerateStore(api, { onQueued: () => {}, providers: providersStore })
  followProviders(generate, providersStore)
  await providersStore.getState().load()
  return { api, generate, form: () => generate.getState() }
}

describe('Edit', () => {
  it('picks a provider that takes a file reference and a mask, preferring one with a key', () => {
    expect(editProvider([linksOnly, noMask, demo, openai], [key])?.id).toBe('openai')
    expect(editProvider([linksOnly, noMask, openai, demo], [])?.id).toBe('demo')
    expect(editProvider([linksOnly, noMask], [])).toBeUndefined()
  })

  it('moves off a provider without masks, says so, and opens the painter on the image alone', async () => {
    const { form, api } = await setup([linksOnly, demo])
    form().selectProvider(linksOnly)
    await form().addReferenceLink('https://cdn.example.com/old.png')
    await form().editImage(image({ id: 'img_1', prompt: 'Amber bottle\nsecond line', file: 'images/a.png' }))
    expect(form().providerId).toBe('demo')
    expect(form().switchNote).toMatch(/^Switched to Demo/)
    expect(form().references).toEqual([expect.objectContaining({ kind: 'file', path: stored.path, name: 'Amber bottle', width: 1536, preview: '/media/images/a.png' })])
    expect(form().mask).toBeNull()
    expect(form().maskPainterOpen).toBe(true)
    expect(api.callsTo('refs.fromImage')).toEqual([{ imageId: 'img_1' }])
  })

  it('keeps a provider that edits with a mask', async () => {
    const { form } = await setup([openai, demo], [key])
    form().selectProvider(openai)
    await form().editImage(image({ id: 'img_1' }))
    expect(form().providerId).toBe('openai')
    expect(form().switchNote).toBeNull()
  })
})

describe('Use as reference', () => {
  it('adds the image after the references already chosen, and reports an image the engine refuses', async () => {
    const { form } = await setup([demo])
    await form().useImageAsReference(image({ id: 'img_1', prompt: 'first' }))
    expect(form().references.map((r) => r.kind === 'file' && r.name)).toEqual(['first'])
    const refused = await form().useImageAsReference(image({ id: 'img_gone' }))
    expect(refused?.message).toBe('No image with id img_gone.')
    expect(form().referenceError?.message).toBe('No image with id img_gone.')
    expect(form().references).toHaveLength(1)
    expect(form().importing).toBe(0)
  })
})
