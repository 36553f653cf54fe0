import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CRASH_NOTE_FILE, crashNoteNotice, takeCrashNote } from '../../../src/main/core/logs'
import { findLeaksInTree } from '../../helpers/key-leak-scan'
import { tempDir } from '../../helpers/temp-dir'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const FIXTURE = join(import.meta.dirname, 'fixtures', 'crash-with-key.ts')

function crash(dir: string, key: string, kind: 'exception' | 'rejection'): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, kind], { cwd: ROOT, env: { ...process.env, PROOFSHEET_LOG_DIR: dir, CRASH_TEST_KEY: key } })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('a process that dies of an uncaught error', () => {
  for (const kind of ['exception', 'rejection'] as const) {
    it(`(${kind}) leaves a redacted crash note and log, which the next start reads once`, { timeout: 60_000 }, async () => {
      const dir = tempDir('proofsheet-crash-note-')
      const key = `sk-proj-${randomBytes(12).toString('hex')}`
      const run = await crash(dir, key, kind)
      expect(run.code, run.stderr).toBe(1)
      expect(existsSync(join(dir, CRASH_NOTE_FILE))).toBe(true)
      expect(readFileSync(join(dir, 'main.log'), 'utf8')).toMatch(/\[crash\] (uncaughtException|unhandledRejection):[\s\S]*Incorrect API key provided/)
      expect(findLeaksInTree(dir, [key])).toEqual([])

      const note = takeCrashNote(dir)
      expect(note).toMatchObject({ kind: kind === 'exception' ? 'uncaughtException' : 'unhandledRejection' })
      expect(note!.message).toMatch(/^Error: provider said: Incorrect API key provided: /)
      expect(crashNoteNotice(note!)).toMatch(/closed unexpectedly last time at \d{4}-.*Incorrect API key provided/)
      // Shown once: the next start finds nothing.
      expect(takeCrashNote(dir)).toBeNull()
      expect(existsSync(join(dir, CRASH_NOTE_FILE))).toBe(false)
    })
  }

  it('finds no note when there was no crash, or when the note is unreadable', () => {
    const dir = tempDir('proofsheet-crash-note-')
    expect(takeCrashNote(dir)).toBeNull()
  })
})
