import { afterEach, describe, expect, it, vi } from 'vitest'
import type { KeyInfo, ProviderSummary, TemplateView, WorkspaceDraft } from '../../src/shared/api'
import { createProvidersStore } from '../../src/renderer/src/app/providers-store'
import { DRAFT_SAVE_DELAY_MS, rememberDraft, restoreDraft, type DraftStores } from '../../src/renderer/src/generate/draft-memory'
import { carryOver, checkDraft, defaultSize, nearestSize, soleKey } from '../../src/renderer/src/generate/form-rules'
import { createGenerateStore, followProviders } from '../../src/renderer/src/generate/generate-store'
import { createTemplatesStore } from '../../src/renderer/src/templates/templates-store'
import type { FileReference } from '../../src/renderer/src/generate/references/reference-rules'
import { createFakeApi, demoProvider, type FakeHandlers, sizesOf } from './fake-api'

// The Generate form's own decisions, on real stores over a fake engine: where it starts, which
// key it picks, what a provider switch keeps and says, and how a remembered draft comes back.

const demo = demoProvider()
const toapis = demoProvider({
  id: 'toapis',
  name: 'ToAPIs',
  needsKey: true,
  sizeMode: 'aspect',
  sizes: sizesOf('1:1@1K', '3:2@1K', '2:3@1K', '1:1@2K', '3:2@2K', '16:9@2K'),
  formats: ['png'],
  references: { accepts: ['url'], maxCount: 16, maxFileBytes: 0, mask: false },
})
const openai = demoProvider({ id: 'openai', name: 'OpenAI', needsKey: true, sizes: sizesOf('1024x1024', '1536x1024', '1024x1536', '2048x2048') })
const jpegOnly = demoProvider({ id: 'jpegs', name: 'JPEG Works', formats: ['jpeg'] })

const key = (over: Partial<KeyInfo>): KeyInfo => ({
  id: 'key_1',
  provider: 'openai',
  label: 'Studio',
  last4: '1234',
  backend: 'keychain',
  createdAt: 1,
  available: true,
  ...over,
})
const fileRef: FileReference = { kind: 'file', id: 'r1', path: '/lib/refs/a.png', name: 'mug.png', format: 'png', width: 64, height: 48, bytes: 900, preview: 'blob:a' }

const packshot: TemplateView = {
  id: 'tpl_packshot',
  name: 'White background packshot',
  body: 'Packshot of {{product}}',
  variables: ['product'],
  defaults: {},
  notes: '',
  createdAt: 1,
  updatedAt: 1,
}

function setup(providers: ProviderSummary[], keys: KeyInfo[] = [], handlers: FakeHandlers = {}) {
  const api = createFakeApi({
    'providers.list': () => ({ providers }),
    'keys.list': () => ({ keys, status: { backend: 'keychain', persistent: true, message: 'keychain' } }),
    'templates.list': () => ({ templates: [packshot] }),
    'workspace.save': () => ({ ok: true as const }),
    ...handlers,
  })
  const providersStore = createProvidersStore(api)
  const generate = createGenerateStore(api, { onQueued: () => {}, providers: providersStore })
  const templates = createTemplatesStore(api)
  const stop = followProviders(generate, providersStore)
  const stores: DraftStores = { api, generate, providers: providersStore, templates }
  return { api, stores, generate, providersStore, templates, stop, form: () => generate.getState() }
}

const draft = (over: Partial<WorkspaceDraft> = {}): WorkspaceDraft => ({
  prompt: 'A ceramic mug on oak',
  templateId: null,
  templateValues: {},
  providerId: 'openai',
  keyId: 'key_1',
  sizes: ['1536x1024', '1024x1536'],
  format: 'webp',
  quality: 'high',
  background: 'transparent',
  compression: 70,
  n: 3,
  ...over,
})

afterEach(() => {
  vi.useRealTimers()
})

describe('the rules the form follows', () => {
  it('starts every provider on 1024x1024 where it has it, else on its first size', () => {
    expect(defaultSize(openai)).toBe('1024x1024')
    expect(defaultSize(toapis)).toBe('1:1@1K')
  })

  it('maps a size a provider does not offer to its nearest: same proportions first, then pixels', () => {
    expect(nearestSize(toapis, '1536x1024')).toBe('3:2@2K')
    expect(nearestSize(toapis, '1024x1024')).toBe('1:1@1K')
    expect(nearestSize(openai, '16:9@2K')).toBe('1536x1024')
    // A provider that takes custom sizes keeps the very shape and pixels.
    const custom = { ...openai, modelId: 'gpt-image-2', customSizes: { min: 256, max: 3840, multipleOf: 16, maxAspect: 3, minPixels: 655_360, maxPixels: 8_294_400 } }
    expect(nearestSize(custom, '16:9@2K')).toBe('2048x1152')
    expect(nearestSize(custom, '21:9@4K')).toBe('3840x1648')
    // Its own listed size of that shape and about that many pixels comes first: a switch there and back returns.
    expect(nearestSize(custom, '3:2@2K')).toBe('1536x1024')
  })

  it("chooses a provider's key by itself only when it is its only one and can be read", () => {
    expect(soleKey(openai, [key({})])).toBe('key_1')
    expect(soleKey(openai, [key({}), key({ id: 'key_2' })])).toBeNull()
    expect(soleKey(openai, [key({ available: false })])).toBeNull()
    expect(soleKey(openai, [key({ provider: 'toapis' })])).toBeNull()
  })

  it('keeps on a switch what the new provider accepts, and names each change', () => {
    const carried = carryOver(
      { providerId: 'openai', sizes: ['1536x1024', '1024x1024'], format: 'webp', keyId: 'key_1', background: 'opaque', references: [fileRef], mask: fileRef },
      toapis,
      [key({}), key({ id: 'key_t', provider: 'toapis' })],
    )
    expect(carried.patch).toEqual({ providerId: 'toapis', sizes: ['3:2@2K', '1:1@1K'], format: 'png', keyId: 'key_t', background: 'opaque' })
    expect(carried.changes).toEqual([
      '1536x1024 is not offered, so 3:2@2K was chosen',
      '1024x1024 is not offered, so 1:1@1K was chosen',
      'WebP became PNG',
      '1 reference image cannot go to ToAPIs (marked below: remove it or switch back)',
      'ToAPIs takes no edit mask (remove it below or switch back)',
    ])

    const back = carryOver({ ...carried.patch, references: [], mask: null }, openai, [key({}), key({ id: 'key_2' })])
    // Nothing of ToAPIs' had to change on the way back, but OpenAI has two keys: the user picks one.
    expect(back.patch).toEqual({ providerId: 'openai', sizes: ['1536x1024', '1024x1024'], format: 'png', keyId: null, background: 'opaque' })
    expect(back.changes).toEqual(['3:2@2K is not offered, so 1536x1024 was chosen', '1:1@1K is not offered, so 1024x1024 was chosen'])
  })

  it('turns a transparent background to Auto when the new provider makes only JPEG, and says so', () => {
    const carried = carryOver({ providerId: 'demo', sizes: ['1024x1024'], format: 'png', keyId: null, background: 'transparent', references: [], mask: null }, jpegOnly, [])
    expect(carried.patch).toMatchObject({ format: 'jpeg', background: 'auto', sizes: ['1024x1024'] })
    expect(carried.changes).toEqual(['PNG became JPEG', 'JPEG has no transparency, so the background is Auto'])
  })

  it('puts quality and background back to Auto for a provider without them (a switch or a remembered draft), and says so', () => {
    const getimg = demoProvider({ id: 'getimg', name: 'getimg.ai', sizeMode: 'aspect', sizes: sizesOf('1:1@1K'), unsupportedOptions: ['quality', 'background'] })
    const switched = carryOver({ providerId: 'demo', sizes: ['1:1@1K'], format: 'png', keyId: null, background: 'transparent', quality: 'low', references: [], mask: null }, getimg, [])
    expect(switched.patch).toMatchObject({ quality: 'auto', background: 'auto' })
    expect(switched.changes).toEqual(['getimg.ai has no quality setting, so Low became Auto', 'getimg.ai has no background setting, so Transparent became Auto'])
    // Auto is what getimg does anyway: nothing to change, nothing to say.
    expect(carryOver({ providerId: 'demo', sizes: ['1:1@1K'], format: 'png', keyId: null, background: 'auto', quality: 'auto', references: [], mask: null }, getimg, []).changes).toEqual([])

    const draft = checkDraft({ providerId: 'getimg', sizes: ['1:1@1K'], format: 'png', keyId: null, background: 'opaque', quality: 'high' }, [demo, getimg], [])
    expect(draft?.patch).toMatchObject({ providerId: 'getimg', quality: 'auto', background: 'auto' })
    expect(draft?.changes).toEqual(['getimg.ai has no quality setting, so High became Auto', 'getimg.ai has no background setting, so Opaque became Auto'])
  })

  it('checks a remembered draft against what exists now', () => {
    const keys = [key({ id: 'key_2' })]
    const gone = checkDraft({ providerId: 'custom-gone', sizes: ['1536x1024'], format: 'webp', keyId: 'key_1', background: 'auto' }, [demo, openai], keys)
    expect(gone?.patch).toEqual({ providerId: 'openai', sizes: ['1536x1024'], format: 'webp', keyId: 'key_2', background: 'auto' })
    expect(gone?.changes).toEqual(['custom-gone is no longer set up, so OpenAI was chosen'])

    const stale = checkDraft({ providerId: 'openai', sizes: ['3840x2160', '1024x1024'], format: 'webp', keyId: 'key_1', background: 'auto' }, [openai], [])
    expect(stale?.patch).toEqual({ providerId: 'openai', sizes: ['1024x1024'], format: 'webp', keyId: null, background: 'auto' })
    expect(stale?.changes).toEqual(['3840x2160 is no longer offered', 'the key it used is no longer stored'])

    const none = checkDraft({ providerId: 'openai', sizes: ['3840x2160'], format: 'png', keyId: null, background: 'auto' }, [openai], [])
    expect(none?.patch.sizes).toEqual(['1024x1024'])
  })
})

describe('the form follows the providers and keys', () => {
  it('starts on a usable provider with its default size, so a prompt is all Generate needs', async () => {
    const { providersStore, form, stop } = setup([toapis, demo])
    await providersStore.getState().load()
    expect(form()).toMatchObject({ providerId: 'demo', sizes: ['1024x1024'], keyId: null, switchNote: null })
    stop()
  })

  it('picks the only key of a provider, also when it is added later, and lets go of a removed one', async () => {
    let keys: KeyInfo[] = []
    const { providersStore, generate, form, stop } = setup([openai], [], { 'keys.list': () => ({ keys, status: { backend: 'keychain', persistent: true, message: '' } }) })
    await providersStore.getState().load()
    expect(form()).toMatchObject({ providerId: 'openai', keyId: null })

    keys = [key({})]
    await providersStore.getState().load()
    expect(form().keyId).toBe('key_1')

    keys = [key({}), key({ id: 'key_2' })]
    generate.getState().setKey('key_2')
    await providersStore.getState().load()
    expect(form().keyId).toBe('key_2')

    keys = [key({})]
    await providersStore.getState().load()
    expect(form().keyId).toBe('key_1') // key_2 was removed; the one left is the only one
    stop()
  })

  it('says what a switch changed beside the provider, until the next change or a dismissal', async () => {
    const { providersStore, generate, form, stop } = setup([demo, toapis])
    await providersStore.getState().load()
    expect(form().providerId).toBe('demo')
    generate.getState().toggleSize('1536x1024', true)
    generate.getState().setFormat('jpeg')
    generate.getState().selectProvider(toapis)
    expect(form()).toMatchObject({ providerId: 'toapis', sizes: ['1:1@1K', '3:2@2K'], format: 'png', keyId: null })
    expect(form().switchNote).toBe(
      'Switched to ToAPIs: 1024x1024 is not offered, so 1:1@1K was chosen; 1536x1024 is not offered, so 3:2@2K was chosen; JPEG became PNG.',
    )
    generate.getState().setQuality('high')
    expect(form().switchNote).toBeNull()

    generate.getState().selectProvider(demo)
    expect(form().switchNote).toMatch(/^Switched to Demo: /)
    generate.getState().dismissSwitchNote()
    expect(form().switchNote).toBeNull()
    stop()
  })

  it('forgets "Queued 2 jobs" when the provider or the prompt changes', async () => {
    const { providersStore, generate, form, stop } = setup([demo, openai], [], {
      'jobs.generate': () => ({ batchId: null, jobs: [], estimate: { provider: 'demo', currency: 'USD', lines: [], total: 0, source: '' } }),
    })
    await providersStore.getState().load()
    generate.getState().setPrompt('A mug')
    await generate.getState().generate()
    generate.setState({ lastQueued: 2 })
    generate.getState().toggleSize('1536x1024', true)
    expect(form().lastQueued).toBe(2)
    generate.getState().selectProvider(openai)
    expect(form().lastQueued).toBeNull()
    generate.setState({ lastQueued: 2 })
    generate.getState().setPrompt('A mug on oak')
    expect(form().lastQueued).toBeNull()
    stop()
  })

  it('says JPEG drops transparency, and takes the user back to the format that kept it', async () => {
    const { providersStore, generate, form, stop } = setup([demo])
    await providersStore.getState().load()
    generate.getState().setFormat('webp')
    generate.getState().setBackground('transparent')
    generate.getState().setFormat('jpeg')
    expect(form()).toMatchObject({ format: 'jpeg', background: 'auto' })
    expect(form().formatNote?.text).toBe('JPEG has no transparency, so the background is now Auto.')
    generate.getState().undoFormat()
    expect(form()).toMatchObject({ format: 'webp', background: 'transparent', formatNote: null })
    stop()
  })

  it('removes the references and mask a provider cannot take, keeping the rest', async () => {
    const { providersStore, generate, form, stop } = setup([demo, toapis])
    await providersStore.getState().load()
    const link = { kind: 'url' as const, id: 'r2', url: 'https://cdn.example.com/a.png' }
    generate.setState({ references: [fileRef, link], mask: fileRef })
    generate.getState().selectProvider(toapis)
    generate.getState().removeUnusableReferences()
    expect(form().references).toEqual([link])
    expect(form().mask).toBeNull()
    stop()
  })
})

describe('the optional fields a provider documents', () => {
  const withOptions = demoProvider({ id: 'openai', name: 'OpenAI', sizes: sizesOf('1024x1024', 'auto'), options: { inputFidelity: true, moderation: true, user: true } })
  const without = demoProvider({ id: 'plain', name: 'Plain', options: { inputFidelity: false, moderation: false, user: false } })
  const queued = () => ({ batchId: null, jobs: [], estimate: { provider: 'openai', currency: 'USD', lines: [], total: 0, source: '' } })

  it('sends moderation, input fidelity only with references, and size auto as a size', async () => {
    const { providersStore, generate, api, stop } = setup([withOptions, without], [], { 'jobs.generate': queued })
    await providersStore.getState().load()
    const form = generate.getState()
    form.setPrompt('A mug')
    form.toggleSize('auto', true)
    form.setModeration('low')
    form.setInputFidelity('high')
    await generate.getState().generate()
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({ moderation: 'low', sizes: [{ width: 1024, height: 1024 }, { auto: true }] })
    expect(api.callsTo('jobs.generate')[0]).not.toHaveProperty('inputFidelity')

    generate.setState({ references: [fileRef] })
    await generate.getState().generate()
    expect(api.callsTo('jobs.generate')[1]).toMatchObject({ inputFidelity: 'high', refs: [{ kind: 'stored', path: '/lib/refs/a.png' }] })
    stop()
  })

  it('drops them on a switch to a provider that does not document them', async () => {
    const { providersStore, generate, form, stop } = setup([withOptions, without])
    await providersStore.getState().load()
    generate.getState().setModeration('low')
    generate.getState().setInputFidelity('low')
    generate.getState().selectProvider(without)
    expect(form()).toMatchObject({ moderation: null, inputFidelity: null })
    stop()
  })
})

describe('"Use these settings" from the gallery', () => {
  it("brings back an edit's references and mask in order, and names the ones that are gone", async () => {
    const { api, generate, providersStore, form, stop } = setup([demo], [], {
      'refs.describe': ({ paths }) => ({
        references: paths.map((path) =>
          path.includes('gone')
            ? { found: false as const, path, problem: "gone.png is no longer in the library's refs folder." }
            : { found: true as const, reference: { path, name: 'abc.png', format: 'png' as const, width: 64, height: 48, bytes: 900 }, preview: 'data:image/webp;base64,AA', media: `refs/${path.split('/').at(-1)}` },
        ),
      }),
    })
    await providersStore.getState().load()
    await generate.getState().loadSettings({
      provider: 'demo',
      prompt: 'The same mug on oak',
      size: '1536x1024',
      format: 'png',
      quality: 'auto',
      background: null,
      compression: null,
      n: 1,
      keyId: null,
      refs: [
        { kind: 'stored', path: '/lib/refs/a.png' },
        { kind: 'link', url: 'https://cdn.example.com/b.png' },
        { kind: 'stored', path: '/lib/refs/gone.png' },
      ],
      mask: { kind: 'stored', path: '/lib/refs/m.png' },
    })
    expect(api.callsTo('refs.describe')).toEqual([{ paths: ['/lib/refs/a.png', '/lib/refs/gone.png', '/lib/refs/m.png'] }])
    expect(form()).toMatchObject({ prompt: 'The same mug on oak', sizes: ['1536x1024'], importing: 0 })
    expect(form().references.map((r) => (r.kind === 'file' ? `${r.name} ${r.path}` : r.url))).toEqual([
      'Reference 1 of that image /lib/refs/a.png',
      'https://cdn.example.com/b.png',
    ])
    // Shown at full size through the media door (a thumbnail would paint a blurry mask).
    expect(form().mask).toMatchObject({ path: '/lib/refs/m.png', name: 'Mask of that image', preview: '/media/refs/m.png' })
    expect(form().referenceError?.message).toBe(
      "Not everything that image was made from could be brought back: gone.png is no longer in the library's refs folder.",
    )
    stop()
  })
})

describe('the draft remembered per library', () => {
  it('comes back whole: prompt, template and values, provider, key, sizes and options', async () => {
    const { stores, templates, form, stop } = setup([demo, openai], [key({}), key({ id: 'key_2' })])
    void stores.providers.getState().load()
    await restoreDraft(stores, draft({ templateId: 'tpl_packshot', templateValues: { product: 'a mug' }, prompt: 'Packshot of a mug' }))
    expect(form()).toMatchObject({
      prompt: 'Packshot of a mug',
      providerId: 'openai',
      keyId: 'key_1',
      sizes: ['1536x1024', '1024x1536'],
      format: 'webp',
      quality: 'high',
      background: 'transparent',
      compression: 70,
      n: 3,
      draftRestored: true,
      switchNote: null,
    })
    expect(templates.getState()).toMatchObject({ activeId: 'tpl_packshot', values: { product: 'a mug' } })
    stop()
  })

  it('checks it against what exists now, and says what it changed', async () => {
    const { stores, templates, form, stop } = setup([demo, openai], [key({ id: 'key_new' })])
    void stores.providers.getState().load()
    await restoreDraft(stores, draft({ sizes: ['3840x2160'], keyId: 'key_gone', templateId: 'tpl_deleted', templateValues: { x: 'y' } }))
    expect(form()).toMatchObject({ providerId: 'openai', sizes: ['1024x1024'], keyId: 'key_new', prompt: 'A ceramic mug on oak' })
    expect(form().switchNote).toBe('From your last session: 3840x2160 is no longer offered; the key it used is no longer stored.')
    expect(templates.getState().activeId).toBeNull()
    stop()
  })

  it('never writes over what the user changed before it arrived', async () => {
    let answer: () => void = () => {}
    const { api, stores, generate, templates, form, stop } = setup([demo, openai], [], {
      'templates.list': () => new Promise((resolve) => (answer = () => resolve({ templates: [packshot] }))),
    })
    await stores.providers.getState().load()
    const restoring = restoreDraft(stores, draft({ templateId: 'tpl_packshot', templateValues: { product: 'a mug' } }))
    generate.getState().setPrompt('Typed while the library opened')
    generate.getState().toggleSize('1024x1536', true)
    await vi.waitFor(() => expect(api.callsTo('templates.list')).toHaveLength(1))
    answer()
    await restoring
    // The prompt and the sizes are the user's; the rest (untouched) comes from the draft.
    expect(form()).toMatchObject({ prompt: 'Typed while the library opened', providerId: 'openai', sizes: ['1024x1024', '1024x1536'], format: 'webp', n: 3 })
    expect(templates.getState().activeId).toBeNull()
    stop()
  })

  it('is saved a moment after a change and at once when the page goes away, never before it was restored', async () => {
    vi.useFakeTimers()
    const { api, stores, generate, stop } = setup([demo])
    const stopSaving = rememberDraft(stores)
    await stores.providers.getState().load()
    generate.getState().setPrompt('Before the draft came back')
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS * 2)
    expect(api.callsTo('workspace.save')).toEqual([])

    await restoreDraft(stores, null)
    generate.getState().setPrompt('A linen tote')
    generate.getState().toggleSize('1536x1024', true)
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS - 1)
    expect(api.callsTo('workspace.save')).toEqual([])
    vi.advanceTimersByTime(1)
    expect(api.callsTo('workspace.save')).toEqual([
      { draft: expect.objectContaining({ prompt: 'A linen tote', providerId: 'demo', sizes: ['1024x1024', '1536x1024'], templateId: null }) },
    ])

    generate.getState().setImagesPerSize(2)
    window.dispatchEvent(new Event('pagehide'))
    expect(api.callsTo('workspace.save')).toHaveLength(2)
    expect(api.callsTo('workspace.save')[1]).toMatchObject({ draft: { n: 2 } })
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS)
    expect(api.callsTo('workspace.save')).toHaveLength(2) // nothing new to say
    stopSaving()
    stop()
  })
})
