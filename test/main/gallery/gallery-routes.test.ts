/**
 * The gallery's routes through the engine's router, on a real library with images the demo
 * provider rendered: filters, facets, tags, favorites, the detail view and delete to the trash.
 */
import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EventMessage, TrashInfo } from '../../../src/shared/api'
import type { Engine } from '../../../src/main/core/engine'
import type { Trash } from '../../../src/main/core/gallery/trash'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

/** Three requests: two images at 320x200, one at 200x320, and a two-size batch. */
async function libraryWithImages(trash?: Trash): Promise<{ engine: Engine; home: string; events: EventMessage[] }> {
  const home = tempDir('proofsheet-gallery-')
  const engine = await openEngine(home, trash ? { trash } : {})
  const events: EventMessage[] = []
  engine.router.subscribe((m) => events.push(m))
  const requests = [
    { prompt: 'red sneaker on white', sizes: [{ width: 320, height: 200 }], n: 2, format: 'png' },
    { prompt: 'blue teapot, studio light', sizes: [{ width: 200, height: 320 }], format: 'webp', quality: 'high' },
    { prompt: 'poster for a summer sale', sizes: [{ width: 320, height: 200 }, { width: 256, height: 256 }] },
  ]
  const ids: string[] = []
  for (const r of requests) {
    const queued = await call(engine, 'jobs.generate', { provider: 'demo', ...r })
    ids.push(...queued.jobs.map((j) => j.id))
  }
  const done = await engine.waitForJobs(ids)
  expect(done.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded'])
  return { engine, home, events }
}

const prompts = (images: { prompt: string }[]): string[] => images.map((i) => i.prompt)

describe('gallery routes', () => {
  it('lists newest first with a total, and filters by size, batch, key, date and search', async () => {
    const { engine } = await libraryWithImages()
    const all = await call(engine, 'gallery.list', {})
    expect(all.total).toBe(5)
    expect(all.images.map((i) => i.createdAt)).toEqual([...all.images.map((i) => i.createdAt)].sort((a, b) => b - a))
    expect(all.images.every((i) => i.tags.length === 0)).toBe(true)

    const later = await call(engine, 'gallery.list', { limit: 2, after: all.images[1] })
    expect(later.total).toBeUndefined()
    expect(later.images.map((i) => i.id)).toEqual(all.images.slice(2, 4).map((i) => i.id))

    expect(prompts((await call(engine, 'gallery.list', { size: '200x320' })).images)).toEqual(['blue teapot, studio light'])
    const facets = await call(engine, 'gallery.facets', {})
    // Largest first (256x256 has more pixels than 320x200), then wider first.
    expect(facets.sizes).toEqual([
      { value: '256x256', count: 1 },
      { value: '320x200', count: 3 },
      { value: '200x320', count: 1 },
    ])
    expect(facets.providers).toEqual([{ value: 'demo', count: 5 }])
    expect(facets.keyLabels).toEqual([])
    expect(facets.batches).toHaveLength(1)
    const batch = await call(engine, 'gallery.list', { batchId: facets.batches[0]!.id })
    expect(batch.total).toBe(2)
    expect(new Set(prompts(batch.images))).toEqual(new Set(['poster for a summer sale']))

    // The demo provider takes no key, so no image has a key label to match.
    expect((await call(engine, 'gallery.list', { keyLabel: 'studio' })).total).toBe(0)

    const oldest = all.images.at(-1)!
    const range = await call(engine, 'gallery.list', { from: oldest.createdAt, to: oldest.createdAt + 1 })
    expect(range.images.map((i) => i.id)).toEqual([oldest.id])
    expect(prompts((await call(engine, 'gallery.list', { search: 'teapot' })).images)).toEqual(['blue teapot, studio light'])
    expect((await call(engine, 'gallery.ids', { search: 'sneaker' })).ids).toEqual(
      all.images.filter((i) => i.prompt.startsWith('red')).map((i) => i.id),
    )
  })

  it('tags and stars many images at once; the tag and favorite filters find them', async () => {
    const { engine } = await libraryWithImages()
    const all = (await call(engine, 'gallery.list', {})).images
    const sneakers = all.filter((i) => i.prompt.startsWith('red')).map((i) => i.id)

    const tagged = await call(engine, 'gallery.tag', { ids: sneakers, add: ['  Hero   shot ', 'shop'] })
    expect(tagged).toEqual({ added: ['Hero shot', 'shop'], removed: [] })
    // A second spelling files under the first. (Not a sneaker: jobs store their images side by
    // side, so which image is newest is up to timing.)
    const other = all.find((i) => !sneakers.includes(i.id))!
    expect((await call(engine, 'gallery.tag', { ids: [other.id], add: ['HERO SHOT'] })).added).toEqual(['Hero shot'])
    const heroes = await call(engine, 'gallery.list', { tag: 'hero shot' })
    expect(new Set(heroes.images.map((i) => i.id))).toEqual(new Set([...sneakers, other.id]))
    expect(heroes.images.find((i) => i.id === sneakers[0])!.tags).toEqual(['Hero shot', 'shop'])
    expect((await call(engine, 'gallery.facets', {})).tags).toEqual([
      { value: 'Hero shot', count: 3 },
      { value: 'shop', count: 2 },
    ])

    await call(engine, 'gallery.tag', { ids: sneakers, remove: ['SHOP'] })
    expect((await call(engine, 'gallery.list', { tag: 'shop' })).total).toBe(0)

    expect(await call(engine, 'gallery.favoriteMany', { ids: sneakers, favorite: true })).toEqual({ updated: 2 })
    const favorites = await call(engine, 'gallery.list', { favorite: true })
    expect(favorites.images.map((i) => i.id).sort()).toEqual([...sneakers].sort())
    expect(favorites.images.every((i) => i.favorite)).toBe(true)
  })

  it('says which generation each image belongs to and what its job cost', async () => {
    const { engine } = await libraryWithImages()
    const { images } = await call(engine, 'gallery.list', {})
    const groups = (prompt: string): string[] => [...new Set(images.filter((i) => i.prompt === prompt).map((i) => i.groupId))]
    // n = 2 in one job: the job is the group. Two sizes in one press: the batch is.
    expect(groups('red sneaker on white')).toEqual([images.find((i) => i.prompt === 'red sneaker on white')!.jobId])
    const poster = images.filter((i) => i.prompt === 'poster for a summer sale')
    expect(new Set(poster.map((i) => i.jobId)).size).toBe(2)
    expect(groups('poster for a summer sale')).toHaveLength(1)
    expect(groups('poster for a summer sale')[0]).toMatch(/^batch_/)
    expect(new Set(images.map((i) => i.groupId)).size).toBe(3)
    // The demo provider is free, and says so.
    for (const image of images) expect(image.jobCost).toEqual({ estimated: 0, charged: 0, currency: 'USD' })
    const one = await call(engine, 'gallery.get', { id: poster[0]!.id })
    expect(one).toEqual(poster[0])
  })

  it('shows an image with its job: parameters, costs, path and settings to reuse', async () => {
    const { engine, home } = await libraryWithImages()
    const teapot = (await call(engine, 'gallery.list', { search: 'teapot' })).images[0]!
    const detail = await call(engine, 'gallery.detail', { id: teapot.id })
    expect(detail.image).toEqual(teapot)
    expect(detail.path).toBe(join(home, ...teapot.file.split('/')))
    expect(existsSync(detail.path)).toBe(true)
    expect(detail.job).toMatchObject({
      batchId: null,
      size: { width: 200, height: 320 },
      estimatedCost: 0,
      chargedCost: 0,
      currency: 'USD',
      references: 0,
      masked: false,
    })
    expect(detail.settings).toEqual({
      provider: 'demo',
      prompt: 'blue teapot, studio light',
      size: '200x320',
      format: 'webp',
      quality: 'high',
      background: null,
      compression: null,
      n: 1,
      keyId: null,
      sizes: ['200x320'],
      inputFidelity: null,
      moderation: null,
      partialImages: null,
    })
    expect(await refused(engine, 'gallery.detail', { id: 'img_nope' })).toMatchObject({ code: 'not_found', field: 'id' })
  })

  it('deletes to the library trash folder: the file moves, the thumbnail and row go, an event says so', async () => {
    const { engine, home, events } = await libraryWithImages()
    const info = await call(engine, 'gallery.trashInfo', {})
    expect(info.kind).toBe('folder')
    expect(info.description).toContain(join(home, 'trash'))

    const [victim, keeper] = (await call(engine, 'gallery.list', {})).images
    await call(engine, 'gallery.tag', { ids: [victim!.id], add: ['gone'] })
    const result = await call(engine, 'gallery.delete', { ids: [victim!.id, 'img_missing'] })
    expect(result.deleted).toEqual([victim!.id])
    expect(result.failed).toEqual([{ id: 'img_missing', message: expect.stringContaining('No image with id img_missing') }])
    expect(result.trash).toEqual(info)

    expect(existsSync(join(home, victim!.file))).toBe(false)
    expect(existsSync(join(home, victim!.thumb))).toBe(false)
    expect(existsSync(join(home, 'trash', basename(victim!.file)))).toBe(true)
    expect(existsSync(join(home, keeper!.file))).toBe(true)
    expect((await call(engine, 'gallery.list', {})).total).toBe(4)
    expect((await call(engine, 'gallery.facets', {})).tags).toEqual([])
    expect(events).toContainEqual({ event: 'gallery.changed', data: { added: [], removed: [victim!.id] } })
    expect(await refused(engine, 'gallery.get', { id: victim!.id })).toMatchObject({ code: 'not_found' })
  })

  it('keeps an image exactly as it was when the trash refuses it', async () => {
    const info: TrashInfo = { kind: 'system', description: 'the system Trash' }
    const brokenTrash: Trash = { info, moveToTrash: () => Promise.reject(new Error('the Trash is on a full disk')) }
    const { engine, home, events } = await libraryWithImages(brokenTrash)
    const image = (await call(engine, 'gallery.list', {})).images[0]!
    await call(engine, 'gallery.tag', { ids: [image.id], add: ['keep me'] })
    await call(engine, 'gallery.favorite', { id: image.id, favorite: true })
    const before = await call(engine, 'gallery.get', { id: image.id })

    const result = await call(engine, 'gallery.delete', { ids: [image.id] })
    expect(result.deleted).toEqual([])
    expect(result.failed).toEqual([
      { id: image.id, message: expect.stringMatching(/Could not move .* to the system Trash: the Trash is on a full disk/) },
    ])
    expect(await call(engine, 'gallery.get', { id: image.id })).toEqual(before)
    expect((await call(engine, 'gallery.list', { tag: 'keep me' })).images.map((i) => i.id)).toEqual([image.id])
    expect(existsSync(join(home, image.file))).toBe(true)
    expect(existsSync(join(home, image.thumb))).toBe(true)
    expect(events.filter((m) => m.event === 'gallery.changed' && m.data.removed.length > 0)).toEqual([])
  })

  it.each([
    ['a size that is not WxH', 'gallery.list', { size: 'large' }, 'size'],
    ['a date range that ends before it starts', 'gallery.list', { from: 2000, to: 1000 }, 'to'],
    ['an empty tag', 'gallery.tag', { ids: ['img_1'], add: ['   '] }, 'add.0'],
    ['a tag call with no tag', 'gallery.tag', { ids: ['img_1'] }, 'add'],
    ['no images to delete', 'gallery.delete', { ids: [] }, 'ids'],
    ['an unknown filter', 'gallery.ids', { colour: 'red' }, 'colour'],
  ])('refuses %s, naming the field', async (_label, route, input, field) => {
    const engine = await openEngine(tempDir('proofsheet-gallery-'))
    expect(await refused(engine, route, input)).toMatchObject({ code: 'bad_input', field })
  })
})
