/**
 * Real images for the fake providers: encoded by sharp at the size a request implies, so a client
 * can check what it downloaded. Renders are cached per process by (width, height, format, alpha),
 * so a suite that asks for the same size a hundred times pays once. The corruptions that payload
 * faults need (truncated, invalid base64, not an image) are made here too, from the real bytes.
 */
import sharp from 'sharp'
import type { PixelSize } from './sizes'

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp'] as const
export type ImageFormat = (typeof IMAGE_FORMATS)[number]

export const MIME: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
}

export interface ImageJob extends PixelSize {
  format: ImageFormat
  /** A transparent background: rendered with an alpha channel (png and webp only). */
  alpha: boolean
  count: number
}

export interface ProducedImage extends PixelSize {
  format: ImageFormat
  mime: string
  /** What a client gets when it downloads the image (possibly corrupted by a fault). */
  bytes: Buffer
  /** What a base64 reply carries (possibly corrupted by a fault). */
  base64: string
}

export type PayloadFault = 'truncated-base64' | 'invalid-base64' | 'not-an-image' | 'empty-data' | 'stream-cut'

const cache = new Map<string, Promise<Buffer>>()

export function renderImage(size: PixelSize, format: ImageFormat, alpha = false): Promise<Buffer> {
  const key = `${size.width}x${size.height}.${format}${alpha ? '+alpha' : ''}`
  let image = cache.get(key)
  if (!image) {
    image = encode(size, format, alpha)
    cache.set(key, image)
    image.catch(() => cache.delete(key))
  }
  return image
}

/** A gradient with a coarse check, so the encoders have real content and a cut lands in pixel data. */
async function encode({ width, height }: PixelSize, format: ImageFormat, alpha: boolean): Promise<Buffer> {
  const channels = alpha ? 4 : 3
  const raw = Buffer.alloc(width * height * channels)
  for (let y = 0; y < height; y++) {
    const green = Math.floor((y * 255) / height)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels
      raw[i] = Math.floor((x * 255) / width)
      raw[i + 1] = green
      raw[i + 2] = ((x >> 6) + (y >> 6)) % 2 === 0 ? 200 : 60
      if (alpha) raw[i + 3] = x < width / 2 ? 0 : 255
    }
  }
  const image = sharp(raw, { raw: { width, height, channels } })
  if (format === 'png') return image.png().toBuffer()
  if (format === 'jpeg') return image.jpeg({ quality: 80 }).toBuffer()
  return image.webp({ quality: 80 }).toBuffer()
}

/** Bytes that are no image of any kind: what a misbehaving upstream might hand back. */
export const NOT_AN_IMAGE = Buffer.from('{"note":"these bytes are not an image"}\n')

/** Keeps the first half, cut on a 4-character boundary so it is still valid base64. */
export function truncateBase64(base64: string): string {
  const keep = Math.max(4, Math.floor(base64.length / 2 / 4) * 4)
  return base64.slice(0, keep)
}

/** Characters outside the base64 alphabet in the middle (lenient decoders skip them silently). */
export function corruptBase64(base64: string): string {
  const middle = Math.floor(base64.length / 2 / 4) * 4
  return `${base64.slice(0, middle)}!!*%~~ not base64 ~~%*!!${base64.slice(middle)}`
}

export function truncateBytes(bytes: Buffer): Buffer {
  return bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)))
}

/** Renders `job.count` images and applies a payload fault to all of them. */
export async function produceImages(job: ImageJob, fault: PayloadFault | null): Promise<ProducedImage[]> {
  if (fault === 'empty-data') return []
  const bytes = await renderImage(job, job.format, job.alpha)
  const one = (): ProducedImage => {
    const base = { width: job.width, height: job.height, format: job.format, mime: MIME[job.format] }
    switch (fault) {
      case 'truncated-base64': {
        const cut = truncateBytes(bytes)
        return { ...base, bytes: cut, base64: truncateBase64(bytes.toString('base64')) }
      }
      case 'invalid-base64':
        return { ...base, bytes, base64: corruptBase64(bytes.toString('base64')) }
      case 'not-an-image':
        return { ...base, bytes: NOT_AN_IMAGE, base64: NOT_AN_IMAGE.toString('base64') }
      case 'stream-cut': // cut in transit, not in the image (see http-io.ts)
      case null:
        return { ...base, bytes, base64: bytes.toString('base64') }
    }
  }
  return Array.from({ length: job.count }, one)
}

export function dataUri(image: ProducedImage): string {
  return `data:${image.mime};base64,${image.base64}`
}

export interface ProbedImage extends PixelSize {
  format: ImageFormat
}

/** What an uploaded file really is (by its bytes, not its declared type), or null if not png/jpeg/webp. */
export async function probeUpload(bytes: Buffer): Promise<ProbedImage | null> {
  try {
    const meta = await sharp(bytes).metadata()
    const format = meta.format
    if ((format === 'png' || format === 'jpeg' || format === 'webp') && meta.width && meta.height) {
      return { format, width: meta.width, height: meta.height }
    }
    return null
  } catch {
    return null
  }
}

const DATA_URI = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]+={0,2})$/

/** The bytes of a `data:image/...;base64,...` URI whose base64 is strict, or null. */
export function decodeDataUri(text: string): Buffer | null {
  const match = DATA_URI.exec(text)
  if (!match || !match[2] || match[2].length % 4 !== 0) return null
  return Buffer.from(match[2], 'base64')
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}
