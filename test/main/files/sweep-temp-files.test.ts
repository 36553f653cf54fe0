/**
 * sweepTempFiles: the `.tmp-` files a crash in the middle of writeFileAtomic leaves behind go,
 * once they are old enough that no writer can still be busy with them; nothing else is touched.
 */
import { mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { sweepStaleTempFiles, sweepTempFiles, tempNameFor, writeFileAtomic } from '../../../src/main/core/files/atomic-write'
import { tempDir } from '../../helpers/temp-dir'

const HOUR = 60 * 60_000

function aged(path: string, content: string, ageMs: number): void {
  writeFileSync(path, content)
  const at = (Date.now() - ageMs) / 1000
  utimesSync(path, at, at)
}

describe('sweepTempFiles', () => {
  it('removes old temp files only, leaving finished files, fresh temp files and other names', async () => {
    const dir = tempDir('proofsheet-sweep-tmp-')
    await writeFileAtomic(join(dir, 'secrets.sealed.json'), '{}')
    aged(join(dir, '.tmp-secrets.sealed.json-0a1b2c'), '{"half', HOUR)
    aged(join(dir, '.tmp-abc.png-3d4e5f'), 'png', HOUR)
    aged(join(dir, '.tmp-being-written-6a7b8c'), 'now', 0)
    aged(join(dir, 'notes.tmp'), 'mine', HOUR)
    mkdirSync(join(dir, '.tmp-folder'))
    symlinkSync(join(dir, 'notes.tmp'), join(dir, '.tmp-link'))

    expect(await sweepTempFiles(dir, { minAgeMs: 10 * 60_000 })).toEqual(['.tmp-abc.png-3d4e5f', '.tmp-secrets.sealed.json-0a1b2c'])
    expect(readdirSync(dir).sort()).toEqual(['.tmp-being-written-6a7b8c', '.tmp-folder', '.tmp-link', 'notes.tmp', 'secrets.sealed.json'])
  })

  it('with minAgeMs 0 takes a temp file written this very millisecond (its mtime a fraction past now)', async () => {
    const dir = tempDir('proofsheet-sweep-tmp-')
    const now = 1_767_000_000_000
    writeFileSync(join(dir, '.tmp-abc.png-3d4e5f'), 'png')
    utimesSync(join(dir, '.tmp-abc.png-3d4e5f'), (now + 0.4) / 1000, (now + 0.4) / 1000)
    expect(await sweepTempFiles(dir, { minAgeMs: 0, now })).toEqual(['.tmp-abc.png-3d4e5f'])
  })

  it('has nothing to do in a folder that does not exist yet', async () => {
    expect(await sweepTempFiles(join(tempDir('proofsheet-sweep-tmp-'), 'refs'), { minAgeMs: 0 })).toEqual([])
  })
})

describe('sweepStaleTempFiles (a folder shared with other programs: an export target)', () => {
  it("removes a dead writer's temp file at once and old ones of ours, never another program's or a live writer's", async () => {
    const dir = tempDir('proofsheet-sweep-stale-')
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const mine = tempNameFor('delivery.zip') // this live process, this host
    const deadWriter = mine.replace(`.${process.pid}-`, `.${dead}-`)
    const otherHost = mine.replace(/-[0-9a-f]{8}\./, '-00000000.')
    aged(join(dir, mine), 'live', 0)
    aged(join(dir, deadWriter), 'dead', 0)
    aged(join(dir, otherHost), 'other host, fresh', 0)
    aged(join(dir, otherHost.replace('delivery', 'older')), 'other host, old', HOUR)
    aged(join(dir, '.tmp-shop.png-0123456789ab'), 'older version, old', HOUR)
    aged(join(dir, '.tmp-notes.txt'), 'another program', HOUR)
    aged(join(dir, '.tmp-abc.png-3d4e5f'), 'not our shape', HOUR)
    aged(join(dir, 'delivery.zip'), 'finished', HOUR)

    const removed = await sweepStaleTempFiles(dir, { minAgeMs: 10 * 60_000 })
    expect(removed).toEqual([deadWriter, otherHost.replace('delivery', 'older'), '.tmp-shop.png-0123456789ab'].sort())
    expect(readdirSync(dir).sort()).toEqual([mine, otherHost, '.tmp-abc.png-3d4e5f', '.tmp-notes.txt', 'delivery.zip'].sort())
  })

  it('keeps temp names short enough for any filesystem, whatever the target name', () => {
    const name = tempNameFor(`${'é'.repeat(120)}.png`)
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255)
    expect(name).toMatch(new RegExp(`^\\.tmp-é+-[0-9a-f]{8}\\.${process.pid}-[0-9a-f]{12}$`))
  })
})
