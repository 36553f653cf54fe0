import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mimeTypeFor, parseMediaPath, resolveLibraryFile } from '../../../src/main/core/media/library-path'

let root: string
let home: string
let outside: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'proofsheet-library-path-'))
  home = join(root, 'library')
  outside = join(root, 'outside')
  await mkdir(join(home, 'images', '2025', '03'), { recursive: true })
  await mkdir(join(home, 'thumbs', '2025', '03'), { recursive: true })
  await mkdir(outside, { recursive: true })
  await writeFile(join(home, 'images', '2025', '03', 'a.png'), 'png bytes')
  await writeFile(join(home, 'thumbs', '2025', '03', 'a.webp'), 'webp bytes')
  await writeFile(join(home, 'images', '2025', '03', '.tmp-a.png-123456'), 'half written')
  await writeFile(join(home, 'proofsheet.db'), 'the database')
  await writeFile(join(outside, 'secret.png'), 'not yours')
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('resolveLibraryFile', () => {
  it('returns the real path of an image and of a thumbnail', async () => {
    expect(await resolveLibraryFile(home, 'images/2025/03/a.png')).toBe(
      await realpath(join(home, 'images', '2025', '03', 'a.png')),
    )
    expect(await resolveLibraryFile(home, 'thumbs/2025/03/a.webp')).toBe(
      await realpath(join(home, 'thumbs', '2025', '03', 'a.webp')),
    )
  })

  it('works when the library folder itself is reached through a symlink', async () => {
    const linkedHome = join(root, 'linked-library')
    await symlink(home, linkedHome)
    expect(await resolveLibraryFile(linkedHome, 'images/2025/03/a.png')).toBe(
      await realpath(join(home, 'images', '2025', '03', 'a.png')),
    )
  })

  const refused: [string, string][] = [
    ['parent traversal', '../outside/secret.png'],
    ['traversal after a media folder', 'images/../proofsheet.db'],
    ['deep traversal', 'images/2025/03/../../../../outside/secret.png'],
    ['a dot segment', 'images/./2025/03/a.png'],
    ['an absolute path', '/etc/passwd'],
    ['a percent-encoded traversal left encoded', 'images/%2e%2e/proofsheet.db'],
    ['an encoded slash traversal left encoded', 'images/..%2f..%2fproofsheet.db'],
    ['a double-encoded traversal', 'images/%252e%252e/proofsheet.db'],
    ['backslash traversal', 'images\\..\\proofsheet.db'],
    ['a backslash inside a segment', 'images/2025\\03/a.png'],
    ['a drive letter', 'C:/Windows/win.ini'],
    ['a UNC path', '//server/share/a.png'],
    ['a NUL byte', 'images/2025/03/a.png\0.webp'],
    ['an empty segment', 'images//2025/03/a.png'],
    ['a trailing slash', 'images/2025/03/'],
    ['a file outside images/ and thumbs/', 'proofsheet.db'],
    ['another folder', 'exports/a.png'],
    ['a bare media folder', 'images'],
    ['a half-written temp file', 'images/2025/03/.tmp-a.png-123456'],
    ['a missing file', 'images/2025/03/missing.png'],
    ['a directory', 'images/2025/03'],
    ['the empty string', ''],
  ]
  for (const [what, rel] of refused) {
    it(`refuses ${what}`, async () => {
      expect(await resolveLibraryFile(home, rel)).toBeNull()
    })
  }

  it('refuses the absolute path of a real library file', async () => {
    expect(await resolveLibraryFile(home, join(home, 'images', '2025', '03', 'a.png'))).toBeNull()
  })

  it('refuses a symlink in images/ that points outside the library', async () => {
    await symlink(join(outside, 'secret.png'), join(home, 'images', '2025', '03', 'escape.png'))
    expect(await resolveLibraryFile(home, 'images/2025/03/escape.png')).toBeNull()
  })

  it('serves a stored reference from refs/, and refuses a link there that leads out or to the database', async () => {
    await mkdir(join(home, 'refs'))
    await writeFile(join(home, 'refs', 'ab12.png'), 'reference bytes')
    expect(await resolveLibraryFile(home, 'refs/ab12.png')).toBe(await realpath(join(home, 'refs', 'ab12.png')))
    await symlink(join(outside, 'secret.png'), join(home, 'refs', 'escape.png'))
    await symlink(join(home, 'proofsheet.db'), join(home, 'refs', 'db.png'))
    expect(await resolveLibraryFile(home, 'refs/escape.png')).toBeNull()
    expect(await resolveLibraryFile(home, 'refs/db.png')).toBeNull()
  })

  it('refuses a symlink in images/ that points at the database inside the library', async () => {
    await symlink(join(home, 'proofsheet.db'), join(home, 'images', '2025', '03', 'db.png'))
    expect(await resolveLibraryFile(home, 'images/2025/03/db.png')).toBeNull()
  })

  it('refuses a symlinked month folder that leads outside', async () => {
    await symlink(outside, join(home, 'images', '2025', '04'))
    expect(await resolveLibraryFile(home, 'images/2025/04/secret.png')).toBeNull()
  })

  it('refuses when images/ itself is a link out of the library', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'proofsheet-elsewhere-'))
    try {
      await writeFile(join(elsewhere, 'a.png'), 'x')
      await rm(join(home, 'thumbs'), { recursive: true })
      await symlink(elsewhere, join(home, 'thumbs'))
      expect(await resolveLibraryFile(home, 'thumbs/a.png')).toBeNull()
    } finally {
      await rm(elsewhere, { recursive: true, force: true })
    }
  })

  it('returns null for a library folder that does not exist', async () => {
    expect(await resolveLibraryFile(join(root, 'nope'), 'images/2025/03/a.png')).toBeNull()
  })
})

describe('parseMediaPath', () => {
  it('splits a media path into its segments', () => {
    expect(parseMediaPath('thumbs/2025/03/x_1-a.webp')).toEqual(['thumbs', '2025', '03', 'x_1-a.webp'])
    expect(parseMediaPath('images/../x.png')).toBeNull()
  })
})

describe('mimeTypeFor', () => {
  it('names the image types we store, whatever the case, and nothing else', () => {
    expect(mimeTypeFor('/lib/images/2025/03/a.png')).toBe('image/png')
    expect(mimeTypeFor('a.JPG')).toBe('image/jpeg')
    expect(mimeTypeFor('a.jpeg')).toBe('image/jpeg')
    expect(mimeTypeFor('thumbs/a.webp')).toBe('image/webp')
    expect(mimeTypeFor('a.svg')).toBe('application/octet-stream')
    expect(mimeTypeFor('a')).toBe('application/octet-stream')
  })
})
