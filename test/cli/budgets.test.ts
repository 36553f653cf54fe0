/**
 * `generate --wait` under a budget, against a server that speaks OpenAI's images API: work a budget
 * holds is reported as held, is not charged, and makes the exit code 1 (work was left undone).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/core/store/store'
import { cliInProcess } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'
import type { ProviderServer } from '../provider-server'
import { useProviderServer } from '../helpers/provider-server-per-file'

const KEY_VAR = 'PROOFSHEET_TEST_KEY'
let server: ProviderServer
useProviderServer((s) => (server = s))

/** A library whose daily budget (all spending) is `amount` dollars. */
function homeWithDailyBudget(amount: number): string {
  const home = tempDir('proofsheet-cli-budget-')
  const store = Store.open(join(home, 'library.sqlite'))
  store.budgets.set({ id: 'budget_daily', scope: { kind: 'all', period: 'day' }, amount, currency: 'USD', now: Date.now() })
  store.close()
  return home
}

function generate(home: string, extra: string[]) {
  return cliInProcess(
    ['generate', '--provider', 'openai', '--base-url', server.baseUrl('openai'), '--key-env', KEY_VAR, '--prompt', 'a red kettle on oak',
      '--size', '1024x1024,1536x1024', '--wait', '--home', home, ...extra],
    { [KEY_VAR]: server.validKey('openai') },
  )
}

describe('generate --wait under a budget', () => {
  it('runs what fits, reports the rest as held with the reason, and exits 1', async () => {
    // $0.22 per image at list price: the first size fits under $0.25. OpenAI then charges its token
    // usage ($0.041995 on this server), and that charge is what the budget counts as spent: the
    // second size would pass $0.25 even so.
    const run = await generate(homeWithDailyBudget(0.25), ['--json'])
    expect(run.code).toBe(1)
    const jobs = run.json().jobs as { size: string; status: string; chargedCost: number | null; heldReason: string | null; images: unknown[] }[]
    expect(jobs.map((j) => [j.size, j.status, j.chargedCost, j.images.length])).toEqual([
      ['1024x1024', 'succeeded', 0.041995, 1],
      ['1536x1024', 'queued', null, 0],
    ])
    expect(jobs[1]!.heldReason).toBe(
      'Daily budget of $0.25 reached: $0.042 is spent or running today, and this job needs $0.22. Raise the budget, or wait until tomorrow.',
    )
    // Only the job that fit reached the provider.
    expect(server.charges.openai ?? []).toHaveLength(1)
  })

  it('says so in words too', async () => {
    const run = await generate(homeWithDailyBudget(0.1), [])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/1024x1024 {2}held {2}charged —\n {2}held: Daily budget of \$0\.10 reached/)
    expect(run.stdout).toContain('2 job(s) held by a budget and not run; nothing was charged for them.')
    expect(server.charges.openai ?? []).toHaveLength(0)
  })
})
