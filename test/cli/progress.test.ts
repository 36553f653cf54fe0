/**
 * The live progress line of long work, from the engine's real job events: rewritten in place on
 * a real pseudo-terminal (util-linux `script`), plain lines into a pipe, nothing with --json.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../src/shared/api'
import { JobProgress, PLAIN_EVERY_MS, type ProgressClock } from '../../src/cli/progress'
import { startCli } from '../helpers/cli-process'
import { tempDir } from '../helpers/temp-dir'
import { writeTemplateFile } from '../helpers/template-file'

const ROOT = join(import.meta.dirname, '..', '..')
const SLOW_DEMO = { PROOFSHEET_DEMO_DELAY_MS: '150' }
const LINE = /(\d+)\/(\d+) jobs: (\d+) done, (\d+) failed, (\d+) held; spent \$0\.00; \d+:\d\d elapsed/g

/** The command on a real pseudo-terminal: `script` gives it a tty for stdin, stdout and stderr alike. */
function onTerminal(args: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...SLOW_DEMO } })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stdin.end()
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

const lastLine = (text: string) => [...text.matchAll(LINE)].at(-1)?.slice(1, 6).map(Number)

describe('progress on a terminal', () => {
  it('generate --wait rewrites one line in place with \\r and ends it with the totals', async () => {
    const home = tempDir('proofsheet-progress-tty-')
    const run = await onTerminal(['generate', '--provider', 'demo', '--prompt', 'red kettle', '--size', '64x64,96x96', '--wait', '--home', home])
    expect(run.code).toBe(0)
    expect(run.output).toContain('\r\u001b[2K0/2 jobs: 0 done, 0 failed, 0 held; spent $0.00; ')
    const ended = run.output.split('\r\u001b[2K').at(-1) ?? ''
    expect(ended).toMatch(/^2\/2 jobs: 2 done, 0 failed, 0 held; spent \$0\.00; \d+:\d\d elapsed\r?\n/)
    expect(run.output).toMatch(/succeeded/)
  })

  it('with --json the terminal gets the JSON document and nothing else', async () => {
    const home = tempDir('proofsheet-progress-json-')
    const run = await onTerminal(['generate', '--provider', 'demo', '--prompt', 'red kettle', '--size', '64x64', '--wait', '--json', '--home', home])
    expect(run.code).toBe(0)
    expect(run.output).not.toMatch(/jobs: \d+ done/)
    const lines = run.output.replace(/\r\n/g, '\n').split('\n')
    // "Generating..." is the only stderr line a --json run writes (as before); stdout is the JSON.
    const json = lines.slice(lines.findIndex((l) => l.startsWith('{'))).join('\n')
    expect(JSON.parse(json).jobs[0].status).toBe('succeeded')
  })
})

describe('progress into a pipe', () => {
  it('generate --wait writes plain lines (no \\r, no escapes) on stderr and leaves stdout to the result', async () => {
    const home = tempDir('proofsheet-progress-pipe-')
    const run = await startCli(['generate', '--provider', 'demo', '--prompt', 'red kettle', '--size', '64x64,96x96', '--wait', '--home', home], { env: SLOW_DEMO }).done
    expect(run.code).toBe(0)
    expect(run.stderr).not.toContain('\r')
    expect(run.stderr).not.toContain('\u001b')
    expect(run.stderr).toMatch(/^0\/2 jobs: 0 done, 0 failed, 0 held; spent \$0\.00; 0:\d\d elapsed$/m)
    expect(lastLine(run.stderr)).toEqual([2, 2, 2, 0, 0])
    expect(run.stdout).not.toMatch(/jobs: \d+ done/)
  })

  it('batch --wait and run count the jobs of the batch and of the queue', async () => {
    const dir = tempDir('proofsheet-progress-batch-')
    const template = writeTemplateFile(join(dir, 'shots.json'), [{ name: 'Shot', body: 'packshot of {{product}}' }])
    const csv = join(dir, 'rows.csv')
    writeFileSync(csv, 'sku,product\nA-1,kettle\nA-2,toaster\nA-3,lamp\n')
    const home = tempDir('proofsheet-progress-batch-home-')
    const batch = await startCli(['batch', csv, '--template', template, '--sizes', '64x64', '--provider', 'demo', '--wait', '--home', home], { env: SLOW_DEMO }).done
    expect(batch.code, batch.stderr).toBe(0)
    expect(lastLine(batch.stderr)).toEqual([3, 3, 3, 0, 0])

    for (const size of ['64x64', '96x96']) {
      expect((await startCli(['generate', '--provider', 'demo', '--prompt', 'lamp', '--size', size, '--home', home], { env: SLOW_DEMO }).done).code).toBe(0)
    }
    const run = await startCli(['run', '--home', home], { env: SLOW_DEMO }).done
    expect(run.code, run.stderr).toBe(0)
    expect(lastLine(run.stderr)).toEqual([2, 2, 2, 0, 0])
  })
})

describe('the progress line itself', () => {
  const job = (id: string, status: JobView['status'], extra: Partial<JobView> = {}) =>
    ({ id, status, heldReason: null, chargedCost: null, currency: 'USD', ...extra }) as JobView

  function fakeClock(): ProgressClock & { advance(ms: number): void } {
    let now = 0
    const ticks: { every: number; next: number; tick: () => void }[] = []
    return {
      now: () => now,
      every(ms, tick) {
        const entry = { every: ms, next: ms, tick }
        ticks.push(entry)
        return () => ticks.splice(ticks.indexOf(entry), 1)
      },
      advance(ms) {
        now += ms
        for (const t of ticks) {
          while (t.next <= now) {
            t.next += t.every
            t.tick()
          }
        }
      },
    }
  }

  it('counts done, failed (failed, canceled, interrupted), held and spent per currency', () => {
    const written: string[] = []
    const clock = fakeClock()
    const progress = new JobProgress(['a', 'b', 'c', 'd', 'e', 'f'], { sink: { write: (t) => written.push(t), isTTY: true }, money: (n, c) => `${c} ${n}`, clock })
    progress.update(job('a', 'succeeded', { chargedCost: 0.25 }))
    progress.update(job('b', 'succeeded', { chargedCost: 0.5, currency: 'EUR' }))
    progress.update(job('c', 'failed', { chargedCost: 0 }))
    progress.update(job('d', 'interrupted'))
    progress.update(job('e', 'queued', { heldReason: 'daily budget reached' }))
    progress.update(job('zz', 'succeeded', { chargedCost: 9 })) // not one of these jobs
    clock.advance(65_000)
    expect(progress.text()).toBe('4/6 jobs: 2 done, 2 failed, 1 held; spent USD 0.25 + EUR 0.5; 1:05 elapsed')
  })

  it('before anything is charged, shows zero in the jobs\' own currency', () => {
    const progress = new JobProgress(['a'], { sink: { write: () => undefined, isTTY: true }, money: (n, c) => `${c} ${n}`, clock: fakeClock() })
    progress.update(job('a', 'running', { currency: 'EUR' }))
    expect(progress.text()).toBe('0/1 jobs: 0 done, 0 failed, 0 held; spent EUR 0; 0:00 elapsed')
  })

  it('into a pipe, writes at most one line per interval however many events arrive, and always the last', () => {
    const written: string[] = []
    const clock = fakeClock()
    const ids = Array.from({ length: 200 }, (_, i) => `job${i}`)
    const progress = new JobProgress(ids, { sink: { write: (t) => written.push(t) }, money: (n) => `$${(n ?? 0).toFixed(2)}`, clock })
    for (const id of ids.slice(0, 150)) progress.update(job(id, 'succeeded', { chargedCost: 0 }))
    expect(written).toHaveLength(1) // the opening line; 150 events within the interval add none
    clock.advance(PLAIN_EVERY_MS)
    expect(written).toHaveLength(2)
    expect(written[1]).toMatch(/^150\/200 jobs: 150 done/)
    for (const id of ids.slice(150)) progress.update(job(id, 'succeeded', { chargedCost: 0 }))
    progress.finish()
    expect(written).toHaveLength(3)
    expect(written[2]).toMatch(/^200\/200 jobs: 200 done, 0 failed, 0 held; spent \$0\.00; 0:10 elapsed\n$/)
    expect(written.join('')).not.toMatch(/\r/)
  })
})
