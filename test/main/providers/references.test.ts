import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ApiError, type ReferenceImage } from '../../../src/shared/api'
import { builtinProfiles } from '../../../src/main/core/providers/builtin-profiles'
import { createReferenceAccess } from '../../../src/main/core/media/reference-access'
import { validateReferences } from '../../../src/main/core/providers/references'
import { tempDir } from '../../helpers/temp-dir'

const profile = (id: string) => builtinProfiles.find((p) => p.id === id)!

/** The command line's rule: any local file may be named (the interface's rule is tested in reference-access.test.ts). */
const check = (p: ReturnType<typeof profile>, refs: string[], mask: string | undefined) =>
  validateReferences(p, refs.map(asFlag), mask === undefined ? undefined : asFlag(mask), createReferenceAccess('/unused', 'any'))
/** As the command line types --ref and --mask. */
const asFlag = (text: string): ReferenceImage => (/^https?:\/\//i.test(text) ? { kind: 'link', url: text } : { kind: 'file', path: text })

async function imageFile(name: string, width = 64, height = 64, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const path = join(tempDir('proofsheet-refs-'), name)
  const img = sharp({ create: { width, height, channels: 4, background: '#88aaff' } })
  writeFileSync(path, await (format === 'png' ? img.png() : img.jpeg()).toBuffer())
  return path
}

function refusal(fn: () => void): ApiError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('reference images are checked against the profile before anything is queued', () => {
  it('refuses a local file for a URL-only provider, saying it needs public URLs', async () => {
    const file = await imageFile('product.png')
    for (const id of ['toapis', 'getimg']) {
      const err = refusal(() => check(profile(id), [file], undefined))
      expect(err.field).toBe('refs')
      expect(err.message).toMatch(/needs public URLs/)
      expect(err.fix).toMatch(/https URL/)
    }
    expect(() => check(profile('toapis'), ['https://cdn.example.com/p.png'], undefined)).not.toThrow()
  })

  it('refuses a plain http link: the provider fetches references itself and needs public https links', () => {
    for (const id of ['toapis', 'getimg', 'tokenhub']) {
      const err = refusal(() => check(profile(id), ['http://cdn.example.com/p.png'], undefined))
      expect(err.code).toBe('bad_input')
      expect(err.field).toBe('refs')
      expect(err.message).toBe(`${profile(id).name} needs a public https link for a reference image; http://cdn.example.com/p.png is plain http.`)
      expect(err.fix).toMatch(/https:\/\/ address/)
    }
    expect(() => check(profile('toapis'), ['HTTPS://cdn.example.com/p.png'], undefined)).not.toThrow()
  })

  it('refuses a link for a provider that only takes files, and any reference where none are taken', () => {
    const filesOnly = { ...profile('openai'), refs: { ...profile('openai').refs!, accepts: ['file' as const] } }
    expect(refusal(() => check(filesOnly, ['https://cdn.example.com/p.png'], undefined)).message).toMatch(/files, not links/)
    expect(refusal(() => check(profile('gettoken'), ['https://cdn.example.com/p.png'], undefined)).message).toMatch(/does not take reference images/)
  })

  it('accepts a real image file and refuses zero bytes, non-images, relative paths and missing files', async () => {
    const good = await imageFile('ok.png')
    expect(() => check(profile('openai'), [good], undefined)).not.toThrow()
    const dir = tempDir('proofsheet-refs-')
    const empty = join(dir, 'empty.png')
    writeFileSync(empty, '')
    const text = join(dir, 'notes.png')
    writeFileSync(text, 'this is not an image at all')
    expect(refusal(() => check(profile('openai'), [empty], undefined)).message).toMatch(/is empty/)
    expect(refusal(() => check(profile('openai'), [text], undefined)).message).toMatch(/not a PNG, JPEG or WebP/)
    expect(refusal(() => check(profile('openai'), ['photo.png'], undefined)).message).toMatch(/not an absolute path/)
    expect(refusal(() => check(profile('openai'), [join(dir, 'missing.png')], undefined)).message).toMatch(/missing\.png does not exist\./)
  })

  it('checks the mask: PNG, same size as the first image, and only where masks are taken', async () => {
    const image = await imageFile('image.png', 64, 64)
    const mask = await imageFile('mask.png', 64, 64)
    const small = await imageFile('small.png', 32, 32)
    const jpeg = await imageFile('mask.jpg', 64, 64, 'jpeg')
    expect(() => check(profile('openai'), [image], mask)).not.toThrow()
    expect(refusal(() => check(profile('openai'), [image], small)).message).toMatch(/mask is 32x32 but the first image is 64x64/)
    expect(refusal(() => check(profile('openai'), [image], jpeg)).message).toMatch(/must be a PNG/)
    expect(refusal(() => check(profile('openai'), [], mask)).field).toBe('mask')
  })
})
