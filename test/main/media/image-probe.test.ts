import { describe, expect, it } from 'vitest'
import { probeImage } from '../../../src/main/core/media/image-probe'
import { MediaError, type MediaErrorCode } from '../../../src/main/core/media/media-error'
import { sampleImage, webpFirstChunk } from './sample-images'

function probeFailure(bytes: Uint8Array): MediaError {
  try {
    probeImage(bytes)
  } catch (err) {
    if (err instanceof MediaError) return err
    throw err
  }
  throw new Error('probeImage accepted bytes it should have refused')
}

function expectRefused(bytes: Uint8Array, code: MediaErrorCode, message?: RegExp): void {
  const err = probeFailure(bytes)
  expect(err.code).toBe(code)
  if (message) expect(err.message).toMatch(message)
}

const SIZES: [number, number][] = [
  [1, 1],
  [16, 16],
  [300, 200],
  [1024, 768],
  [17, 4099],
]

describe('probeImage on real images', () => {
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    for (const [width, height] of SIZES) {
      it(`reads a ${width}x${height} ${format}`, async () => {
        const bytes = await sampleImage(format, width, height)
        expect(probeImage(bytes)).toEqual({ format, width, height })
      })
    }
  }

  it('reads all three WebP flavours: lossy VP8, lossless VP8L, extended VP8X', async () => {
    const lossy = await sampleImage('webp', 641, 359)
    const lossless = await sampleImage('webp', 641, 359, { lossless: true })
    const withAlpha = await sampleImage('webp', 641, 359, { alpha: true })
    expect([lossy, lossless, withAlpha].map(webpFirstChunk)).toEqual(['VP8 ', 'VP8L', 'VP8X'])
    for (const bytes of [lossy, lossless, withAlpha]) {
      expect(probeImage(bytes)).toEqual({ format: 'webp', width: 641, height: 359 })
    }
  })

  it('reads a progressive JPEG with EXIF before its frame header', async () => {
    const bytes = await sampleImage('jpeg', 321, 123, { progressive: true, exif: true })
    expect(bytes[3]).toBe(0xe1) // APP1 (EXIF) comes before the SOF2 frame
    expect(probeImage(bytes)).toEqual({ format: 'jpeg', width: 321, height: 123 })
  })

  it('reads a PNG with alpha', async () => {
    const bytes = await sampleImage('png', 40, 30, { alpha: true })
    expect(probeImage(bytes)).toEqual({ format: 'png', width: 40, height: 30 })
  })

  it('accepts a Uint8Array view into a larger buffer', async () => {
    const png = await sampleImage('png', 20, 10)
    const padded = new Uint8Array(png.length + 16)
    padded.set(png, 8)
    expect(probeImage(padded.subarray(8, 8 + png.length))).toEqual({ format: 'png', width: 20, height: 10 })
  })
})

describe('probeImage refuses what is not a whole image', () => {
  it('refuses zero bytes', () => {
    expectRefused(new Uint8Array(0), 'not_an_image', /empty/)
  })

  it('refuses garbage and names what it saw', () => {
    expectRefused(Buffer.from('{"error":"rate limited"}'), 'not_an_image', /not a PNG, JPEG or WebP/)
    expectRefused(Buffer.from([0x00]), 'not_an_image')
  })

  it('never quotes the bytes it refused, in any spelling (its messages reach every door)', () => {
    const secret = Buffer.from('root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n')
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBProot'), Buffer.alloc(28)])
    for (const bytes of [secret, webp]) {
      const { message } = probeFailure(bytes)
      for (const spelling of [bytes.subarray(0, 4).toString('hex'), bytes.subarray(0, 2).toString('hex').replace(/(..)/g, '$1 ').trim(), 'root', 'salt']) {
        expect(message).not.toContain(spelling)
      }
    }
  })

  it('refuses a RIFF file that is not WebP', () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(28)])
    expectRefused(wav, 'not_an_image')
  })

  it('refuses a PNG signature followed by something else', async () => {
    const jpeg = await sampleImage('jpeg', 10, 10)
    const png = await sampleImage('png', 10, 10)
    expectRefused(Buffer.concat([png.subarray(0, 8), jpeg]), 'not_an_image', /PNG/)
  })

  for (const format of ['png', 'jpeg', 'webp'] as const) {
    it(`refuses a ${format} cut off in its header, its data, or just before its end`, async () => {
      const bytes = await sampleImage(format, 200, 150)
      for (const length of [2, 5, 11, 24, Math.floor(bytes.length / 2), bytes.length - 1]) {
        expectRefused(bytes.subarray(0, length), 'truncated', /ends after|cut off/)
      }
    })
  }

  it('refuses a PNG that declares zero width', async () => {
    const bytes = Buffer.from(await sampleImage('png', 10, 10))
    bytes.writeUInt32BE(0, 16) // IHDR width
    expectRefused(bytes, 'not_an_image', /0x10/)
  })

  it('refuses a JPEG whose frame declares zero height', async () => {
    const bytes = Buffer.from(await sampleImage('jpeg', 12, 10))
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]))
    expect(sof).toBeGreaterThan(0)
    bytes.writeUInt16BE(0, sof + 5) // SOF0: marker(2) length(2) precision(1) height(2)
    expectRefused(bytes, 'not_an_image', /12x0/)
  })

  it('refuses a JPEG that has image data but no frame header', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0xff, 0xd9])
    expectRefused(bytes, 'not_an_image', /no frame header/)
  })

  it('names formats it recognises but does not store', async () => {
    expectRefused(await sampleImage('gif', 10, 10), 'unsupported_format', /GIF/)
    expectRefused(await sampleImage('tiff', 10, 10), 'unsupported_format', /TIFF/)
  })
})
