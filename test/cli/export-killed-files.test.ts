/**
 * An export killed (SIGKILL) while it copies files, with some files already final and others
 * still under temp names: every file under a final name is whole (byte for byte a library
 * image), and the next export into the folder removes the temp files the killed one left.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { startCli } from '../helpers/cli-process'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'

// Copies into PROOFSHEET_TEST_SLOW_COPIES_IN return 400 ms late, so they stay under their temp
// names long enough to be seen.
const SLOW_COPIES = join(import.meta.dirname, 'fixtures', 'slow-export-copies.mjs')
const env = { PROOFSHEET_DEMO_DELAY_MS: '5' }
const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : [])
const temps = (dir: string) => list(dir).filter((n) => n.startsWith('.tmp-'))
const finals = (dir: string) => list(dir).filter((n) => !n.startsWith('.tmp-'))

describe('an export killed while it copies files', () => {
  it('leaves only whole files under final names, and the next export sweeps its temp files', async () => {
    const home = tempDir('proofsheet-files-kill-')
    // 40 images (a request takes at most 24 sizes): enough for a batch to be final before the last copies.
    for (const row of [96, 128]) {
      const sizes = Array.from({ length: 20 }, (_, i) => `${96 + 8 * i}x${row}`).join(',')
      const made = await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'linen napkin', '--size', sizes, '--wait', '--home', home], env)
      expect(made.code, made.stderr).toBe(0)
    }
    const out = join(tempDir('proofsheet-files-kill-out-'), 'delivery')

    const killed = startCli(['export', '--home', home, '--out', out, '--manifest', 'none'], {
      env: { ...env, PROOFSHEET_TEST_SLOW_COPIES_IN: out },
      nodeArgs: ['--import', SLOW_COPIES],
    })
    let exited = false
    void killed.done.then(() => (exited = true))
    await until(() => exited || (finals(out).length > 0 && temps(out).length > 0), 'some files are final and others still being written', 60_000)
    killed.kill('SIGKILL')
    const run = await killed.done
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(temps(out).length).toBeGreaterThan(0)

    const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true })
    const library = new Set((db.prepare('SELECT sha256 FROM images').all() as { sha256: string }[]).map((r) => r.sha256))
    db.close()
    expect(library.size).toBe(40)
    const kept = finals(out)
    expect(kept.length).toBeGreaterThan(0)
    for (const name of kept) expect(library.has(createHash('sha256').update(readFileSync(join(out, name))).digest('hex')), name).toBe(true)

    const again = await cliInProcess(['export', '--home', home, '--out', out, '--manifest', 'none', '--json'], env)
    expect(again.code, again.stderr).toBe(0)
    expect(temps(out)).toEqual([])
    expect(finals(out)).toHaveLength(kept.length + 40)
  })
})
