/**
 * Point 10: a ZIP export killed in the middle (the process SIGKILLed while it writes the archive)
 * leaves a `.tmp-…zip-…` file in the export folder; the next export into that folder removes it,
 * and removes nothing that is not a leftover of ours (another program's temp file, the finished
 * files, a temp file that a live writer may still be filling).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { startCli } from '../helpers/cli-process'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'

const SLOW_READS = join(import.meta.dirname, 'fixtures', 'slow-export-reads.mjs')
const env = { PROOFSHEET_DEMO_DELAY_MS: '5' }
const zipTemps = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^\.tmp-.*\.zip-/.test(n)) : [])

describe('an export killed while it writes its ZIP', () => {
  it('leaves a temp file that the next export into the folder sweeps, and nothing else of anyone is removed', async () => {
    const home = tempDir('proofsheet-zip-kill-')
    const made = await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'walnut tray', '--size', '96x96,128x96,96x128', '--wait', '--home', home], env)
    expect(made.code, made.stderr).toBe(0)
    const out = join(tempDir('proofsheet-zip-kill-out-'), 'delivery')

    const killed = startCli(['export', '--home', home, '--out', out, '--zip', '--manifest', 'none'], {
      env: { ...env, PROOFSHEET_TEST_SLOW_READS_IN: out },
      nodeArgs: ['--import', SLOW_READS],
    })
    let exited = false
    void killed.done.then(() => (exited = true))
    await until(() => exited || zipTemps(out).length > 0, 'the ZIP is being written', 60_000)
    killed.kill('SIGKILL')
    const run = await killed.done
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(zipTemps(out)).toHaveLength(1)

    // Not ours, or perhaps still being written: these stay.
    writeFileSync(join(out, '.tmp-notes.txt'), 'another program')
    writeFileSync(join(out, '.tmp-other.zip-0123456789ab'), 'fresh, writer unknown')
    const again = await cliInProcess(['export', '--home', home, '--out', out, '--zip', '--manifest', 'none', '--json'], env)
    expect(again.code, again.stderr).toBe(0)
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp-')).sort()).toEqual(['.tmp-notes.txt', '.tmp-other.zip-0123456789ab'])
    expect(readdirSync(out)).toContain(again.json().zip.split('/').pop())
  })
})
