import { describe, expect, it } from 'vitest'
import { createLayoutStore, nearestTileSize } from '../../src/renderer/src/app/layout-store'
import { createFakeApi } from './fake-api'

describe('layout store', () => {
  it('takes the remembered layout, snapping a tile width to the slider steps', () => {
    const layout = createLayoutStore(createFakeApi({}))
    layout.getState().hydrate({ theme: 'dark', tileSize: 330, moreOptionsOpen: true })
    expect(layout.getState()).toMatchObject({ theme: 'dark', tileSize: nearestTileSize(330), moreOptionsOpen: true, hydrated: true })
    expect(nearestTileSize(330)).toBe(320)
  })

  it('keeps what the designer chose before the remembered layout arrived, and saves each choice', async () => {
    const api = createFakeApi({ 'workspace.save': () => ({ ok: true as const }) })
    const layout = createLayoutStore(api)
    layout.getState().setMoreOptionsOpen(true)
    layout.getState().hydrate({ moreOptionsOpen: false, theme: 'dark' })
    expect(layout.getState()).toMatchObject({ moreOptionsOpen: true, theme: 'dark' })
    expect(api.callsTo('workspace.save')).toEqual([{ layout: { moreOptionsOpen: true } }])
    // The drawer is for the moment only: opening it saves nothing.
    layout.getState().setQueueOpen(true)
    expect(api.callsTo('workspace.save')).toHaveLength(1)
  })
})
