import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createMediaHandler,
  handleMediaProtocol,
  MEDIA_SCHEME_DEFINITION,
  registerMediaScheme,
} from '../../../src/main/electron/media-protocol'
import { OUTSIDE_SECRET, plantEscapes, traversalAttempts } from '../../web/traversal-attempts'

// A real library folder on disk and the real resolveLibraryFile: only Electron's protocol is faked.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
let root: string
let home: string
let handler: (request: Request) => Promise<Response>

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'proofsheet-media-'))
  home = join(root, 'library')
  await mkdir(join(home, 'images', '2026', '11'), { recursive: true })
  await mkdir(join(home, 'thumbs', '2026', '11'), { recursive: true })
  await writeFile(join(home, 'images', '2026', '11', 'x.png'), PNG)
  await writeFile(join(home, 'thumbs', '2026', '11', 'x.webp'), 'RIFF....WEBP')
  await writeFile(join(home, 'proofsheet.db'), 'SQLite format 3\0 secret')
  await writeFile(join(root, 'outside.png'), 'outside')
  await symlink(join(root, 'outside.png'), join(home, 'images', '2026', '11', 'link.png'))
  await symlink(join(home, 'proofsheet.db'), join(home, 'images', '2026', '11', 'db.png'))
  handler = createMediaHandler({ home })
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const get = (url: string, method = 'GET') => handler(new Request(url, { method }))

describe('media protocol handler', () => {
  it('serves a library image with its type, length and nosniff', async () => {
    const res = await get('proofsheet-media://library/images/2026/11/x.png')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-length')).toBe(String(PNG.length))
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  })

  it('serves thumbnails and answers HEAD without a body', async () => {
    const res = await get('proofsheet-media://library/thumbs/2026/11/x.webp', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/webp')
    expect(await res.text()).toBe('')
  })

  it('answers 404 for anything outside images/ and thumbs/', async () => {
    for (const url of [
      'proofsheet-media://library/proofsheet.db',
      'proofsheet-media://library/..%2F..%2Fetc%2Fpasswd',
      'proofsheet-media://library/images/..%2F..%2Foutside.png',
      'proofsheet-media://library/images/2026/11/link.png',
      'proofsheet-media://library/images/2026/11/db.png',
      'proofsheet-media://library/images/2026/11/missing.png',
      'proofsheet-media://library/images/2026/11',
      'proofsheet-media://other/images/2026/11/x.png',
    ]) {
      const res = await get(url)
      expect(res.status, url).toBe(404)
      expect(await res.text(), url).toBe('Not found')
    }
  })

  it('refuses every traversal, encoding trick and symlink escape in the shared list', async () => {
    const escapes = await mkdtemp(join(tmpdir(), 'proofsheet-media-escapes-'))
    try {
      const library = join(escapes, 'home')
      const secret = await plantEscapes(escapes, library)
      await writeFile(join(library, 'images', 'a.png'), PNG)
      const guarded = createMediaHandler({ home: library })
      // The control: the same handler does serve a real image of this library.
      expect((await guarded(new Request('proofsheet-media://library/images/a.png'))).status).toBe(200)
      for (const attempt of traversalAttempts(secret)) {
        const url = `proofsheet-media://library/${attempt}`
        const res = await guarded(new Request(url))
        expect(res.status, url).toBe(404)
        expect(await res.text(), url).not.toContain(OUTSIDE_SECRET)
      }
      // And the list bites: with a resolver that only joins paths, the symlinked folders leak the
      // secret (symlinked files are still stopped by the handler's own O_NOFOLLOW open).
      const naive = createMediaHandler({ home: library, resolveFile: async (home, rel) => join(home, rel) })
      const leaked: string[] = []
      for (const attempt of traversalAttempts(secret)) {
        const res = await naive(new Request(`proofsheet-media://library/${attempt}`))
        if ((await res.text()).includes(OUTSIDE_SECRET)) leaked.push(attempt)
      }
      expect(leaked).toEqual(['images/linked/x.png', 'thumbs/x.png'])
    } finally {
      await rm(escapes, { recursive: true, force: true })
    }
  })

  it('never serves a path the resolver did not return', async () => {
    const seen: string[] = []
    const guarded = createMediaHandler({
      home,
      resolveFile: async (_home, rel) => {
        seen.push(rel)
        return null
      },
    })
    const res = await guarded(new Request('proofsheet-media://library/images/2026/11/x.png'))
    expect(res.status).toBe(404)
    expect(seen).toEqual(['images/2026/11/x.png'])
  })

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('proofsheet-media://library/images/2026/11/x.png', 'POST')).status).toBe(405)
  })

  it('registers the scheme as standard, secure and fetchable, and handles it', () => {
    const registered: unknown[] = []
    registerMediaScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) })
    expect(registered).toEqual([MEDIA_SCHEME_DEFINITION])
    expect(MEDIA_SCHEME_DEFINITION).toEqual({
      scheme: 'proofsheet-media',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    })

    const handled = new Map<string, unknown>()
    const undo = handleMediaProtocol(
      { handle: (scheme, fn) => void handled.set(scheme, fn), unhandle: (scheme) => void handled.delete(scheme) },
      { home },
    )
    expect([...handled.keys()]).toEqual(['proofsheet-media'])
    undo()
    expect(handled.size).toBe(0)
  })
})
