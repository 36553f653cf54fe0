import sharp from 'sharp'

export type SampleFormat = 'png' | 'jpeg' | 'webp'

/**
 * A real image encoded by sharp. Noise gives the encoders real work, so a cut-off file is cut
 * inside its pixel data rather than inside a few bytes of flat colour.
 */
export async function sampleImage(
  format: SampleFormat | 'gif' | 'tiff',
  width: number,
  height: number,
  options: { alpha?: boolean; lossless?: boolean; progressive?: boolean; exif?: boolean } = {},
): Promise<Buffer> {
  let image = sharp({
    create: {
      width,
      height,
      channels: options.alpha ? 4 : 3,
      background: { r: 40, g: 120, b: 200, alpha: 0.5 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
  if (options.alpha) image = image.ensureAlpha(0.5)
  if (options.exif) image = image.withExif({ IFD0: { Copyright: 'Proofsheet test' } })
  if (format === 'png') return image.png().toBuffer()
  if (format === 'jpeg') return image.jpeg({ progressive: options.progressive ?? false }).toBuffer()
  if (format === 'webp') return image.webp({ lossless: options.lossless ?? false }).toBuffer()
  if (format === 'gif') return image.gif().toBuffer()
  return image.tiff().toBuffer()
}

/** The four-character code of a WebP file's first chunk: which of VP8, VP8L or VP8X it uses. */
export function webpFirstChunk(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(12, 16)).toString('latin1')
}
