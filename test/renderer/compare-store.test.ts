import { describe, expect, it } from 'vitest'
import type { ImageDetail } from '../../src/shared/api'
import { createCompareStore, shownIds } from '../../src/renderer/src/gallery/compare/compare-store'
import { createFakeApi, image } from './fake-api'

function setup() {
  const api = createFakeApi({
    'gallery.detail': ({ id }) => ({ image: image({ id }), path: `/lib/${id}.png` }) as unknown as ImageDetail,
  })
  const store = createCompareStore(api)
  const stop = store.getState().watch()
  return { api, store, stop }
}

describe('compare store', () => {
  it('shows four at a time, pages by four, and the last set is a full one', () => {
    const { store } = setup()
    store.getState().openCompare(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(shownIds(store.getState())).toEqual(['a', 'b', 'c', 'd'])
    store.getState().page(1)
    expect(shownIds(store.getState())).toEqual(['c', 'd', 'e', 'f'])
    store.getState().page(1)
    expect(shownIds(store.getState())).toEqual(['c', 'd', 'e', 'f'])
    store.getState().page(-1)
    expect(shownIds(store.getState())).toEqual(['a', 'b', 'c', 'd'])
  })

  it('needs two images to open, and reads only the records on screen', async () => {
    const { api, store } = setup()
    store.getState().openCompare(['a'])
    expect(store.getState().open).toBe(false)
    store.getState().openCompare(['a', 'b', 'c', 'd', 'e'])
    expect(api.callsTo('gallery.detail')).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }])
    await expect.poll(() => store.getState().details.a?.status).toBe('ready')
  })

  it('drops deleted images, keeps the focus in range, and closes when fewer than two are left', () => {
    const { api, store } = setup()
    store.getState().openCompare(['a', 'b', 'c'])
    store.getState().focus(2)
    api.emit('gallery.changed', { added: [], removed: ['c'] })
    expect(store.getState()).toMatchObject({ open: true, ids: ['a', 'b'], focused: 1 })
    api.emit('gallery.changed', { added: [], removed: ['x'] })
    expect(store.getState().ids).toEqual(['a', 'b'])
    api.emit('gallery.changed', { added: [], removed: ['a'] })
    expect(store.getState().open).toBe(false)
  })
})
