/**
 * A size has one text spelling ("1024x1024", "16:9@2K", "auto"), written by sizeLabel and read by
 * parseSizeText, and the contract carries sizes as values: providers list them as SizeSpec, not
 * text the interface would parse again. Job rows stored as "16:9 2K" before keep reading.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import { OUTPUT_FORMATS, parseSizeText, ProviderSummary, sizeLabel, type JobView, type SizeSpec } from '../../../src/shared/api'
import { Store } from '../../../src/main/core/store/store'
import { newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

async function open(home: string): Promise<Engine> {
  return createEngine({
    home,
    demoDelayMs: 1,
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'test' } }),
  })
}

async function call<T>(engine: Engine, name: string, input: unknown): Promise<T> {
  const r = await engine.router.handle(name, input)
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}

describe('one spelling of a size', () => {
  it('writes and reads back every kind of size the same way', () => {
    const sizes: SizeSpec[] = [{ width: 1536, height: 1024 }, { aspect: '16:9', resolution: '2K' }, { auto: true }]
    expect(sizes.map(sizeLabel)).toEqual(['1536x1024', '16:9@2K', 'auto'])
    for (const size of sizes) expect(parseSizeText(sizeLabel(size))).toEqual(size)
  })

  it('lists provider sizes and formats as values, and prices aspect sizes under the same spelling', async () => {
    const engine = await open(tempDir('proofsheet-size-spelling-'))
    try {
      const { providers } = await call<{ providers: ProviderSummary[] }>(engine, 'providers.list', {})
      for (const p of providers) expect(() => ProviderSummary.parse(p)).not.toThrow()
      const toapis = providers.find((p) => p.id === 'toapis')!
      expect(toapis.sizes).toContainEqual({ aspect: '16:9', resolution: '2K' })
      const openai = providers.find((p) => p.id === 'openai')!
      expect(openai.sizes).toContainEqual({ width: 1024, height: 1024 })
      expect(openai.sizes).toContainEqual({ auto: true })
      expect(providers.find((p) => p.id === 'demo')!.formats).toEqual([...OUTPUT_FORMATS])

      const estimate = await call<{ lines: { size: string }[] }>(engine, 'jobs.estimate', { provider: 'toapis', sizes: [{ aspect: '16:9', resolution: '2K' }] })
      expect(estimate.lines.map((l) => l.size)).toEqual(['16:9@2K'])
    } finally {
      await engine.close()
    }
  })

  it('shows a job stored with the old "1:1 1K" label in the one spelling', async () => {
    const home = tempDir('proofsheet-size-rows-')
    await (await open(home)).close()
    const db = new BetterSqlite3(join(home, 'library.sqlite'))
    db.prepare(`INSERT INTO jobs (id, provider, params, size, size_label, prompt, status, attempts, max_attempts,
        estimated_cost, currency, created_at, updated_at)
      VALUES ('job_old', 'toapis', ?, '{"aspect":"1:1","resolution":"1K"}', '1:1 1K', 'kettle', 'canceled', 0, 4, 0.015, 'USD', 1, 1)`)
      .run(JSON.stringify({ provider: 'toapis', prompt: 'kettle', quality: 'auto', format: 'png', n: 1, refs: [] }))
    db.close()

    const engine = await open(home)
    try {
      const job = await call<JobView>(engine, 'jobs.get', { id: 'job_old' })
      expect(job.size).toBe('1:1@1K')
    } finally {
      await engine.close()
    }
  })

  it('stores a new job\'s label in the one spelling', () => {
    const file = join(tempDir('proofsheet-size-label-'), 'library.sqlite')
    const store = Store.open(file)
    store.jobs.insertMany([newJob({ id: 'job_new', size: { aspect: '16:9', resolution: '2K' } })])
    store.close()
    const db = new BetterSqlite3(file, { readonly: true })
    expect(db.prepare("SELECT size_label FROM jobs WHERE id = 'job_new'").pluck().get()).toBe('16:9@2K')
    db.close()
  })
})
