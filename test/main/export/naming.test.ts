import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api'
import { fillNaming, MAX_NAME_BYTES, NameAllocator, parseNaming, promptSlug, safeFileName, type NamingValues } from '../../../src/main/core/export/naming'

const values = (over: Partial<NamingValues> = {}): NamingValues => ({
  sku: 'SKU-1001',
  name: 'Trail Runner',
  size: '2000x2000',
  source_size: '1536x1024',
  width: '2000',
  height: '2000',
  index: '007',
  provider: 'demo',
  date: '2025-03-14',
  prompt_slug: 'white-sneaker-packshot',
  output: 'shop',
  ext: 'jpg',
  ...over,
})

function refusal(template: string): ApiError {
  try {
    parseNaming(template)
  } catch (err) {
    return err as ApiError
  }
  throw new Error(`"${template}" was accepted`)
}

describe('naming templates', () => {
  it('fills every field', () => {
    const template = parseNaming('{sku}_{name}_{size}_{source_size}_{width}_{height}_{index}_{provider}_{date}_{prompt_slug}_{output}.{ext}')
    expect(fillNaming(template, values())).toBe(
      'SKU-1001_Trail Runner_2000x2000_1536x1024_2000_2000_007_demo_2025-03-14_white-sneaker-packshot_shop.jpg',
    )
  })

  it('adds the extension when the template leaves it out, and reads field names case-insensitively', () => {
    expect(fillNaming(parseNaming('{SKU}-{Size}'), values())).toBe('SKU-1001-2000x2000.jpg')
  })

  it('drops the separators around empty fields (no sku today)', () => {
    expect(fillNaming(parseNaming('{sku}-{name}-{size}.{ext}'), values({ sku: '', name: '' }))).toBe('2000x2000.jpg')
    expect(fillNaming(parseNaming('{size}_{sku}.{ext}'), values({ sku: '' }))).toBe('2000x2000.jpg')
    expect(fillNaming(parseNaming('{sku}.{ext}'), values({ sku: '' }))).toBe('image.jpg')
  })

  it('never lets a field make a folder: slashes in values become dashes', () => {
    expect(fillNaming(parseNaming('{sku}.{ext}'), values({ sku: '../../etc/passwd' }))).toBe('etc-passwd.jpg')
    expect(fillNaming(parseNaming('{name}.{ext}'), values({ name: 'a\\b/c' }))).toBe('a-b-c.jpg')
  })

  it('refuses unknown fields and broken braces, naming the field and listing the valid ones', () => {
    const unknown = refusal('{sku}-{sizee}.{ext}')
    expect(unknown.code).toBe('bad_input')
    expect(unknown.field).toBe('naming')
    expect(unknown.message).toContain('{sizee}')
    expect(unknown.fix).toContain('{prompt_slug}')
    expect(refusal('{sku-{size}').message).toMatch(/\{sku-\{size\}|never closed|unknown field/)
    expect(refusal('{sku').message).toContain('never closed')
    expect(refusal('sku}').message).toContain('"}" with no "{"')
  })
})

describe('safe file names', () => {
  it.each([
    ['a<b>c:d"e|f?g*h.png', 'a-b-c-d-e-f-g-h.png'],
    ['tab\tand\nnewline.png', 'tab and newline.png'],
    ['trailing dots... .png', 'trailing dots.png'],
    ['name. . .', 'name'],
    ['.hidden.png', 'hidden.png'],
    ['--flag.png', 'flag.png'],
    ['CON.png', '_CON.png'],
    ['con', '_con'],
    ['nul.tar.png', '_nul.tar.png'],
    ['COM1.jpg', '_COM1.jpg'],
    ['lpt9.webp', '_lpt9.webp'],
    ['console.png', 'console.png'],
    ['', 'image'],
    ['???.png', 'image.png'],
  ])('%j becomes %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected)
  })

  it('normalizes unicode to NFC, so the same name typed on macOS and Windows is one name', () => {
    const decomposed = 'cafe\u0301.png'
    expect(safeFileName(decomposed)).toBe('caf\u00e9.png')
  })

  it('keeps long names under the byte limit without splitting a character, and keeps the extension', () => {
    const long = `${'日本語'.repeat(60)}😀😀😀.png`
    const safe = safeFileName(long)
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(safe.endsWith('.png')).toBe(true)
    expect(safe).not.toContain('\ufffd')
    expect([...safe].every((c) => c.codePointAt(0)! < 0xd800 || c.codePointAt(0)! > 0xdfff)).toBe(true)
  })

  it('makes prompt slugs of lower-case words, accents folded, cut at a whole word', () => {
    expect(promptSlug('Crème brûlée on a WHITE plate, 45° angle!')).toBe('creme-brulee-on-a-white-plate-45-angle')
    expect(promptSlug('one two three four five six seven eight nine ten eleven twelve')).toBe('one-two-three-four-five-six-seven-eight-nine-ten')
    expect(promptSlug('!!!')).toBe('')
  })
})

describe('collisions', () => {
  it('suffixes -2, -3 and never hands out a name twice, whatever the case', () => {
    const names = new NameAllocator()
    expect(names.allocate('shoe.jpg')).toBe('shoe.jpg')
    expect(names.allocate('shoe.jpg')).toBe('shoe-2.jpg')
    expect(names.allocate('SHOE.jpg')).toBe('SHOE-3.jpg')
    expect(names.allocate('shoe-2.jpg')).toBe('shoe-2-2.jpg')
  })

  it('treats files already in the folder as taken', () => {
    const names = new NameAllocator(['shoe.jpg', 'shoe-2.jpg', 'Manifest.csv'])
    expect(names.allocate('shoe.jpg')).toBe('shoe-3.jpg')
    expect(names.allocate('manifest.csv')).toBe('manifest-2.csv')
    expect(names.allocate('boot.jpg')).toBe('boot.jpg')
  })
})

describe('the extension', () => {
  it('always ends the name, even when the template puts {ext} elsewhere', () => {
    expect(fillNaming(parseNaming('{ext}-{sku}'), values())).toBe('jpg-SKU-1001.jpg')
    expect(fillNaming(parseNaming('{sku}.{ext}.final'), values())).toBe('SKU-1001.jpg.final.jpg')
  })
})
