import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import { tempDir } from '../../helpers/temp-dir'

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
      refs: [path],
      key: { keyEnv: 'OPENAI_API_KEY' },
    })
    expect(queued).toMatchObject({ ok: true })
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
