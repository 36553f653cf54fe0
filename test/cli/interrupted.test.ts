/**
 * An interrupted job on the command line: `run` (which a script may restart after a crash) never
 * sends a possibly charged call again on its own, says so, and `proofsheet retry ID` is how the
 * user sends it again.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/core/store/store'
import { cliInProcess } from '../helpers/cli-in-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { tempDir } from '../helpers/temp-dir'
import type { ProviderServer } from '../provider-server'
import { writeTemplateFile } from '../helpers/template-file'

let server: ProviderServer
useProviderServer((s) => (server = s))

const env = () => ({ TH_KEY: server.validKey('tokenhub') })
const cli = (home: string, args: string[]) => cliInProcess([...args, '--home', home], env())

/** A library whose last runner died while this TokenHub job was at the provider. */
async function crashedDuringCall(): Promise<{ home: string; id: string }> {
  const home = tempDir('proofsheet-cli-interrupted-')
  const queued = await cli(home, ['generate', '--provider', 'tokenhub', '--base-url', server.baseUrl('tokenhub'), '--key-env', 'TH_KEY', '--prompt', 'a kettle left at the provider', '--size', '1024x1024', '--json'])
  expect(queued.code, queued.stderr).toBe(0)
  const id = queued.json().jobs[0].id as string
  const store = Store.open(join(home, 'library.sqlite'))
  expect(store.jobs.claim(id, Date.now())).toBe(true)
  store.close()
  return { home, id }
}

describe('run and retry after a crash', () => {
  it('run leaves the interrupted job alone and says what to do; retry then sends it once', async () => {
    const { home, id } = await crashedDuringCall()

    const first = await cli(home, ['run', '--json'])
    expect(first.code).toBe(1)
    const [job] = first.json().jobs
    expect(job).toMatchObject({ id, status: 'interrupted', error: { kind: 'interrupted' } })
    expect(job.error.message).toContain('a retry asks for the image again')
    // A second run, as a restarted script would do: still nothing is sent.
    const again = await cli(home, ['run'])
    expect(again.code).toBe(1)
    expect(again.stdout).toContain(`interrupted: Proofsheet stopped while a request for this job was at TokenHub`)
    // The engine's message says what happened; the CLI says how to act on it, in its own command.
    expect(again.stdout).toContain(`fix: Check the provider's usage first; "proofsheet retry ${id}" sends it again as a new, charged request.`)
    expect(again.stdout).toContain('1 interrupted job(s) were left for you: check the provider\'s usage, then "proofsheet retry ID".')
    expect(server.requestsTo('tokenhub')).toHaveLength(0)

    const retried = await cli(home, ['retry', id, '--json'])
    expect(retried.code).toBe(0)
    expect(retried.json()).toMatchObject({ id, status: 'queued', error: null })
    const done = await cli(home, ['run', '--json'])
    expect(done.code).toBe(0)
    expect(done.json().jobs[0]).toMatchObject({ id, status: 'succeeded', chargedCost: 0.125 })
    expect(server.submissionsFor('tokenhub', 'a kettle left at the provider')).toBe(1)
  })

  it('retry of a batch queues its interrupted jobs again', async () => {
    const home = tempDir('proofsheet-cli-interrupted-')
    const csv = join(home, 'rows.csv')
    const template = writeTemplateFile(join(home, 'template.json'), [{ name: 'T', body: 'a {{product}}' }])
    writeFileSync(csv, 'sku,product\nA-1,kettle\nA-2,teapot\n')
    const queued = await cli(home, ['batch', csv, '--template', template, '--sizes', '1024x1024', '--provider', 'tokenhub', '--base-url', server.baseUrl('tokenhub'), '--key-env', 'TH_KEY', '--json'])
    expect(queued.code, queued.stderr).toBe(0)
    const store = Store.open(join(home, 'library.sqlite'))
    const [batchId] = store.jobs.recent(10).map((j) => j.batchId)
    for (const job of store.jobs.recent(10)) expect(store.jobs.claim(job.id, Date.now())).toBe(true)
    store.close()
    expect((await cli(home, ['run'])).code).toBe(1)

    const retried = await cli(home, ['retry', batchId!])
    expect(retried.code).toBe(0)
    expect(retried.stdout).toContain(`Queued 2 failed or interrupted job(s) of ${batchId} again.`)
    expect((await cli(home, ['queue', '--json'])).json().jobs.map((j: { status: string }) => j.status)).toEqual(['queued', 'queued'])
    expect(server.requestsTo('tokenhub')).toHaveLength(0)
  })

  it('retry without an id, or of a job that is not failed, says what to do', async () => {
    const home = tempDir('proofsheet-cli-interrupted-')
    const none = await cli(home, ['retry'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('error: retry needs a job or batch id.')
    expect(none.stderr).toContain('fix: See failed and interrupted jobs with "proofsheet queue --status interrupted".')
    const queued = await cli(home, ['generate', '--provider', 'demo', '--prompt', 'a mug', '--size', '64x64', '--json'])
    const busy = await cli(home, ['retry', queued.json().jobs[0].id])
    expect(busy.code).toBe(2)
    expect(busy.stderr).toContain('only failed, canceled or interrupted jobs can be retried')
  })
})
