import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { probeImage } from '../../../src/main/core/media/image-probe'
import { renderDemoImage } from '../../../src/main/core/providers/demo-render'

const FORMATS = ['png', 'jpeg', 'webp'] as const

async function expectImage(bytes: Buffer, format: string, width: number, height: number): Promise<void> {
  const meta = await sharp(bytes).metadata()
  expect([meta.format, meta.width, meta.height]).toEqual([format, width, height])
  expect(probeImage(bytes)).toEqual({ format, width, height })
}

const LONG_UNICODE_PROMPT =
  'Ünïcødé <b>&amp;</b> "quoted" \'apostrophes\' <&> ]]> <!-- --> 漢字とかなのテスト 한국어 😀👩‍👩‍👧 ' +
  'مرحبا بالعالم — a white-background packshot of a ceramic mug with soft shadows, '.repeat(400) +
  '\u0007 bell, \uD800 lone surrogate, \uFFFF non-character, tab\tand\nnewline'

describe('renderDemoImage', () => {
  for (const format of FORMATS) {
    for (const [width, height] of [
      [16, 16],
      [1024, 768],
      [333, 999],
    ] as const) {
      it(`renders a ${width}x${height} ${format} at exactly that size`, async () => {
        const bytes = await renderDemoImage({ width, height, format, prompt: 'A red sneaker on white' })
        await expectImage(bytes, format, width, height)
      })
    }

    it(`renders a very long unicode prompt with markup characters as ${format}`, async () => {
      const bytes = await renderDemoImage({ width: 640, height: 480, format, prompt: LONG_UNICODE_PROMPT, seed: 's' })
      await expectImage(bytes, format, 640, 480)
    })
  }

  it('draws a reference image as an inset in the top-left corner, keeping size and format', async () => {
    const red = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ff0000' } }).png().toBuffer()
    for (const format of FORMATS) {
      const bytes = await renderDemoImage({ width: 800, height: 600, format, prompt: 'A mug', seed: 's', reference: red })
      await expectImage(bytes, format, 800, 600)
      // The inset sits a 4% margin in, a quarter of the short side wide: its centre is pure red.
      const { data } = await sharp(bytes).extract({ left: 24 + 40, top: 24 + 20, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true })
      expect(data[0]).toBeGreaterThan(230)
      expect(data[1]).toBeLessThan(30)
      const plain = await renderDemoImage({ width: 800, height: 600, format, prompt: 'A mug', seed: 's' })
      expect(plain.equals(bytes)).toBe(false)
    }
  })

  it('renders 4096 x 4096', async () => {
    const bytes = await renderDemoImage({ width: 4096, height: 4096, format: 'png', prompt: LONG_UNICODE_PROMPT })
    await expectImage(bytes, 'png', 4096, 4096)
  })

  it('renders a very wide and a very tall strip', async () => {
    await expectImage(await renderDemoImage({ width: 4096, height: 16, format: 'jpeg', prompt: 'wide' }), 'jpeg', 4096, 16)
    await expectImage(await renderDemoImage({ width: 16, height: 4096, format: 'webp', prompt: 'tall' }), 'webp', 16, 4096)
  })

  it('gives a transparent background real alpha in png and webp, and none otherwise', async () => {
    for (const format of ['png', 'webp'] as const) {
      const bytes = await renderDemoImage({ width: 200, height: 100, format, prompt: 'sticker', background: 'transparent' })
      const stats = await sharp(bytes).stats()
      expect(stats.channels).toHaveLength(4)
      expect(stats.channels[3]?.min).toBeLessThan(255)
    }
    const opaque = await renderDemoImage({ width: 200, height: 100, format: 'png', prompt: 'x', background: 'opaque' })
    expect((await sharp(opaque).metadata()).hasAlpha).toBe(false)
    const jpeg = await renderDemoImage({ width: 200, height: 100, format: 'jpeg', prompt: 'x', background: 'transparent' })
    await expectImage(jpeg, 'jpeg', 200, 100)
  })

  it('is deterministic for a prompt and seed, and the seed changes the colours', async () => {
    const render = (seed: string): Promise<Buffer> =>
      renderDemoImage({ width: 64, height: 64, format: 'png', prompt: 'same prompt', seed })
    const [a, b, c] = await Promise.all([render('1'), render('1'), render('2')])
    expect(a.equals(b)).toBe(true)
    expect(a.equals(c)).toBe(false)
  })

  it('refuses sizes it cannot render', async () => {
    for (const [width, height] of [
      [0, 10],
      [10, 1.5],
      [20000, 10],
    ]) {
      await expect(renderDemoImage({ width: width ?? 0, height: height ?? 0, format: 'png', prompt: 'x' })).rejects.toThrow(
        RangeError,
      )
    }
  })
})
