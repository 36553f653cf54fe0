/**
 * batches.* through the engine's router, as every door calls them: a real library in a temp
 * folder; the provider test server on 127.0.0.1 where jobs run. Preview never queues or sends.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { roundMoney, type BatchInputDraft } from '../../../src/shared/api'
import type { Engine } from '../../../src/main/core/engine'
import { call, openEngine as openLibrary, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'
import type { ProviderServer } from '../../provider-server'
import { useProviderServer } from '../../helpers/provider-server-per-file'

const KEY_VAR = 'PROOFSHEET_TEST_KEY'
const TOKENHUB_KEY_VAR = 'PROOFSHEET_TOKENHUB_KEY'
let server: ProviderServer
useProviderServer((s) => (server = s))

/** `fromCli`: opened as the command line opens it, whose reference cells may name local files. */
function openEngine(options: { runQueue?: boolean; fromCli?: boolean } = {}): Promise<Engine> {
  return openLibrary(tempDir('proofsheet-batches-'), {
    runQueue: options.runQueue ?? false,
    ...(options.fromCli ? { localReferencePaths: 'any' as const } : {}),
    env: { [KEY_VAR]: server.validKey('openai'), [TOKENHUB_KEY_VAR]: server.validKey('tokenhub') },
    demoDelayMs: 0,
  })
}

const packshot = { name: 'Packshot', body: '{{product}} on {{surface}}, {{mood}}', defaults: { mood: 'soft daylight' } }

/** An openai batch against the test server, 1024x1024 by default ($0.22 an image). */
function openaiBatch(table: string, over: Partial<BatchInputDraft> = {}): BatchInputDraft {
  return {
    template: packshot,
    table,
    sourceName: 'rows.csv',
    settings: { provider: 'openai', sizes: [{ width: 1024, height: 1024 }], baseUrl: server.baseUrl('openai'), key: { keyEnv: KEY_VAR } },
    ...over,
  }
}

/**
 * Runs that count money use TokenHub, which charges its list price ($0.125 for 1024x1024):
 * OpenAI's charge comes from the reply's token usage, so it is not a round figure to cap at.
 */
function tokenhubBatch(table: string, over: Partial<BatchInputDraft> = {}): BatchInputDraft {
  return openaiBatch(table, {
    settings: { provider: 'tokenhub', sizes: [{ width: 1024, height: 1024 }], baseUrl: server.baseUrl('tokenhub'), key: { keyEnv: TOKENHUB_KEY_VAR } },
    ...over,
  })
}

describe('batches.preview', () => {
  it('reports which headers fill which variables, the headers nothing uses, and variables without a column', async () => {
    const engine = await openEngine()
    const preview = await call(engine, 'batches.preview', openaiBatch(' SKU ,Product,Colour,Sizes\nK1,red kettle,red,1024x1024\n', { template: { ...packshot, body: '{{product}} on {{surface}}, {{mood}}, {{SKU}}' } }))
    expect(preview.columns).toEqual([
      { header: 'SKU', role: 'sku', variables: ['SKU'] },
      { header: 'Product', role: 'variable', variables: ['product'] },
      { header: 'Colour', role: 'unmatched', variables: [] },
      { header: 'Sizes', role: 'sizes', variables: [] },
    ])
    expect(preview.unmatchedHeaders).toEqual(['Colour'])
    expect(preview.unfilledVariables).toEqual([
      { name: 'surface', default: null },
      { name: 'mood', default: 'soft daylight' },
    ])
    // A variable with a default is fine; one without makes every row invalid, naming it.
    expect(preview.rows[0]!.problems).toEqual([{ field: 'surface', message: 'No column fills {{surface}} and the template has no default for it; add a "surface" column.' }])
    expect(preview.rows[0]!.prompt).toBe('red kettle on {{surface}}, soft daylight, K1')
    expect(preview).toMatchObject({ validRows: 0, invalidRows: 1, jobs: 0, total: 0 })
  })

  it('"Product Name" fills {{product_name}}', async () => {
    const engine = await openEngine()
    const preview = await call(engine, 'batches.preview', openaiBatch('Product Name,surface\nkettle,oak\n', { template: { name: 'T', body: '{{product_name}} on {{surface}}' } }))
    expect(preview.rows[0]).toMatchObject({ prompt: 'kettle on oak', problems: [] })
  })

  it('marks each invalid row with its reason and leaves the others runnable', async () => {
    // A folder for relative reference paths is what `proofsheet batch` passes.
    const engine = await openEngine({ fromCli: true })
    const folder = tempDir('proofsheet-batch-refs-')
    writeFileSync(join(folder, 'kettle.png'), 'not really an image')
    const table = [
      'sku,product,surface,sizes,count,quality,reference',
      'K1,kettle,oak,,,,',
      'K2,toaster,marble,1000x1000,,,',
      'K1,iron,slate,,,,',
      'K4,,slate,,,,',
      'K5,lamp,oak,,eleven,,',
      'K6,lamp,oak,,,ultra,',
      'K7,lamp,oak,,,,missing.png',
      'K8,lamp,oak',
      'K9,lamp,oak,1024x1024;1536x1024,2,high,',
      'K10,fan,oak,square,,,',
    ].join('\n')
    const preview = await call(engine, 'batches.preview', openaiBatch(table, { baseDir: folder }))
    const byRow = Object.fromEntries(preview.rows.map((r) => [r.row, r.problems.map((p) => `${p.field}: ${p.message}`)]))
    expect(byRow[2]).toEqual([])
    expect(byRow[3]).toEqual([expect.stringMatching(/^sizes: .*1000x1000/)])
    expect(byRow[4]).toEqual(['sku: The SKU "K1" is also on row 2; each row needs its own SKU.'])
    expect(byRow[5]).toEqual(['product: "product" is empty on this row and the template has no default for {{product}}.'])
    expect(byRow[6]).toEqual(['count: "eleven" is not a whole number from 1 to 10.'])
    expect(byRow[7]).toEqual(['quality: "ultra" is not a quality; use auto, low, medium and high.'])
    expect(byRow[8]).toEqual([`reference: The reference image ${join(folder, 'missing.png')} does not exist.`])
    expect(byRow[9]).toEqual([expect.stringMatching(/^row: Row 9 has 3 field\(s\) but the header has 7/)])
    expect(byRow[10]).toEqual([])
    expect(byRow[11]).toEqual(['sizes: "square" is not a size; write sizes like 1024x1024 or 16:9@2K, separated by ";".'])
    const k9 = preview.rows.find((r) => r.sku === 'K9')!
    expect(k9).toMatchObject({ sizes: ['1024x1024', '1536x1024'], count: 2, quality: 'high', cost: 0.88 })
    expect(preview.rows.filter((r) => r.problems.length > 0).every((r) => r.cost === null)).toBe(true)
    expect(preview).toMatchObject({ validRows: 2, invalidRows: 8, jobs: 3, total: 1.1 })
    // Nothing was queued, nothing was sent.
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    expect(server.requests).toHaveLength(0)
  })

  it('a reference the provider cannot take is the row\'s problem, named as the reference', async () => {
    const engine = await openEngine()
    const preview = await call(engine, 'batches.preview', {
      ...openaiBatch('product,surface,reference\nkettle,oak,https://example.com/kettle.png\n', {
        settings: { provider: 'gettoken', sizes: [{ width: 1024, height: 1024 }], key: { keyEnv: KEY_VAR } },
      }),
    })
    expect(preview.rows[0]!.problems).toEqual([{ field: 'reference', message: expect.stringMatching(/does not take reference images/) }])
  })

  it('the total is exactly the sum of what jobs.estimate says for each row', async () => {
    const engine = await openEngine()
    const sizes = ['1024x1024', '1536x1024;2048x2048', '1024x1536', '2048x2048;3840x2160', '']
    const rows = Array.from({ length: 37 }, (_, i) => `S${i},thing ${i},oak,${sizes[i % sizes.length]},${(i % 3) + 1}`)
    const preview = await call(engine, 'batches.preview', openaiBatch(['sku,product,surface,sizes,count', ...rows].join('\n'), { settings: { provider: 'openai', sizes: [{ width: 1024, height: 1024 }, { width: 1536, height: 1024 }] } }))
    expect(preview.validRows).toBe(37)
    const perRow = await Promise.all(
      preview.rows.map((r) =>
        call(engine, 'jobs.estimate', { provider: 'openai', sizes: r.sizes.map((s) => ({ width: Number(s.split('x')[0]), height: Number(s.split('x')[1]) })), n: r.count }),
      ),
    )
    perRow.forEach((e, i) => expect(preview.rows[i]!.cost).toBe(e.total))
    const sum = perRow.reduce((micro, e) => micro + Math.round(e.total! * 1e6), 0) / 1e6
    expect(preview.total).toBe(roundMoney(sum))
    expect(preview.total).toBeGreaterThan(0)
  })

  it('an unclosed quote or a duplicate column stops the whole table', async () => {
    const engine = await openEngine()
    const preview = await call(engine, 'batches.preview', openaiBatch('product,Product,surface\nkettle,kettle,"oak\n'))
    expect(preview.problems).toEqual([
      expect.stringMatching(/^Row 2: a quoted field is never closed/),
      'The columns "product" and "Product" have the same name; rename or remove one.',
    ])
    expect(preview.validRows).toBe(0)
    const error = await refused(engine, 'batches.run', openaiBatch('product,Product,surface\nkettle,kettle,"oak\n'))
    expect(error).toMatchObject({ code: 'bad_input', field: 'table' })
  })
})

describe('batches.run', () => {
  it('queues the valid rows only, each job with its SKU, and the batch cap as a batch budget', async () => {
    const engine = await openEngine()
    const run = await call(engine, 'batches.run', openaiBatch('sku,product,surface\nK1,kettle,oak\nK2,,oak\nK3,toaster,marble\n', { budget: 0.3, settings: { provider: 'openai', sizes: [{ width: 1024, height: 1024 }, { width: 1536, height: 1024 }], baseUrl: server.baseUrl('openai'), key: { keyEnv: KEY_VAR } } }))
    expect(run.jobIds).toHaveLength(4)
    const jobs = (await call(engine, 'jobs.list', {})).jobs
    expect(jobs.map((j) => [j.sku, j.size, j.prompt, j.batchId]).sort()).toEqual([
      ['K1', '1024x1024', 'kettle on oak, soft daylight', run.batchId],
      ['K1', '1536x1024', 'kettle on oak, soft daylight', run.batchId],
      ['K3', '1024x1024', 'toaster on marble, soft daylight', run.batchId],
      ['K3', '1536x1024', 'toaster on marble, soft daylight', run.batchId],
    ])
    const { budgets } = await call(engine, 'budgets.list', {})
    expect(budgets).toEqual([expect.objectContaining({ scope: { kind: 'batch', batchId: run.batchId, period: 'total' }, amount: 0.3, currency: 'USD' })])
    const status = await call(engine, 'batches.status', { batchId: run.batchId })
    expect(status).toMatchObject({ name: 'Packshot × rows.csv', templateName: 'Packshot', sourceName: 'rows.csv', jobs: 4, remaining: 4, done: 0, estimated: 0.88 })
  })

  it('refuses a table where no row can run, naming the first row and field', async () => {
    const engine = await openEngine()
    const error = await refused(engine, 'batches.run', openaiBatch('product,surface\n,oak\n'))
    expect(error.message).toBe('No row of the table can run. Row 2, product: "product" is empty on this row and the template has no default for {{product}}.')
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
  })

  it('an unknown batch is not found', async () => {
    const engine = await openEngine()
    expect(await refused(engine, 'batches.status', { batchId: 'batch_nope' })).toMatchObject({ code: 'not_found', field: 'batchId' })
  })
})

describe('running a batch against the provider test server', () => {
  it('stops at the batch cap: what would pass it is held, nothing is overspent', async () => {
    const engine = await openEngine({ runQueue: true })
    const rows = Array.from({ length: 6 }, (_, i) => `P${i},thing ${i},oak`)
    // $0.125 an image: two fit under $0.30, the third would pass it.
    const run = await call(engine, 'batches.run', tokenhubBatch(['sku,product,surface', ...rows].join('\n'), { budget: 0.3 }))
    const jobs = await engine.waitForJobs(run.jobIds)
    expect(jobs.filter((j) => j.status === 'succeeded')).toHaveLength(2)
    expect(jobs.filter((j) => j.heldReason)).toHaveLength(4)
    const status = await call(engine, 'batches.status', { batchId: run.batchId })
    expect(status).toMatchObject({ done: 2, held: 4, remaining: 4, failed: 0, spent: 0.25 })
    expect(status.heldReason).toMatch(/^Batch budget of \$0\.30 reached/)
    expect(status.budget).toMatchObject({ amount: 0.3, spent: 0.25, held: 4 })
    expect(server.charges.tokenhub).toHaveLength(2)
    expect(server.billed('tokenhub').images).toBe(2)

    // The gallery shows each image with its row's SKU; images made outside a batch have none.
    const done = jobs.filter((j) => j.status === 'succeeded')
    const page = await call(engine, 'gallery.list', {})
    expect(page.images.map((i) => i.sku).sort()).toEqual(done.map((j) => j.sku).sort())
    expect(page.images.every((i) => /^P\d$/.test(i.sku ?? ''))).toBe(true)
  })

  it('retries the failed rows only', async () => {
    const engine = await openEngine({ runQueue: true })
    server.inject('tokenhub', 'content-policy')
    const rows = Array.from({ length: 4 }, (_, i) => `R${i},thing ${i},oak`)
    const run = await call(engine, 'batches.run', tokenhubBatch(['sku,product,surface', ...rows].join('\n')))
    await engine.waitForJobs(run.jobIds)
    const before = await call(engine, 'batches.status', { batchId: run.batchId })
    expect(before).toMatchObject({ done: 3, failed: 1, remaining: 0 })
    expect(before.failures).toEqual([expect.objectContaining({ size: '1024x1024', row: expect.any(Number), sku: expect.stringMatching(/^R\d$/) })])
    const failedId = before.failures[0]!.jobId
    const sentBefore = server.requestsTo('tokenhub', 'generations').length
    expect(await call(engine, 'batches.retryFailed', { batchId: run.batchId })).toEqual({ retried: 1 })
    await engine.waitForJobs(run.jobIds)
    const after = await call(engine, 'batches.status', { batchId: run.batchId })
    expect(after).toMatchObject({ done: 4, failed: 0, spent: 0.5 })
    // One more call, for the failed row; the rows already done were not made again.
    const sent = server.requestsTo('tokenhub', 'generations')
    expect(sent).toHaveLength(sentBefore + 1)
    expect((await call(engine, 'jobs.get', { id: failedId })).status).toBe('succeeded')
    expect(await call(engine, 'batches.retryFailed', { batchId: run.batchId })).toEqual({ retried: 0 })
  })
})
