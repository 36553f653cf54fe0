/**
 * prompts.history through the engine's router on a real library: distinct prompts newest first,
 * at most 200, searchable, starred ones counted, SKU batch rows left out; and at 100,000 images the
 * reads are answered from indexes (plans checked, no timing).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROMPT_HISTORY_SQL } from '../../../src/main/core/store/prompt-history-repo'
import { Store } from '../../../src/main/core/store/store'
import { call, openEngine, refused } from '../../helpers/engine'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

describe('prompts.history', () => {
  it('lists each prompt once, newest use first, with its starred images counted', async () => {
    const engine = await openEngine(tempDir('proofsheet-history-'))
    const ids: string[] = []
    for (const prompt of ['red mug', 'blue teapot', 'red mug', 'green vase, 50% off']) {
      const queued = await call(engine, 'jobs.generate', { provider: 'demo', prompt, sizes: [{ width: 64, height: 64 }] })
      ids.push(queued.jobs[0]!.id)
    }
    await engine.waitForJobs(ids)
    const { prompts } = await call(engine, 'prompts.history', {})
    expect(prompts.map((p) => p.prompt)).toEqual(['green vase, 50% off', 'red mug', 'blue teapot'])
    expect(prompts.every((p) => p.starred === 0)).toBe(true)

    const teapot = (await call(engine, 'gallery.list', { search: 'teapot' })).images[0]!
    await call(engine, 'gallery.favorite', { id: teapot.id, favorite: true })
    const after = await call(engine, 'prompts.history', {})
    expect(after.prompts.map((p) => [p.prompt, p.starred])).toEqual([
      ['green vase, 50% off', 0],
      ['red mug', 0],
      ['blue teapot', 1],
    ])

    // Search: contained text, case ignored, LIKE's own characters taken literally.
    expect((await call(engine, 'prompts.history', { search: 'RED' })).prompts.map((p) => p.prompt)).toEqual(['red mug'])
    expect((await call(engine, 'prompts.history', { search: '50%' })).prompts.map((p) => p.prompt)).toEqual(['green vase, 50% off'])
    expect((await call(engine, 'prompts.history', { search: '_' })).prompts).toEqual([])
    expect((await call(engine, 'prompts.history', { search: '   ' })).prompts).toHaveLength(3)
    expect((await call(engine, 'prompts.history', { limit: 1 })).prompts.map((p) => p.prompt)).toEqual(['green vase, 50% off'])

    expect(await refused(engine, 'prompts.history', { limit: 201 })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/limit is at most 200/) })
    expect(await refused(engine, 'prompts.history', { search: 'x'.repeat(501) })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/search is longer than 500/) })
  })

  it('keeps the newest 200 of many, and leaves SKU batch rows out', () => {
    const store = Store.open(join(tempDir('proofsheet-history-'), 'library.sqlite'))
    try {
      const jobs = Array.from({ length: 260 }, (_, i) => newJob({ prompt: `prompt ${i}`, createdAt: 1000 + i }))
      jobs.push(newJob({ prompt: 'prompt 3', createdAt: 5000 })) // used again: moves to the top, once
      jobs.push(newJob({ prompt: 'row of a SKU table', createdAt: 6000, batchRow: 2 }))
      // Same millisecond: the one used last comes first; an older job never moves a prompt back.
      jobs.push(newJob({ prompt: 'prompt 100', createdAt: 5000 }), newJob({ prompt: 'prompt 3', createdAt: 5000 }), newJob({ prompt: 'prompt 100', createdAt: 10 }))
      store.jobs.insertMany(jobs)
      const history = store.prompts.recent(200)
      expect(history).toHaveLength(200)
      expect(history.slice(0, 2)).toMatchObject([
        { prompt: 'prompt 3', lastUsedAt: 5000 },
        { prompt: 'prompt 100', lastUsedAt: 5000 },
      ])
      expect(history.slice(2, 4).map((h) => h.prompt)).toEqual(['prompt 259', 'prompt 258'])
      expect(new Set(history.map((h) => h.prompt)).size).toBe(200)
      expect(history.some((h) => h.prompt === 'row of a SKU table')).toBe(false)
    } finally {
      store.close()
    }
  })

  it('answers from indexes in a library of 100,000 images', () => {
    const store = Store.open(join(tempDir('proofsheet-history-'), 'library.sqlite'))
    try {
      const jobs = Array.from({ length: 100_000 }, (_, i) => newJob({ id: `job_${i}`, prompt: `product shot ${i % 5000}`, createdAt: i }))
      store.jobs.insertMany(jobs)
      store.transaction(() => {
        for (let i = 0; i < 100_000; i++) store.images.insert(newImage(`job_${i}`, { id: `img_${i}`, prompt: `product shot ${i % 5000}`, favorite: i % 97 === 0, createdAt: i }))
      })
      store.db.exec('ANALYZE')
      const plan = (sql: string, args: Record<string, unknown>): string =>
        (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(args) as { detail: string }[]).map((r) => r.detail).join('\n')
      for (const [sql, args] of [
        [PROMPT_HISTORY_SQL.recent, { limit: 200 }],
        [PROMPT_HISTORY_SQL.matching, { limit: 200, pattern: '%shot 1%' }],
      ] as const) {
        const steps = plan(sql, args)
        expect(steps).toMatch(/SCAN h USING INDEX prompt_history_by_last_used/)
        expect(steps).toMatch(/SEARCH images USING (COVERING )?INDEX images_starred_by_prompt \(prompt=\?\)/)
        expect(steps).not.toMatch(/TEMP B-TREE|SCAN jobs|SCAN images/)
      }
      const history = store.prompts.recent(200)
      expect(history).toHaveLength(200)
      expect(history[0]).toMatchObject({ prompt: 'product shot 4999', lastUsedAt: 99_999 })
      // Every 97th image is starred: each prompt's count is the images of it that are.
      const starredOf = (n: number): number => Array.from({ length: 20 }, (_, k) => n + 5000 * k).filter((i) => i % 97 === 0).length
      expect(history.map((h) => h.starred)).toEqual(history.map((h) => starredOf(Number(h.prompt.split(' ').at(-1)))))
      expect(history.filter((h) => h.starred > 0).length).toBeGreaterThan(20)
    } finally {
      store.close()
    }
  })
})
