/**
 * A job records the template (and values) its prompt came from, "Use these settings" reads back
 * everything the job had (every size of its generation, options, template), and jobs.rerun queues
 * the same settings again as a new generation that says which one it repeats.
 */
import { describe, expect, it } from 'vitest'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const template = { id: 'tpl_1', name: 'Packshot', values: { product: 'red mug', light: 'soft daylight' } }

describe('template use, reusable settings and rerun', () => {
  it('records the template with the job and gives it back, with every size of the generation', async () => {
    const engine = await openEngine(tempDir('proofsheet-rerun-'))
    const queued = await call(engine, 'jobs.generate', {
      provider: 'demo',
      prompt: 'red mug, soft daylight',
      sizes: [{ width: 64, height: 64 }, { width: 96, height: 64 }],
      n: 2,
      quality: 'high',
      format: 'webp',
      compression: 70,
      template,
    })
    await engine.waitForJobs(queued.jobs.map((j) => j.id))
    const image = (await call(engine, 'gallery.list', { size: '96x64' })).images[0]!
    const { settings } = await call(engine, 'gallery.detail', { id: image.id })
    expect(settings).toMatchObject({
      provider: 'demo',
      prompt: 'red mug, soft daylight',
      size: '96x64',
      sizes: ['64x64', '96x64'],
      n: 2,
      quality: 'high',
      format: 'webp',
      compression: 70,
      template,
    })
    // A hand-written prompt has no template.
    const plain = await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'plain', sizes: [{ width: 64, height: 64 }] })
    await engine.waitForJobs([plain.jobs[0]!.id])
    const plainImage = (await call(engine, 'gallery.list', { search: 'plain' })).images[0]!
    const plainSettings = (await call(engine, 'gallery.detail', { id: plainImage.id })).settings
    expect(plainSettings.template).toBeUndefined()
    expect(plainSettings.sizes).toEqual(['64x64'])
  })

  it('refuses a template record that is not one, naming the field', async () => {
    const engine = await openEngine(tempDir('proofsheet-rerun-'))
    const base = { provider: 'demo', prompt: 'p', sizes: [{ width: 64, height: 64 }] }
    expect(await refused(engine, 'jobs.generate', { ...base, template: { id: '', name: 'x', values: {} } })).toMatchObject({ code: 'bad_input', field: 'template.id' })
    expect(await refused(engine, 'jobs.generate', { ...base, template: { id: 't', name: 'x'.repeat(81), values: {} } })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/template.name is longer than 80/) })
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, 'x']))
    expect(await refused(engine, 'jobs.generate', { ...base, template: { id: 't', name: 'x', values: many } })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/more than 100 values/) })
    expect(await refused(engine, 'jobs.generate', { ...base, template: { id: 't', name: 'x', values: {}, body: 'no' } })).toMatchObject({ code: 'bad_input' })
    expect(await refused(engine, 'jobs.generate', { ...base, template: { id: 't', name: 'x', values: { product: 'mug\u0000' } } })).toMatchObject({
      code: 'bad_input',
      field: 'template.values.product',
      message: expect.stringMatching(/template.values.product contains the control character U\+0000/),
    })
    expect((await call(engine, 'jobs.list', {})).jobs).toHaveLength(0)
  })

  it('reruns a job with its settings as a new generation that names the one it repeats', async () => {
    const engine = await openEngine(tempDir('proofsheet-rerun-'))
    const first = await call(engine, 'jobs.generate', {
      provider: 'demo',
      prompt: 'blue teapot',
      sizes: [{ width: 64, height: 64 }, { width: 96, height: 64 }],
      n: 2,
      quality: 'low',
      format: 'jpeg',
      template,
    })
    const source = first.jobs[1]!
    await engine.waitForJobs(first.jobs.map((j) => j.id))
    const rerun = await call(engine, 'jobs.rerun', { id: source.id })
    expect(rerun.jobs).toHaveLength(1)
    const again = rerun.jobs[0]!
    expect(again).toMatchObject({ provider: 'demo', prompt: 'blue teapot', size: '96x64', n: 2, format: 'jpeg', batchId: null })
    expect(again.rerunOf).toEqual({ jobId: source.id, groupId: first.batchId })
    await engine.waitForJobs([again.id])
    const images = (await call(engine, 'gallery.list', {})).images.filter((i) => i.jobId === again.id)
    expect(images).toHaveLength(2)
    expect(images.every((i) => i.rerunOf?.groupId === first.batchId && i.groupId === again.id)).toBe(true)
    const settings = (await call(engine, 'gallery.detail', { id: images[0]!.id })).settings
    expect(settings).toMatchObject({ quality: 'low', format: 'jpeg', n: 2, template, sizes: ['96x64'] })
    expect((await refused(engine, 'jobs.rerun', { id: 'job_nope' })).code).toBe('not_found')
  })
})
