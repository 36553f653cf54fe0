/**
 * The command line's account of a ToAPIs task that failed upstream (against the provider test
 * server, failed tasks billed): `generate --wait` resubmits once, then exits 1 with the job's note
 * and error saying what happened and what it may have cost; a SIGKILL right after the first failure
 * does not buy a second resubmission.
 */
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { startCli } from '../helpers/cli-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

describe('proofsheet generate --wait on ToAPIs, every task failing upstream', () => {
  it('submits twice, exits 1, and prints the note and the possible cost', { timeout: 60_000 }, async () => {
    // The task fails at the first poll, so the run takes two polls' worth of real time.
    server.configure({ toapis: { failedTaskBilling: 'billed', statusesBeforeCompletion: [] } })
    server.setFaultSource(({ provider, route }) => (provider === 'toapis' && route === 'generations' ? { fault: 'task-failed' } : null))
    const home = tempDir('proofsheet-cli-failed-task-')
    const prompt = 'cli failed task kettle'
    const args = (words: string): string[] => ['generate', '--provider', 'toapis', '--base-url', server.baseUrl('toapis'), '--key-env', 'TOAPIS_KEY', '--prompt', words, '--aspect', '1:1', '--resolution', '1K', '--wait', '--home', home]
    const env = { TOAPIS_KEY: server.validKey('toapis') }

    const text = await cliInProcess(args(prompt), env)
    expect(text.code, text.stderr).toBe(1)
    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    expect(text.stdout).toMatch(/note: ToAPIs failed the task upstream twice; resubmitted once\. A failed task may be billed: up to \$0\.03 for them/)
    expect(text.stdout).toMatch(/provider_down: ToAPIs failed the task upstream .*resubmitted once already/)
    const queue = await cliInProcess(['queue', '--home', home])
    expect(queue.stdout).toMatch(/job_\S+: ToAPIs failed the task upstream twice; resubmitted once/)
  })

  it('SIGKILLed as the first task fails, then run again: still two submissions in all, and the job fails saying so', { timeout: 60_000 }, async () => {
    server.configure({ toapis: { failedTaskBilling: 'billed', statusesBeforeCompletion: [] } })
    server.setFaultSource(({ provider, route }) => (provider === 'toapis' && route === 'generations' ? { fault: 'task-failed' } : null))
    const home = tempDir('proofsheet-cli-failed-task-kill-')
    const prompt = 'cli failed task killed kettle'
    const env = { TOAPIS_KEY: server.validKey('toapis') }
    const args = ['generate', '--provider', 'toapis', '--base-url', server.baseUrl('toapis'), '--key-env', 'TOAPIS_KEY', '--prompt', prompt, '--aspect', '1:1', '--resolution', '1K', '--wait', '--home', home]
    const first = startCli(args, { env })
    // The kill lands as the provider reports the failure: before or after the engine recorded it,
    // before or after it resubmitted, the rule must hold either way.
    await until(() => server.tasks.some((t) => t.prompt === prompt && t.status === 'failed'), 'the first task failed upstream', 30_000)
    first.kill()
    expect((await first.done).signal).toBe('SIGKILL')

    const run = startCli(['run', '--json', '--home', home], { env })
    const end = await run.done
    expect(end.code, end.stderr).toBe(1)
    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    const [job] = (JSON.parse(end.stdout) as { jobs: { status: string; failedTasks: unknown }[] }).jobs
    expect(job).toMatchObject({ status: 'failed', failedTasks: { count: 2, resubmitted: 1 } })
  })
})
