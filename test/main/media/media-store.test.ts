import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MediaError, type MediaErrorCode } from '../../../src/main/core/media/media-error'
import { MediaStore, type MediaFiles } from '../../../src/main/core/media/media-store'
import { stageFile, syncDirectory } from '../../../src/main/core/files/atomic-write'
import { sampleImage } from './sample-images'

const MARCH_2025 = Date.UTC(2025, 2, 14, 12, 0, 0)

let home: string
let store: MediaStore

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'proofsheet-media-store-'))
  store = new MediaStore({ home })
})

afterEach(async () => {
  await rm(home, { recursive: true, force: true })
})

/** Every file under the library, as library-relative paths with forward slashes. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(home, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

async function rejection(promise: Promise<unknown>): Promise<MediaError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof MediaError) return err
    throw err
  }
  throw new Error('expected the call to be refused')
}

async function expectRefused(promise: Promise<unknown>, code: MediaErrorCode): Promise<MediaError> {
  const err = await rejection(promise)
  expect(err.code).toBe(code)
  return err
}

describe('MediaStore.writeImage', () => {
  it('stores the bytes, their hash and a 384 px webp thumbnail, leaving no temp file', async () => {
    const bytes = await sampleImage('png', 1000, 500)
    const stored = await store.writeImage({ id: 'img_01', bytes, createdAt: MARCH_2025 })

    expect(stored).toEqual({
      file: 'images/2025/03/img_01.png',
      thumb: 'thumbs/2025/03/img_01.webp',
      format: 'png',
      width: 1000,
      height: 500,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    })
    const onDisk = await readFile(store.absolutePath(stored.file))
    expect(onDisk.equals(bytes)).toBe(true)

    const thumb = await sharp(store.absolutePath(stored.thumb)).metadata()
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 384, 192])
    expect(await filesUnder(home)).toEqual([stored.file, stored.thumb])
  })

  it('names a JPEG .jpg and files it by the UTC month of createdAt', async () => {
    const bytes = await sampleImage('jpeg', 300, 600)
    const newYearUtc = Date.UTC(2026, 0, 1, 0, 30)
    const stored = await store.writeImage({ id: 'j1', bytes, expectedFormat: 'jpeg', createdAt: newYearUtc })
    expect(stored.file).toBe('images/2026/01/j1.jpg')
    expect(stored.thumb).toBe('thumbs/2026/01/j1.webp')
    const thumb = await sharp(store.absolutePath(stored.thumb)).metadata()
    expect([thumb.width, thumb.height]).toEqual([192, 384])
  })

  it('does not enlarge a thumbnail of a small image, and keeps alpha', async () => {
    const bytes = await sampleImage('webp', 100, 80, { alpha: true })
    const stored = await store.writeImage({ id: 'small', bytes, createdAt: MARCH_2025 })
    const thumb = await sharp(store.absolutePath(stored.thumb)).metadata()
    expect([thumb.width, thumb.height, thumb.hasAlpha]).toEqual([100, 80, true])
  })

  it('refuses a truncated PNG and leaves nothing behind', async () => {
    const bytes = await sampleImage('png', 400, 300)
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6))
    await expectRefused(store.writeImage({ id: 'cut', bytes: cut, createdAt: MARCH_2025 }), 'truncated')
    expect(await filesUnder(home)).toEqual([])
  })

  // The thumbnail's decode is the only full decode: it must catch every cut-off format we store.
  it.each(['png', 'jpeg', 'webp'] as const)('refuses a %s cut off at 90%% or 99%% and leaves nothing behind', async (format) => {
    const bytes = await sampleImage(format, 640, 480)
    for (const share of [0.9, 0.99]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * share))
      const err = await rejection(store.writeImage({ id: 'cut', bytes: cut, expectedFormat: format, createdAt: MARCH_2025 }))
      expect(['truncated', 'not_an_image']).toContain(err.code)
      expect(await filesUnder(home)).toEqual([])
    }
  })

  it('refuses a PNG whose container is whole but whose pixel data is damaged', async () => {
    const bytes = Buffer.from(await sampleImage('png', 400, 300))
    const idat = bytes.indexOf('IDAT')
    for (let i = idat + 200; i < idat + 260; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff
    const err = await expectRefused(store.writeImage({ id: 'bad', bytes, createdAt: MARCH_2025 }), 'not_an_image')
    expect(err.message).toMatch(/damaged/)
    expect(await filesUnder(home)).toEqual([])
  })

  it('refuses bytes of another format than expected, naming both', async () => {
    const bytes = await sampleImage('jpeg', 64, 64)
    const err = await expectRefused(
      store.writeImage({ id: 'x', bytes, expectedFormat: 'png', createdAt: MARCH_2025 }),
      'format_mismatch',
    )
    expect(err.message).toMatch(/PNG/)
    expect(err.message).toMatch(/JPEG/)
    expect(await filesUnder(home)).toEqual([])
  })

  it('refuses garbage and files over the byte limit', async () => {
    await expectRefused(
      store.writeImage({ id: 'g', bytes: Buffer.from('<html>502 Bad Gateway</html>'), createdAt: MARCH_2025 }),
      'not_an_image',
    )
    const bytes = await sampleImage('png', 64, 64)
    const err = await expectRefused(
      store.writeImage({ id: 'big', bytes, createdAt: MARCH_2025, maxBytes: bytes.length - 1 }),
      'too_large',
    )
    expect(err.message).toContain(String(bytes.length - 1))
  })

  it('refuses images over the pixel limit before decoding them', async () => {
    const small = new MediaStore({ home, maxPixels: 100 * 100 })
    await expectRefused(
      small.writeImage({ id: 'p', bytes: await sampleImage('png', 101, 100), createdAt: MARCH_2025 }),
      'too_large',
    )
  })

  it('refuses an id that cannot be a file name', async () => {
    const bytes = await sampleImage('png', 8, 8)
    await expect(store.writeImage({ id: '../evil', bytes, createdAt: MARCH_2025 })).rejects.toThrow(TypeError)
    await expect(store.writeImage({ id: '', bytes, createdAt: MARCH_2025 })).rejects.toThrow(TypeError)
  })

  it('removes the image it already placed when the thumbnail cannot be written', async () => {
    // A file where the thumbnail folder should be makes the second write fail for real.
    await mkdir(join(home, 'thumbs', '2025'), { recursive: true })
    await writeFile(join(home, 'thumbs', '2025', '03'), 'in the way')
    const bytes = await sampleImage('png', 50, 50)

    const err = await expectRefused(store.writeImage({ id: 'rb', bytes, createdAt: MARCH_2025 }), 'io')
    expect(err.message).toContain('rb')
    expect(await filesUnder(home)).toEqual(['thumbs/2025/03'])
  })

  it('records the sha256 of the original as read back from disk, and keeps nothing when that read fails or comes up short', async () => {
    const bytes = await sampleImage('png', 120, 80)
    const read: string[] = []
    const reading = new MediaStore({
      home,
      hashFile: async (path) => {
        read.push(path)
        const onDisk = await readFile(path)
        return { bytes: onDisk.length, sha256: createHash('sha256').update(onDisk).digest('hex') }
      },
    })
    const stored = await reading.writeImage({ id: 'read-back', bytes, createdAt: MARCH_2025 })
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    // The temp file, before it was named: the bytes that were about to become the image.
    expect(read).toHaveLength(1)
    expect(relative(home, read[0]!).split(sep).join('/')).toMatch(/^images\/2025\/03\/\.tmp-/)

    for (const hashFile of [
      async () => Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })),
      async () => ({ bytes: bytes.length - 1, sha256: 'x'.repeat(64) }),
    ]) {
      const failing = new MediaStore({ home: join(home, 'other'), hashFile })
      const err = await expectRefused(failing.writeImage({ id: 'unhashed', bytes, createdAt: MARCH_2025 }), 'io')
      expect(err.message).toContain('unhashed')
      expect(err.message).toContain('sha256')
      expect(await filesUnder(join(home, 'other'))).toEqual([])
    }
  })

  // The original's write and fsync overlap the decode; neither file gets its final name until
  // both are durable, so a crash in between leaves only temp files the sweep removes.
  it('writes the original and the thumbnail durably before either takes its final name', async () => {
    const steps: string[] = []
    const files: MediaFiles = {
      async stage(path, data) {
        const name = relative(home, path).split(sep).join('/')
        steps.push(`stage ${name}`)
        const staged = await stageFile(path, data)
        steps.push(`durable ${name}`)
        return { ...staged, place: async () => { steps.push(`name ${name}`); await staged.place() } }
      },
      syncFolder: (dir) => syncDirectory(dir),
    }
    const watched = new MediaStore({ home, files })
    const stored = await watched.writeImage({ id: 'both', bytes: await sampleImage('png', 300, 200), createdAt: MARCH_2025 })

    const firstName = steps.findIndex((s) => s.startsWith('name '))
    expect(steps.slice(0, firstName).filter((s) => s.startsWith('durable ')).sort()).toEqual([`durable ${stored.file}`, `durable ${stored.thumb}`])
    expect(steps.slice(firstName).sort()).toEqual([`name ${stored.file}`, `name ${stored.thumb}`])
    expect(await filesUnder(home)).toEqual([stored.file, stored.thumb])
  })

  it('leaves no temp file when the decode refuses an image whose original was already being written', async () => {
    const staged: string[] = []
    const files: MediaFiles = {
      async stage(path, data) {
        staged.push(relative(home, path).split(sep).join('/'))
        return stageFile(path, data)
      },
      syncFolder: (dir) => syncDirectory(dir),
    }
    const bytes = Buffer.from(await sampleImage('png', 400, 300))
    const idat = bytes.indexOf('IDAT')
    for (let i = idat + 200; i < idat + 260; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff
    const err = await expectRefused(new MediaStore({ home, files }).writeImage({ id: 'bad', bytes, createdAt: MARCH_2025 }), 'not_an_image')
    expect(err.message).toMatch(/damaged/)
    expect(staged).toEqual(['images/2025/03/bad.png'])
    expect(await filesUnder(home)).toEqual([])
  })

  it('replaces the leftover of a crashed attempt with the same id', async () => {
    const first = await store.writeImage({ id: 'same', bytes: await sampleImage('png', 20, 20), createdAt: MARCH_2025 })
    const again = await sampleImage('png', 30, 30)
    const second = await store.writeImage({ id: 'same', bytes: again, createdAt: MARCH_2025 })
    expect(second.file).toBe(first.file)
    expect((await readFile(store.absolutePath(second.file))).equals(again)).toBe(true)
    expect(await filesUnder(home)).toEqual([first.file, first.thumb])
  })
})

describe('MediaStore.removeImage and absolutePath', () => {
  it('removes the image and its thumbnail, and ignores files already gone', async () => {
    const stored = await store.writeImage({ id: 'r', bytes: await sampleImage('png', 20, 20), createdAt: MARCH_2025 })
    await store.removeImage(stored)
    expect(await filesUnder(home)).toEqual([])
    await expect(store.removeImage(stored)).resolves.toBeUndefined()
  })

  it('resolves only paths under images/ and thumbs/', () => {
    expect(store.absolutePath('images/2025/03/a.png')).toBe(join(home, 'images', '2025', '03', 'a.png'))
    for (const bad of ['../a.png', 'images/../../a.png', '/etc/passwd', 'proofsheet.db', 'images\\..\\a.png']) {
      expect(() => store.absolutePath(bad), bad).toThrow(RangeError)
    }
  })

  it('refuses to delete outside the media folders', async () => {
    await expect(store.removeImage({ file: '../x.png', thumb: 'thumbs/2025/03/x.webp' })).rejects.toThrow(RangeError)
  })
})

describe('MediaStore.sweepOrphans', () => {
  async function place(rel: string, content = 'x'): Promise<void> {
    const abs = join(home, ...rel.split('/'))
    await mkdir(join(abs, '..'), { recursive: true })
    await writeFile(abs, content)
  }

  it('removes temp files, unknown images and thumbnails without a known image, nothing else', async () => {
    const png = await sampleImage('png', 20, 20)
    const kept = await store.writeImage({ id: 'kept', bytes: png, createdAt: MARCH_2025 })
    const lost = await store.writeImage({ id: 'lost', bytes: png, createdAt: MARCH_2025 })
    await place('images/2025/03/.tmp-half.png-1a2b3c')
    await place('thumbs/2024/12/.tmp-half.webp-4d5e6f')
    await place('thumbs/2025/04/kept.webp') // right id, wrong month: not kept's thumbnail
    await place('thumbs/2025/03/jpgknown.webp') // its image is known under .jpg
    await place('images/2025/03/notes.txt') // not our naming: left alone
    await place('images/README.md')

    const known = new Set([kept.file, 'images/2025/03/jpgknown.jpg'])
    const result = await store.sweepOrphans((rel) => known.has(rel), { minAgeMs: 0 })

    expect(result.removed).toEqual(
      [
        lost.file,
        lost.thumb,
        'images/2025/03/.tmp-half.png-1a2b3c',
        'thumbs/2024/12/.tmp-half.webp-4d5e6f',
        'thumbs/2025/04/kept.webp',
      ].sort(),
    )
    expect(await filesUnder(home)).toEqual(
      [kept.file, kept.thumb, 'images/2025/03/notes.txt', 'images/README.md', 'thumbs/2025/03/jpgknown.webp'].sort(),
    )
  })

  it('with minAgeMs 0 takes a file written this very millisecond (its mtime a fraction past now)', async () => {
    await place('images/2025/03/.tmp-now.png-abcdef')
    const now = 1_767_000_000_000
    // What a write in the same millisecond as Date.now() looks like: the mtime carries a fraction over it.
    await utimes(join(home, 'images/2025/03/.tmp-now.png-abcdef'), (now + 0.4) / 1000, (now + 0.4) / 1000)
    expect((await store.sweepOrphans(() => false, { minAgeMs: 0, now })).removed).toEqual(['images/2025/03/.tmp-now.png-abcdef'])
  })

  it('by default leaves fresh files alone, since another process may be about to commit them', async () => {
    await place('images/2025/03/.tmp-fresh.png-000000')
    const orphan = await store.writeImage({ id: 'fresh', bytes: await sampleImage('png', 8, 8), createdAt: MARCH_2025 })

    expect((await store.sweepOrphans(() => false)).removed).toEqual([])
    const later = (await stat(store.absolutePath(orphan.file))).mtimeMs + 11 * 60_000
    expect((await store.sweepOrphans(() => false, { now: later })).removed).toEqual(
      [orphan.file, orphan.thumb, 'images/2025/03/.tmp-fresh.png-000000'].sort(),
    )
  })

  it('copes with a library that has no media folders yet', async () => {
    expect(await store.sweepOrphans(() => false, { minAgeMs: 0 })).toEqual({ removed: [] })
  })
})
