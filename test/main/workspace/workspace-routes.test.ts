/**
 * The workspace's memory through the engine's router on a real library: a saved draft and layout
 * come back after the engine is closed and opened again, layout fields merge, and a value that no
 * longer parses reads as absent instead of breaking the workspace.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WorkspaceDraft } from '../../../src/shared/api'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const draft: WorkspaceDraft = {
  prompt: 'white-background packshot of a ceramic mug',
  templateId: null,
  templateValues: { product: 'mug' },
  providerId: 'demo',
  keyId: null,
  sizes: ['1024x1024', '1536x1024'],
  format: 'webp',
  quality: 'high',
  background: 'opaque',
  compression: 80,
  n: 2,
}

describe('workspace memory', () => {
  it('keeps the draft and the layout across a restart, merging layout fields', async () => {
    const home = tempDir('proofsheet-workspace-')
    const first = await openEngine(home)
    expect(await call(first, 'workspace.get', {})).toEqual({ draft: null, layout: {} })
    await call(first, 'workspace.save', { draft, layout: { theme: 'dark', tileSize: 320 } })
    await call(first, 'workspace.save', { layout: { galleryGrouped: true } })
    await first.close()

    const second = await openEngine(home)
    expect(await call(second, 'workspace.get', {})).toEqual({
      draft,
      layout: { theme: 'dark', tileSize: 320, galleryGrouped: true },
    })

  })

  it('refuses a bad draft by its field and keeps what was stored', async () => {
    const home = tempDir('proofsheet-workspace-')
    const engine = await openEngine(home)
    await call(engine, 'workspace.save', { draft })
    const error = await refused(engine, 'workspace.save', { draft: { ...draft, n: 40 } })
    expect(error.field).toBe('draft.n')
    expect((await refused(engine, 'workspace.save', {})).message).toMatch(/send a draft or layout/)
    expect((await call(engine, 'workspace.get', {})).draft).toEqual(draft)

  })

  it('reads a stored value that no longer parses as absent', async () => {
    const home = tempDir('proofsheet-workspace-')
    const engine = await openEngine(home)
    await call(engine, 'workspace.save', { draft, layout: { theme: 'light', tileSize: 240 } })

    const db = new Database(join(home, 'library.sqlite'))
    db.prepare("UPDATE meta SET value = ? WHERE key = 'workspace.draft'").run('{"prompt": 5}')
    db.prepare("UPDATE meta SET value = ? WHERE key = 'workspace.layout'").run('{"theme":"neon","tileSize":240}')
    db.close()
    const again = await openEngine(home)
    expect(await call(again, 'workspace.get', {})).toEqual({ draft: null, layout: { tileSize: 240 } })

  })
})
