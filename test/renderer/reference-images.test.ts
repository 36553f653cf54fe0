import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src/shared/api'
import { referencesBlocker, referenceProblem, type FileReference } from '../../src/renderer/src/generate/references/reference-rules'
import type { ReferenceFileReader } from '../../src/renderer/src/generate/references/read-file'
import { createGenerateStore, watchEstimates } from '../../src/renderer/src/generate/generate-store'
import { createProvidersStore } from '../../src/renderer/src/app/providers-store'
import { createFakeApi, demoProvider, estimateFor } from './fake-api'

const fileRef = (over: Partial<FileReference> = {}): FileReference => ({
  kind: 'file',
  id: 'r1',
  path: '/lib/refs/a.png',
  name: 'a.png',
  format: 'png',
  width: 100,
  height: 80,
  bytes: 1000,
  preview: 'blob:a',
  ...over,
})
const link = { kind: 'url' as const, id: 'r2', url: 'https://cdn.example.com/a.png' }
const urlOnly = demoProvider({ id: 'toapis', name: 'ToAPIs', references: { accepts: ['url'], maxCount: 2, maxFileBytes: 0, mask: false } })
const filesOnly = demoProvider({ id: 'openai', name: 'OpenAI', references: { accepts: ['file'], maxCount: 2, maxFileBytes: 5000, mask: true } })
const none = demoProvider({ id: 'gettoken', name: 'GetToken', references: null })

describe('reference rules per provider', () => {
  it('marks files for URL-only providers and links for file-only providers', () => {
    expect(referenceProblem(urlOnly, fileRef())).toBe('ToAPIs needs a public https link instead of a file.')
    expect(referenceProblem(urlOnly, link)).toBeNull()
    expect(referenceProblem(filesOnly, link)).toMatch(/takes files, not links/)
    expect(referenceProblem(filesOnly, fileRef({ bytes: 6000 }))).toMatch(/Over OpenAI's 5 KB limit/)
    expect(referenceProblem(none, link)).toBe('GetToken takes no reference images.')
  })

  it('blocks Generate with a reason: count, mask support and mask size', () => {
    expect(referencesBlocker(filesOnly, [], null)).toBeNull()
    expect(referencesBlocker(none, [link], null)).toMatch(/GetToken takes no reference images/)
    expect(referencesBlocker(filesOnly, [fileRef(), fileRef({ id: 'b' }), fileRef({ id: 'c' })], null)).toMatch(/at most 2 .* remove 1/)
    expect(referencesBlocker(urlOnly, [link], fileRef())).toMatch(/does not take an edit mask/)
    expect(referencesBlocker(filesOnly, [], fileRef())).toMatch(/needs a reference image/)
    expect(referencesBlocker(filesOnly, [fileRef()], fileRef({ width: 50 }))).toBe('The mask is 50x80 but the first reference is 100x80: they must match.')
    expect(referencesBlocker(filesOnly, [fileRef()], fileRef())).toBeNull()
  })
})

describe('reference images in the generate store', () => {
  const reader = (): ReferenceFileReader & { released: string[] } => {
    const released: string[] = []
    return {
      released,
      base64: async (file) => Buffer.from(await (file as File).text()).toString('base64'),
      preview: (file) => `blob:${(file as File).name}`,
      release: (url) => released.push(url),
    }
  }

  it('imports picked files through refs.import, reports the bad ones, and sends paths and links in the request', async () => {
    const api = createFakeApi({
      'refs.import': (input) => {
        if (input.name === 'broken.png') throw new ApiError('bad_input', 'broken.png is not a PNG, JPEG or WebP image (no signature).', { fix: 'Use a PNG, JPEG or WebP file.' })
        return { path: `/lib/refs/${input.name}`, name: input.name, format: 'png', width: 10, height: 10, bytes: 4 }
      },
      'jobs.generate': () => ({ batchId: null, jobs: [], estimate: { provider: 'demo', currency: 'USD', lines: [], total: 0, source: 's' } }),
    })
    const files = reader()
    const store = createGenerateStore(api, { onQueued: () => {}, files, providers: createProvidersStore(api) })
    await store.getState().addReferenceFiles([
      new File(['one'], 'one.png', { type: 'image/png' }),
      new File(['x'], 'notes.txt', { type: 'text/plain' }),
      new File(['y'], 'broken.png', { type: 'image/png' }),
    ])
    const state = store.getState()
    expect(state.references.map((r) => r.kind === 'file' && r.path)).toEqual(['/lib/refs/one.png'])
    expect(state.importing).toBe(0)
    expect(state.referenceError?.message).toBe('notes.txt is not a PNG, JPEG or WebP image. broken.png is not a PNG, JPEG or WebP image (no signature).')
    expect(api.callsTo('refs.import')).toEqual([
      { name: 'one.png', base64: Buffer.from('one').toString('base64') },
      { name: 'broken.png', base64: Buffer.from('y').toString('base64') },
    ])

    expect(store.getState().addReferenceLink('not a link')).toMatch(/not a link/)
    expect(store.getState().addReferenceLink('https://cdn.example.com/b.png')).toBeNull()
    expect(store.getState().addReferenceLink('https://cdn.example.com/b.png')).toBe('That link is already in the list.')

    store.getState().selectProvider(demoProvider())
    store.getState().setPrompt('A mug')
    store.getState().toggleSize('1024x1024', true)
    await store.getState().generate()
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({ refs: [{ kind: 'stored', path: '/lib/refs/one.png' }, { kind: 'link', url: 'https://cdn.example.com/b.png' }] })

    const first = store.getState().references[0]!
    store.getState().removeReference(first.id)
    expect(files.released).toEqual(['blob:one.png'])
    expect(store.getState().references).toHaveLength(1)
  })

  it('takes a PNG mask only, and drops a transparent background when the format turns JPEG', async () => {
    const api = createFakeApi({
      'refs.import': (input) => ({ path: `/lib/refs/${input.name}`, name: input.name, format: input.name.endsWith('.jpg') ? 'jpeg' : 'png', width: 10, height: 10, bytes: 4 }),
    })
    const store = createGenerateStore(api, { onQueued: () => {}, files: reader(), providers: createProvidersStore(api) })
    await store.getState().setMaskFile(new File(['m'], 'mask.jpg', { type: 'image/jpeg' }))
    expect(store.getState().mask).toBeNull()
    expect(store.getState().referenceError?.message).toMatch(/mask must be a PNG/)
    await store.getState().setMaskFile(new File(['m'], 'mask.png', { type: 'image/png' }))
    expect(store.getState().mask?.path).toBe('/lib/refs/mask.png')

    store.getState().setBackground('transparent')
    store.getState().setFormat('webp')
    expect(store.getState().background).toBe('transparent')
    store.getState().setFormat('jpeg')
    expect(store.getState().background).toBe('auto')
  })

  it('leaves references and mask out of the cost preview: the engine would check them in an estimate, and the form shows their problems', async () => {
    const api = createFakeApi({ 'jobs.estimate': estimateFor })
    const store = createGenerateStore(api, { onQueued: () => {}, files: reader(), providers: createProvidersStore(api) })
    store.setState({ providerId: 'demo', sizes: ['1024x1024'], references: [fileRef(), link], mask: fileRef({ id: 'm', path: '/lib/refs/m.png' }) })
    const stop = watchEstimates(store, api, 0)
    try {
      await vi.waitFor(() => expect(api.callsTo('jobs.estimate').length).toBeGreaterThan(0))
      for (const input of api.callsTo('jobs.estimate')) {
        expect(input).toMatchObject({ provider: 'demo', sizes: [{ width: 1024, height: 1024 }] })
        expect(input).not.toHaveProperty('refs')
        expect(input).not.toHaveProperty('mask')
      }
    } finally {
      stop()
    }
  })
})
