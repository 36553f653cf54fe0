/** Only one process runs a library's queue; a lock left by a dead process does not block forever. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { acquireRunnerLock } from '../../../src/main/core/queue/runner-lock'
import { tempDir } from '../../helpers/temp-dir'

const holderIn = (home: string) => JSON.parse(readFileSync(join(home, 'queue.lock'), 'utf8')) as { pid: number; host: string }

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)'])
  expect(child.pid).toBeGreaterThan(0)
  return child.pid!
}

describe('runner lock', () => {
  it('refuses a folder where the lock file belongs, saying what to remove, instead of waiting for nobody', () => {
    const home = tempDir('proofsheet-lock-')
    mkdirSync(join(home, 'queue.lock'))
    let thrown: unknown
    try {
      acquireRunnerLock(home, 1000)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(ApiError)
    expect(thrown).toMatchObject({ code: 'bad_input', field: 'home' })
    expect((thrown as ApiError).message).toMatch(/queue\.lock is not a file/)
    expect((thrown as ApiError).fix).toMatch(/Remove .*queue\.lock/)
  })

  it('refuses a second acquire while held, naming the holder; release frees it', () => {
    const home = tempDir('proofsheet-lock-')
    const first = acquireRunnerLock(home, 1000)
    expect(first.ok).toBe(true)
    expect(holderIn(home)).toMatchObject({ pid: process.pid, host: hostname() })

    const second = acquireRunnerLock(home, 2000)
    expect(second).toEqual({ ok: false, holder: { pid: process.pid, host: hostname(), since: 1000 } })

    if (first.ok) first.lock.release()
    expect(existsSync(join(home, 'queue.lock'))).toBe(false)
    const third = acquireRunnerLock(home, 3000)
    expect(third.ok).toBe(true)
    if (third.ok) third.lock.release()
  })

  it('takes over a lock left by a process that no longer exists', () => {
    const home = tempDir('proofsheet-lock-')
    const pid = deadPid()
    writeFileSync(join(home, 'queue.lock'), JSON.stringify({ pid, host: hostname(), since: 1 }))
    const result = acquireRunnerLock(home, 5000)
    expect(result.ok).toBe(true)
    expect(holderIn(home).pid).toBe(process.pid)
    if (result.ok) result.lock.release()
    expect(existsSync(join(home, 'queue.lock'))).toBe(false)
  })

  it('takes over a lock file that is empty or half-written', () => {
    const home = tempDir('proofsheet-lock-')
    writeFileSync(join(home, 'queue.lock'), '{"pid": 12')
    const result = acquireRunnerLock(home)
    expect(result.ok).toBe(true)
    if (result.ok) result.lock.release()
  })

  it('does not take over a lock held on another machine (it cannot tell whether that process lives)', () => {
    const home = tempDir('proofsheet-lock-')
    const pid = deadPid()
    writeFileSync(join(home, 'queue.lock'), JSON.stringify({ pid, host: `not-${hostname()}`, since: 1 }))
    const result = acquireRunnerLock(home)
    expect(result).toEqual({ ok: false, holder: { pid, host: `not-${hostname()}`, since: 1 } })
  })

  it('release never deletes a lock that another process has since taken', () => {
    const home = tempDir('proofsheet-lock-')
    const mine = acquireRunnerLock(home)
    expect(mine.ok).toBe(true)
    const other = { pid: process.ppid, host: hostname(), since: 9 }
    writeFileSync(join(home, 'queue.lock'), JSON.stringify(other))
    if (mine.ok) mine.lock.release()
    expect(holderIn(home)).toMatchObject({ pid: process.ppid })
  })
})
