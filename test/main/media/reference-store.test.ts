import { deflateSync } from 'node:zlib'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import { tempDir } from '../../helpers/temp-dir'

/** A PNG chunk: length, type, data, CRC (the CRC is not checked before decoding, so zeros do). */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  return Buffer.concat([length, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)])
}

/** The attack's file in small: a whole PNG container whose header claims width x height. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64 * 1024))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

async function engineAt(home: string) {
  return createEngine({
    home,
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'test' } }),
  })
}

describe('refs.import: reference images handed over by the interface', () => {
  it('stores a dropped image once by content, and the path works as a reference for a file-taking provider', async () => {
    const home = tempDir('proofsheet-refs-')
    const engine = await engineAt(home)
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#c33' } }).png().toBuffer()
    const first = await engine.router.handle('refs.import', { name: 'red shoe.png', base64: png.toString('base64') })
    expect(first).toMatchObject({ ok: true, value: { name: 'red shoe.png', format: 'png', width: 320, height: 200, bytes: png.length } })
    const again = await engine.router.handle('refs.import', { name: 'copy.png', base64: png.toString('base64') })
    const path = (first as { value: { path: string } }).value.path
    expect((again as { value: { path: string } }).value.path).toBe(path)
    expect(readdirSync(join(home, 'refs'))).toHaveLength(1)
    expect(statSync(path).size).toBe(png.length)

    const queued = await engine.router.handle('jobs.generate', {
      provider: 'openai',
      prompt: 'the same shoe on marble',
      sizes: [{ width: 1024, height: 1024 }],
      refs: [{ kind: 'stored', path }],
      key: { keyEnv: 'OPENAI_API_KEY' },
    })
    expect(queued).toMatchObject({ ok: true })
    await engine.close()
  })

  it('refuses a reference with more pixels than any provider uses, from its header alone, and writes nothing', async () => {
    const home = tempDir('proofsheet-refs-')
    const engine = await engineAt(home)
    // The reported attack declared 16384x16384; 7169x7168 is the first square past the cap.
    for (const [width, height] of [[16384, 16384], [7169, 7168], [1, 51_380_225]] as const) {
      const result = await engine.router.handle('refs.import', { name: 'huge.png', base64: pngDeclaring(width, height).toString('base64') })
      expect(result, `${width}x${height}`).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'base64' } })
      const error = (result as { error: { message: string; fix: string } }).error
      // The size is the complaint, not a decoding failure: nothing was decoded.
      expect(error.message).toContain(`huge.png is too large to use as a reference: its header declares ${width}x${height} pixels`)
      expect(error.message).toContain('51,380,224 pixels')
      expect(error.fix).toContain('50 megapixels')
    }
    expect(existsSync(join(home, 'refs'))).toBe(false)
    await engine.close()
  })

  it('takes a real camera-sized photo (6000x4000, 24 MP) and refuses a real one past the cap', async () => {
    const home = tempDir('proofsheet-refs-')
    const engine = await engineAt(home)
    const solid = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: '#ddd' } }).png({ compressionLevel: 9 }).toBuffer()
    const photo = await engine.router.handle('refs.import', { name: 'camera.png', base64: (await solid(6000, 4000)).toString('base64') })
    expect(photo).toMatchObject({ ok: true, value: { width: 6000, height: 4000 } })
    const past = await engine.router.handle('refs.import', { name: 'past.png', base64: (await solid(7169, 7168)).toString('base64') })
    expect(past).toMatchObject({ ok: false, error: { field: 'base64', message: expect.stringContaining('too large') } })
    expect(readdirSync(join(home, 'refs'))).toHaveLength(1)
    await engine.close()
  })

  it('refuses bytes that are not an image, naming the file, and writes nothing', async () => {
    const home = tempDir('proofsheet-refs-')
    const engine = await engineAt(home)
    const result = await engine.router.handle('refs.import', { name: 'notes.txt', base64: Buffer.from('just some text').toString('base64') })
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'base64' } })
    expect((result as { error: { message: string } }).error.message).toMatch(/notes\.txt is not a PNG, JPEG or WebP/)
    expect(() => readdirSync(join(home, 'refs'))).toThrow()
    await engine.close()
  })
})
