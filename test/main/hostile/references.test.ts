/**
 * Reference files that are not what they claim, through both ways a reference reaches the engine:
 * bytes dropped on the interface (`refs.import`) and a path in a request (`jobs.generate` refs,
 * the CLI's --ref, through an engine opened as the CLI opens it). Each is refused before anything
 * is stored or queued, naming the field. What the interface doors may name is in
 * test/web/reference-paths.test.ts.
 */
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCleanRefusal, librarySnapshot, useSharedEngine, type Refusal, type Send } from '../../helpers/hostile'

const library = useSharedEngine()
const send: Send = (name, input) => library.engine.router.handle(name, input)
/** The command line's engine: the user's own shell may name any local file. */
const cliLibrary = useSharedEngine({ localReferencePaths: 'any' })
const sendFromCli: Send = (name, input) => cliLibrary.engine.router.handle(name, input)

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body) >>> 0)
  return Buffer.concat([length, body, crc])
}

/** A whole, well-formed PNG container that declares width x height over `pixelData`. */
function pngDeclaring(width: number, height: number, pixelData: Buffer): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', pixelData), chunk('IEND', Buffer.alloc(0))])
}

let goodPng: Buffer
const bytes: Record<string, Buffer> = {}
let fixtures = ''
const path = (name: string): string => join(fixtures, name)

beforeAll(async () => {
  goodPng = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#3a6' } }).png().toBuffer()
  const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 251))
  Object.assign(bytes, {
    text: Buffer.from('name,price\nmug,4.50\n'),
    empty: Buffer.alloc(0),
    pngThenGarbage: Buffer.concat([goodPng.subarray(0, 33), garbage]),
    jpegThenGarbage: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), garbage]),
    // 74 bytes that claim 2.5 billion pixels: a decompression bomb by its header.
    bomb: pngDeclaring(50_000, 50_000, deflateSync(Buffer.alloc(1000))),
    // Every chunk in order and its CRC right, but the pixel data is not zlib at all.
    badPixels: pngDeclaring(64, 64, garbage),
    gif: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'),
  })
  fixtures = mkdtempSync(join(tmpdir(), 'proofsheet-hostile-refs-'))
  for (const [name, data] of Object.entries(bytes)) writeFileSync(path(name), data)
  writeFileSync(path('good.png'), goodPng)
  symlinkSync('/etc/passwd', path('passwd.png'))
  // Sparse: 60 MB by its size, nothing on disk; the limit is checked before a byte is read.
  writeFileSync(path('huge.png'), goodPng)
  truncateSync(path('huge.png'), 60 * 1024 * 1024)
})
afterAll(() => rmSync(fixtures, { recursive: true, force: true }))

const demoWithRef = (ref: string) => ({ provider: 'demo', prompt: 'the mug on marble', sizes: [{ width: 64, height: 64 }], refs: [{ kind: 'file', path: ref }] })

interface Row {
  what: string
  name: string
  input: () => unknown
  want: Refusal
}

const imported = (file: string, data: () => Buffer): (() => unknown) => () => ({ name: file, base64: data().toString('base64') })

const rows: Row[] = [
  // Dropped on the interface: refs.import.
  { what: 'a text file', name: 'refs.import', input: imported('prices.csv', () => bytes.text!), want: { field: 'base64', says: /prices\.csv is not a PNG, JPEG or WebP/ } },
  { what: 'a PNG header followed by garbage', name: 'refs.import', input: imported('a.png', () => bytes.pngThenGarbage!), want: { field: 'base64', says: /damaged|cut off/ } },
  { what: 'a JPEG header followed by garbage', name: 'refs.import', input: imported('a.jpg', () => bytes.jpegThenGarbage!), want: { field: 'base64' } },
  { what: 'a whole PNG container whose pixels are garbage', name: 'refs.import', input: imported('pixels.png', () => bytes.badPixels!), want: { field: 'base64', says: /pixels\.png cannot be used/ } },
  { what: 'a small PNG declaring 50000x50000 pixels', name: 'refs.import', input: imported('bomb.png', () => bytes.bomb!), want: { field: 'base64', says: /50000x50000/ } },
  { what: 'a GIF', name: 'refs.import', input: imported('anim.gif', () => bytes.gif!), want: { field: 'base64', says: /GIF/ } },
  { what: 'zero bytes', name: 'refs.import', input: () => ({ name: 'empty.png', base64: '' }), want: { field: 'base64' } },
  { what: 'text that is not base64', name: 'refs.import', input: () => ({ name: 'x.png', base64: '!!!!' }), want: { field: 'base64', says: /base64/ } },
  { what: 'a data: URL instead of bare base64', name: 'refs.import', input: () => ({ name: 'x.png', base64: `data:image/png;base64,${goodPng.toString('base64')}` }), want: { field: 'base64', says: /data: prefix/ } },
  { what: 'base64 over the 50 MB limit', name: 'refs.import', input: () => ({ name: 'big.png', base64: 'A'.repeat(70_000_000) }), want: { field: 'base64', says: /over 50 MB/ } },
  { what: 'a name of 300 characters', name: 'refs.import', input: imported(`${'n'.repeat(296)}.png`, () => goodPng), want: { field: 'name' } },
  { what: 'a name of only spaces', name: 'refs.import', input: imported('   ', () => goodPng), want: { field: 'name' } },
  // A path in a request: jobs.generate refs (what --ref sends).
  { what: 'a path to a text file', name: 'jobs.generate', input: () => demoWithRef(path('text')), want: { field: 'refs', says: /not a PNG, JPEG or WebP/ } },
  { what: 'a path to a zero-byte file', name: 'jobs.generate', input: () => demoWithRef(path('empty')), want: { field: 'refs', says: /empty/ } },
  { what: 'a path to a PNG header and garbage', name: 'jobs.generate', input: () => demoWithRef(path('pngThenGarbage')), want: { field: 'refs' } },
  { what: 'a path to a decompression bomb', name: 'jobs.generate', input: () => demoWithRef(path('bomb')), want: { field: 'refs', says: /50000x50000/ } },
  { what: 'a path to a file over the provider limit', name: 'jobs.generate', input: () => demoWithRef(path('huge.png')), want: { field: 'refs', says: /60\.0 MB; the limit is 50 MB/ } },
  { what: 'a symlink to /etc/passwd', name: 'jobs.generate', input: () => demoWithRef(path('passwd.png')), want: { field: 'refs', says: /not a PNG, JPEG or WebP/ } },
  { what: 'a relative path with ../', name: 'jobs.generate', input: () => demoWithRef('../../etc/passwd'), want: { field: 'refs', says: /not an absolute path/ } },
  { what: 'an absolute path to a folder', name: 'jobs.generate', input: () => demoWithRef('/etc'), want: { field: 'refs', says: /not a file/ } },
  { what: 'an absolute path that does not exist', name: 'jobs.generate', input: () => demoWithRef(path('missing ünïcødé 画像.png')), want: { field: 'refs', says: /画像\.png does not exist/ } },
  { what: 'a path of 5,000 characters', name: 'jobs.generate', input: () => demoWithRef(`/${'d'.repeat(5000)}.png`), want: { field: 'refs' } },
  { what: 'a path through a file', name: 'jobs.generate', input: () => demoWithRef(join(path('good.png'), 'inside.png')), want: { field: 'refs' } },
  { what: 'an empty reference', name: 'jobs.generate', input: () => demoWithRef(''), want: { field: /^refs/ } },
]

describe('hostile reference files: refused before anything is stored or queued', () => {
  it.each(rows)('$what ($name): a clear error, nothing written, still working', async ({ name, input, want }) => {
    // A path in a request is the command line's way; the interface's is refs.import.
    if (name === 'jobs.generate') await expectCleanRefusal(cliLibrary.home, sendFromCli, name, input(), want)
    else await expectCleanRefusal(library.home, send, name, input(), want)
  })

  it('takes a real image whose name has ../, unicode or a path in it, and stores it by content under refs/', async () => {
    const before = librarySnapshot(library.home)
    for (const name of ['../../etc/cron.d/evil.png', '/etc/passwd', 'ünïcødé 画像 🎨.png', `${'ü'.repeat(250)}.png`]) {
      const result = await send('refs.import', { name, base64: goodPng.toString('base64') })
      expect(result).toMatchObject({ ok: true, value: { name, format: 'png', width: 48, height: 32 } })
      const stored = (result as { value: { path: string } }).value.path
      expect(stored.startsWith(join(library.home, 'refs') + '/')).toBe(true)
      expect(stored).toMatch(/\/refs\/[0-9a-f]{64}\.png$/)
    }
    // The same bytes under four names are one file; no database row is written for a reference.
    const after = librarySnapshot(library.home)
    expect(after.rows).toEqual(before.rows)
    expect(after.files.filter((f) => !before.files.includes(f))).toEqual([expect.stringMatching(/^refs\/[0-9a-f]{64}\.png$/)])
  })
})
