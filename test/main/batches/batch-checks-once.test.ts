/**
 * A batch run queues what its plan checked: each row's reference file is admitted (and read) by
 * the plan, and the run does not check, read or price the row a second time. Real parts in a temp
 * library; the reference access is the real one, counted through the dependency both services get.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BatchInput } from '../../../src/shared/api'
import { BatchService } from '../../../src/main/core/batches/batch-service'
import { GenerationService } from '../../../src/main/core/generation/generation-service'
import { createReferenceAccess, type ReferenceAccess } from '../../../src/main/core/media/reference-access'
import { ProviderRegistry } from '../../../src/main/core/providers/registry'
import { Calendar } from '../../../src/main/core/spend/calendar'
import { Store } from '../../../src/main/core/store/store'
import { FakeClock } from '../../helpers/fake-clock'
import { imageBytes, ScriptedDialect, testProfile } from '../../helpers/scripted-dialect'
import { tempDir } from '../../helpers/temp-dir'

async function setUp() {
  const home = tempDir('proofsheet-batch-once-')
  const store = Store.open(join(home, 'library.sqlite'))
  const providers = new ProviderRegistry()
  const profile = testProfile({ refs: { accepts: ['file', 'url'], maxCount: 4, maxFileBytes: 10_000_000, mask: false, maxMaskBytes: 0 } })
  providers.register(profile, new ScriptedDialect({ resumable: false }).adapter)
  const admitted: string[] = []
  const real = createReferenceAccess(home, 'any')
  const references: ReferenceAccess = {
    mode: real.mode,
    admit: (field, ref) => {
      admitted.push(ref.path)
      return real.admit(field, ref)
    },
  }
  const clock = new FakeClock()
  const generation = new GenerationService({ store, providers, clock, maxAttempts: 3, keys: { get: () => undefined, forProvider: () => [] }, references })
  const batches = new BatchService({ store, providers, generation, queue: { poke: () => {} }, clock, calendar: new Calendar('UTC'), emit: () => {}, references })
  const ref = join(home, 'kettle.png')
  writeFileSync(ref, await imageBytes(64, 64))
  return { store, generation, batches, admitted, ref, close: () => store.close() }
}

describe('batches.run checks each row once', () => {
  it('admits each reference file no more often than the preview does, and keeps the checked path and price per job', async () => {
    const t = await setUp()
    try {
      const input = BatchInput.parse({
        template: { name: 'Packshot', body: '{{product}} on oak' },
        table: `sku,product,reference\nK1,kettle,${t.ref}\nK2,lamp,${t.ref}\n`,
        settings: { provider: 'scripted', sizes: [{ width: 64, height: 64 }, { width: 96, height: 64 }], key: { keyEnv: 'SCRIPTED_KEY' } },
      })
      t.batches.preview(input)
      const previewReads = t.admitted.length
      expect(previewReads).toBeGreaterThan(0)
      t.admitted.length = 0
      const run = t.batches.run(input)
      expect(t.admitted.length).toBe(previewReads)
      expect(run.jobIds).toHaveLength(4)
      for (const id of run.jobIds) {
        const job = t.store.jobs.get(id)!
        expect(job.params.refs).toEqual([{ kind: 'file', path: t.ref }])
        expect(job.estimatedCost).toBe(0.04)
        expect(job.batchId).toBe(run.batchId)
      }
    } finally {
      t.close()
    }
  })

  it('a request from outside is still checked: a missing reference file is refused before anything is queued', async () => {
    const t = await setUp()
    try {
      const missing = join(t.ref, '..', 'missing.png')
      expect(() =>
        t.generation.generate({ provider: 'scripted', prompt: 'kettle', sizes: [{ width: 64, height: 64 }], n: 1, format: 'png', refs: [{ kind: 'file', path: missing }], key: { keyEnv: 'SCRIPTED_KEY' } } as never),
      ).toThrow(/missing\.png/)
      expect(t.admitted).toEqual([missing])
      expect(t.store.jobs.recent(10)).toEqual([])
    } finally {
      t.close()
    }
  })
})
