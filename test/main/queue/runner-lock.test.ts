/** Only one process runs a library's queue; a lock left by a dead process does not block forever. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { acquireRunnerLock, describeLockHolder, takeoverFileFor, UNREADABLE_LOCK_GRACE_MS } from '../../../src/main/core/queue/runner-lock'
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

  it('holds an empty or half-written lock for a short grace (it may be a lock being written), then takes it over', () => {
    for (const content of ['', '{"pid": 12']) {
      const home = tempDir('proofsheet-lock-')
      const file = join(home, 'queue.lock')
      writeFileSync(file, content)
      const young = acquireRunnerLock(home)
      expect(young).toEqual({ ok: false, holder: { pid: 0, host: 'unknown', since: 0 } })
      expect(readFileSync(file, 'utf8')).toBe(content)
      expect(describeLockHolder(home, { pid: 0, host: 'unknown', since: 0 })).toMatch(/being written/)

      const past = (Date.now() - UNREADABLE_LOCK_GRACE_MS - 5000) / 1000
      utimesSync(file, past, past)
      const old = acquireRunnerLock(home)
      expect(old.ok).toBe(true)
      expect(holderIn(home).pid).toBe(process.pid)
      if (old.ok) old.lock.release()
    }
  })

  it('does not take over a lock held on another machine (it cannot tell whether that process lives)', () => {
    const home = tempDir('proofsheet-lock-')
    const pid = deadPid()
    const host = `not-${hostname()}`
    writeFileSync(join(home, 'queue.lock'), JSON.stringify({ pid, host, since: 1 }))
    const past = (Date.now() - 24 * 3600_000) / 1000
    utimesSync(join(home, 'queue.lock'), past, past)
    const result = acquireRunnerLock(home)
    expect(result).toEqual({ ok: false, holder: { pid, host, since: 1 } })
    // The door says who holds it and how to clear it, since no pid check can be made from here.
    const note = describeLockHolder(home, { pid, host, since: 1 })
    expect(note).toContain(`pid ${pid} on the computer "${host}"`)
    expect(note).toContain(`delete ${join(home, 'queue.lock')}`)
  })

  it('fails closed when a racer died mid-takeover, naming the file to delete; then takes the lock', () => {
    const home = tempDir('proofsheet-lock-')
    const pid = deadPid()
    writeFileSync(join(home, 'queue.lock'), JSON.stringify({ pid, host: hostname(), since: 1 }))
    // What a racer that crashed between creating its takeover file and its rename leaves behind.
    const guard = takeoverFileFor(home)!
    writeFileSync(guard, JSON.stringify({ pid: deadPid(), host: hostname(), since: 2, nonce: 'x' }))
    const stuck = acquireRunnerLock(home)
    expect(stuck).toEqual({ ok: false, holder: { pid, host: hostname(), since: 1 } })
    if (!stuck.ok) expect(describeLockHolder(home, stuck.holder)).toContain(`delete ${guard}`)

    unlinkSync(guard)
    const freed = acquireRunnerLock(home)
    expect(freed.ok).toBe(true)
    if (freed.ok) freed.lock.release()
  })

  it('sweeps takeover and fresh-lock files a crashed racer left long ago, once it holds the lock', () => {
    const home = tempDir('proofsheet-lock-')
    const old = (Date.now() - 3600_000) / 1000
    const leftovers = ['queue.lock.takeover-1a2b-90', 'queue.lock.new-123-abc']
    for (const name of [...leftovers, 'queue.lock.takeover-recent', 'notes.txt']) writeFileSync(join(home, name), '{}')
    for (const name of [...leftovers, 'notes.txt']) utimesSync(join(home, name), old, old)
    const mine = acquireRunnerLock(home)
    expect(mine.ok).toBe(true)
    expect(readdirSync(home).sort()).toEqual(['notes.txt', 'queue.lock', 'queue.lock.takeover-recent'])
    if (mine.ok) mine.lock.release()
  })

  it('leaves no file of its own behind beside the lock, won or lost', () => {
    const home = tempDir('proofsheet-lock-')
    const mine = acquireRunnerLock(home)
    expect(acquireRunnerLock(home).ok).toBe(false)
    expect(readdirSync(home)).toEqual(['queue.lock'])
    if (mine.ok) mine.lock.release()
    expect(readdirSync(home)).toEqual([])
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
