/**
 * The storage guard's contract, on a real library database: which storage problems pause the queue,
 * where the reason is kept (memory, and the database when it can take the write), and what resume
 * and a new runner clear. The queue's use of it runs end to end in storage-pause.test.ts and on a
 * real full disk in test/cli/storage-faults.test.ts.
 */
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { storageProblemOf, type StorageProblem } from '../../../src/main/core/files/storage-check'
import { StorageGuard, type StorageProbe } from '../../../src/main/core/queue/storage-guard'
import { Store } from '../../../src/main/core/store/store'
import { tempDir } from '../../helpers/temp-dir'

const FULL: StorageProblem = { code: 'disk_full', message: 'The disk holding the library is full.' }
const DAMAGED: StorageProblem = { code: 'damaged', message: 'The library database is damaged.' }

const errno = (code: string): Error => Object.assign(new Error(`failed: ${code}`), { code })

function guardOnLibrary() {
  const home = tempDir('proofsheet-guard-')
  const store = Store.open(join(home, 'library.sqlite'))
  onTestFinished(() => store.close())
  const disk: { problem: StorageProblem | null } = { problem: null }
  const probe: StorageProbe = { check: () => disk.problem, problemOf: (err) => storageProblemOf(err, home) }
  let changes = 0
  const guard = new StorageGuard({ meta: store, probe, stateChanged: () => changes++ })
  /** Another process on the same library (the CLI beside the app): it reads only what was recorded. */
  const elsewhere = () => new StorageGuard({ meta: store, probe, stateChanged: () => {} })
  return { store, disk, guard, elsewhere, changes: () => changes }
}

describe('StorageGuard', () => {
  it('lets work through while the disk has room, and pauses with the reason once it has none, said once', () => {
    const { disk, guard, elsewhere, changes } = guardOnLibrary()
    expect(guard.allows(1024)).toBe(true)
    expect(guard.reason()).toBeNull()

    disk.problem = FULL
    expect(guard.allows(1024)).toBe(false)
    expect(guard.allows(1024)).toBe(false)
    expect(guard.reason()).toEqual(FULL)
    // Recorded for other processes, and the doors were told once, not per refused job.
    expect(elsewhere().reason()).toEqual(FULL)
    expect(changes()).toBe(1)
  })

  it('keeps the reason for a damaged database in memory only: nothing is written onto damaged pages', () => {
    const { guard, elsewhere } = guardOnLibrary()
    guard.pause(DAMAGED)
    expect(guard.reason()).toEqual(DAMAGED)
    expect(elsewhere().reason()).toBeNull()
  })

  it('pauses on a write the disk refused and rethrows anything else', () => {
    const { guard } = guardOnLibrary()
    const bug = new TypeError('not a storage problem')
    expect(() => guard.pauseOrThrow(bug)).toThrow(bug)
    expect(guard.reason()).toBeNull()

    guard.pauseOrThrow(errno('SQLITE_READONLY'))
    expect(guard.reason()?.code).toBe('read_only')
  })

  it('counts an errno as the disk only where we wrote: a connect EACCES from the network does not pause', () => {
    const { guard } = guardOnLibrary()
    expect(guard.problemIn(errno('EACCES'))).toBeNull()
    expect(guard.problemIn(guard.asFailure(errno('ENOSPC')))?.code).toBe('disk_full')
    expect(guard.problemIn(errno('SQLITE_FULL'))?.code).toBe('disk_full')
    // An error that is no storage problem passes through unmarked.
    const other = new Error('decode failed')
    expect(guard.asFailure(other)).toBe(other)
  })

  it('resume clears the reason with the user pause flag in one transaction; a resume the disk refuses stays paused', () => {
    const { store, guard, elsewhere } = guardOnLibrary()
    guard.pause(FULL)
    guard.resume(() => store.setMeta('queue.paused', '0'))
    expect(guard.reason()).toBeNull()
    expect(elsewhere().reason()).toBeNull()
    expect(store.getMeta('queue.paused')).toBe('0')

    guard.pause(FULL)
    guard.resume(() => {
      store.setMeta('queue.paused', '1')
      throw errno('SQLITE_FULL')
    })
    // Rolled back whole (the flag is untouched) and paused again, for the write that failed.
    expect(store.getMeta('queue.paused')).toBe('0')
    expect(guard.reason()?.code).toBe('disk_full')
  })

  it('a new runner forgets a pause an earlier process recorded, to check the disk for itself', () => {
    const { guard, elsewhere } = guardOnLibrary()
    guard.pause(FULL)
    const next = elsewhere()
    expect(next.reason()).toEqual(FULL)
    next.forget()
    expect(next.reason()).toBeNull()
  })
})
