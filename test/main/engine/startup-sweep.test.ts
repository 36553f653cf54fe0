/**
 * What a crash leaves between writing an image file and recording its row (the file, its
 * thumbnail, or a half-written `.tmp-` file) is swept when the next runner starts, before its
 * queue writes anything; a process that is not the runner sweeps nothing, since the runner may be
 * in the middle of exactly that write.
 */
import { copyFileSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { call, openEngine } from '../../helpers/engine'
import { mediaFiles } from '../../helpers/library-files'
import { sha256File } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'
import { settle, until } from '../../helpers/wait'

/** A library with one recorded demo image, closed as a crash would leave it, plus leftovers. */
async function libraryWithLeftovers(): Promise<{ home: string; kept: { file: string; thumb: string; sha256: string }; leftovers: string[] }> {
  const home = tempDir('proofsheet-sweep-')
  const engine = await openEngine(home)
  const queued = await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'kept mug', sizes: [{ width: 64, height: 64 }] })
  const [job] = await engine.waitForJobs(queued.jobs.map((j) => j.id))
  const kept = await call(engine, 'gallery.get', { id: job!.imageIds[0]! })
  await engine.close()

  const month = kept.file.split('/').slice(1, 3).join('/')
  const leftovers = [
    `images/${month}/img_crashed.png`, // written, never recorded
    `thumbs/${month}/img_crashed.webp`,
    `images/${month}/.tmp-img_half.png-a1b2c3`, // cut off while being written
    `thumbs/2026/01/.tmp-img_half.webp-d4e5f6`,
  ]
  for (const rel of leftovers) {
    mkdirSync(join(home, rel, '..'), { recursive: true })
    if (rel.includes('.tmp-')) writeFileSync(join(home, rel), 'half an ima')
    else copyFileSync(join(home, rel.startsWith('images') ? kept.file : kept.thumb), join(home, rel))
  }
  return { home, kept: { file: kept.file, thumb: kept.thumb, sha256: kept.sha256 }, leftovers }
}

describe('the startup sweep', () => {
  it('removes unrecorded and half-written files when the runner starts, and keeps every recorded one', async () => {
    const { home, kept, leftovers } = await libraryWithLeftovers()
    expect(mediaFiles(home)).toEqual([kept.file, kept.thumb, ...leftovers].sort())

    const engine = await openEngine(home)
    await until(() => leftovers.every((rel) => !existsSync(join(home, rel))), 'the leftovers are swept')
    expect(mediaFiles(home)).toEqual([kept.file, kept.thumb].sort())
    expect(sha256File(join(home, kept.file))).toBe(kept.sha256)
    // And the gallery still serves it.
    expect((await call(engine, 'gallery.list', {})).images.map((i) => i.file)).toEqual([kept.file])
  })

  it('removes old temp files from refs/ and the library folder, but not fresh ones another process may be writing', async () => {
    const home = tempDir('proofsheet-sweep-')
    mkdirSync(join(home, 'refs'))
    const old = (Date.now() - 60 * 60_000) / 1000
    for (const rel of ['refs/.tmp-abc.png-111111', '.tmp-secrets.sealed.json-222222']) {
      writeFileSync(join(home, rel), 'half')
      utimesSync(join(home, rel), old, old)
    }
    writeFileSync(join(home, 'refs', '.tmp-fresh.png-333333'), 'being written')
    const engine = await openEngine(home)
    await until(() => !existsSync(join(home, 'refs/.tmp-abc.png-111111')), 'the old refs temp file is swept')
    await engine.close()
    expect(existsSync(join(home, '.tmp-secrets.sealed.json-222222'))).toBe(false)
    expect(existsSync(join(home, 'refs', '.tmp-fresh.png-333333'))).toBe(true)
  })

  it('a process that is not the runner sweeps nothing', async () => {
    const { home, kept, leftovers } = await libraryWithLeftovers()
    const runner = await openEngine(home, { runQueue: false })
    const other = await openEngine(home, { runQueue: false })
    expect(runner.startQueue()).toBe(true)
    await until(() => !existsSync(join(home, leftovers[0]!)), 'the runner sweeps')
    // A new leftover appears (as if the runner were between a write and its row); the other
    // process may not become the runner, so it must not touch it.
    writeFileSync(join(home, leftovers[0]!), 'being written')
    expect(other.startQueue()).toBe(false)
    await settle()
    expect(mediaFiles(home)).toEqual([kept.file, kept.thumb, leftovers[0]!].sort())
  })
})
