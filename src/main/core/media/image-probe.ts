/**
 * Reads an image's format and pixel size from its own bytes. Providers, users and request fields
 * all make claims about an image; only the bytes are believed. This is a header check plus a cheap
 * "is the container complete" check, not a decode: callers that store an image must still decode it.
 * Its messages describe the bytes (format, size, where a file is cut off) but never quote them.
 */
import { MediaError } from './media-error'

export type ImageFormat = 'png' | 'jpeg' | 'webp'

export interface ImageProbe {
  format: ImageFormat
  width: number
  height: number
}

const FORMAT_NAME: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' }

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
const JPEG_SOI = Uint8Array.of(0xff, 0xd8, 0xff)
const JPEG_EOI = Uint8Array.of(0xff, 0xd9)

/**
 * Throws a MediaError: `not_an_image` (empty, garbage, damaged header, zero width or height),
 * `unsupported_format` (a GIF, TIFF, AVIF... we recognise but do not store) or `truncated`.
 */
export function probeImage(bytes: Uint8Array): ImageProbe {
  if (bytes.length === 0) {
    throw new MediaError('not_an_image', 'The file is empty (0 bytes), so it is not an image.')
  }
  if (startsWith(bytes, PNG_SIGNATURE)) return probePng(bytes)
  if (startsWith(bytes, JPEG_SOI)) return probeJpeg(bytes)
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return probeWebp(bytes)
  }
  if (isCutInsideSignature(bytes)) {
    throw new MediaError(
      'truncated',
      `The file ends after ${bytes.length} byte(s), before its image signature is complete.`,
    )
  }
  const other = recogniseUnsupported(bytes)
  if (other !== undefined) {
    throw new MediaError(
      'unsupported_format',
      `This is a ${other} image; Proofsheet stores PNG, JPEG or WebP only.`,
    )
  }
  // No bytes of the file go into the message: it reaches doors that must not read the disk through it.
  throw new MediaError('not_an_image', 'The bytes are not a PNG, JPEG or WebP image.')
}

/**
 * The most pixels an image we take in may declare. A 74-byte PNG can claim 50000x50000; decoding
 * it (for a thumbnail, an upload, a placeholder) would need gigabytes, so the header is enough to
 * refuse it. 16384 px a side is beyond every provider's largest size.
 */
export const MAX_IMAGE_PIXELS = 16384 * 16384

/**
 * The most pixels a reference image may have: about 51 megapixels (7168x7168 in area), so the
 * largest camera photos a designer drops in (45-50 MP full frame, 8192x5464) are taken as they
 * are. Providers scale a reference down to their working size (at most 4096x4096), so more buys
 * nothing, and it costs: every reference is decoded in full before it is stored, and a PNG of a
 * few hundred KB declaring 16384x16384 (268 MP) took 20 s and 280 MB to check.
 */
export const MAX_REFERENCE_PIXELS = 7168 * 7168

/** Why the probed image is too big to take in, or null; `max` is MAX_IMAGE_PIXELS unless said. */
export function pixelLimitProblem(probe: ImageProbe, max = MAX_IMAGE_PIXELS): string | null {
  const pixels = probe.width * probe.height
  if (pixels <= max) return null
  const side = Math.floor(Math.sqrt(max))
  return `its header declares ${probe.width}x${probe.height} pixels; the limit is ${max.toLocaleString('en-US')} pixels in all (${side}x${side})`
}

/** File extension used on disk for each format. */
export function extensionFor(format: ImageFormat): string {
  return format === 'jpeg' ? 'jpg' : format
}

export function formatName(format: ImageFormat): string {
  return FORMAT_NAME[format]
}

// PNG: signature, then IHDR must be the first chunk. We also walk the chunk list (lengths only,
// no inflating) to IEND, which is how a cut-off PNG is told apart from a whole one.
function probePng(b: Uint8Array): ImageProbe {
  needBytes(b, 8 + 8 + 13 + 4, 'png')
  if (u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') {
    throw damaged('png', 'its first chunk is not a valid IHDR header')
  }
  const width = u32be(b, 16)
  const height = u32be(b, 20)
  checkSize('png', width, height)

  let pos = 8
  let sawPixelData = false
  for (;;) {
    if (pos + 12 > b.length) throw cutOff('png', b.length, 'before its IEND chunk')
    const length = u32be(b, pos)
    if (length > 0x7fffffff || !isChunkType(b, pos + 4)) {
      throw damaged('png', `the chunk at byte ${pos} is not valid`)
    }
    const type = ascii(b, pos + 4, 4)
    const next = pos + 12 + length
    if (next > b.length) throw cutOff('png', b.length, `inside its ${type} chunk`)
    if (type === 'IDAT') sawPixelData = true
    if (type === 'IEND') break
    pos = next
  }
  if (!sawPixelData) throw damaged('png', 'it has no pixel data (no IDAT chunk)')
  return { format: 'png', width, height }
}

// JPEG: walk the marker segments after SOI until a start-of-frame. C4 (DHT), C8 (JPG) and CC
// (DAC) sit in the SOFn range but are not frames. Completeness: an EOI must follow the frame
// header; inside entropy-coded data FF is always stuffed, so a stray FF D9 cannot appear there.
function probeJpeg(b: Uint8Array): ImageProbe {
  let pos = 2
  for (;;) {
    if (pos >= b.length) throw cutOff('jpeg', b.length, 'before its frame header')
    if (b[pos] !== 0xff) throw damaged('jpeg', `expected a marker at byte ${pos}`)
    while (pos < b.length && b[pos] === 0xff) pos++ // fill bytes before a marker are legal
    const marker = b[pos]
    if (marker === undefined) throw cutOff('jpeg', b.length, 'inside a marker')
    pos++
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue // standalone markers
    if (marker === 0xd9 || marker === 0xda || marker === 0xd8 || marker === 0x00) {
      throw damaged('jpeg', 'it has no frame header before its image data')
    }
    needBytes(b, pos + 2, 'jpeg')
    const length = u16be(b, pos)
    if (length < 2) throw damaged('jpeg', `the segment at byte ${pos - 2} has an invalid length`)
    if (isStartOfFrame(marker)) {
      if (length < 8) throw damaged('jpeg', 'its frame header is too short')
      needBytes(b, pos + 7, 'jpeg')
      const height = u16be(b, pos + 3)
      const width = u16be(b, pos + 5)
      checkSize('jpeg', width, height)
      const frameEnd = pos + length
      if (lastIndexOf(b, JPEG_EOI) < frameEnd) {
        throw cutOff('jpeg', b.length, 'before its end-of-image marker')
      }
      return { format: 'jpeg', width, height }
    }
    pos += length
  }
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

// WebP: RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended,
// which carries the canvas size). The RIFF length says how long the whole file must be.
function probeWebp(b: Uint8Array): ImageProbe {
  const riffEnd = 8 + u32le(b, 4)
  if (riffEnd > b.length) {
    throw new MediaError(
      'truncated',
      `The WebP file ends after ${b.length} bytes, but its header says it is ${riffEnd} bytes long.`,
    )
  }
  needBytes(b, 20, 'webp')
  const chunk = ascii(b, 12, 4)
  const data = 20
  let width: number
  let height: number
  if (chunk === 'VP8 ') {
    needBytes(b, data + 10, 'webp')
    if (b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) {
      throw damaged('webp', 'its VP8 frame has no start code')
    }
    // The top two bits of each 16-bit field are an upscaling hint, not part of the size.
    width = u16le(b, data + 6) & 0x3fff
    height = u16le(b, data + 8) & 0x3fff
  } else if (chunk === 'VP8L') {
    needBytes(b, data + 5, 'webp')
    if (b[data] !== 0x2f) throw damaged('webp', 'its VP8L stream has no signature byte')
    const bits = u32le(b, data + 1)
    width = (bits & 0x3fff) + 1
    height = ((bits >>> 14) & 0x3fff) + 1
  } else if (chunk === 'VP8X') {
    needBytes(b, data + 10, 'webp')
    width = u24le(b, data + 4) + 1
    height = u24le(b, data + 7) + 1
  } else {
    throw damaged('webp', 'its first chunk is not VP8, VP8L or VP8X')
  }
  checkSize('webp', width, height)
  return { format: 'webp', width, height }
}

function checkSize(format: ImageFormat, width: number, height: number): void {
  if (width === 0 || height === 0) {
    throw new MediaError(
      'not_an_image',
      `The ${FORMAT_NAME[format]} header declares a ${width}x${height} image; an image needs at least one pixel each way.`,
    )
  }
  if (width > 0x7fffffff || height > 0x7fffffff) {
    throw damaged(format, `it declares an impossible size ${width}x${height}`)
  }
}

function needBytes(b: Uint8Array, n: number, format: ImageFormat): void {
  if (b.length < n) throw cutOff(format, b.length, 'inside its header')
}

function cutOff(format: ImageFormat, length: number, where: string): MediaError {
  return new MediaError(
    'truncated',
    `The ${FORMAT_NAME[format]} file is cut off: it ends after ${length} bytes, ${where}.`,
  )
}

function damaged(format: ImageFormat, why: string): MediaError {
  return new MediaError('not_an_image', `The ${FORMAT_NAME[format]} file is damaged: ${why}.`)
}

/** A few bytes that match the start of a signature we read: a cut-off file, not garbage. */
function isCutInsideSignature(b: Uint8Array): boolean {
  if (b.length < 2) return false
  if (b.length < PNG_SIGNATURE.length && startsWith(PNG_SIGNATURE, b)) return true
  if (b.length < JPEG_SOI.length && startsWith(JPEG_SOI, b)) return true
  return b.length < 12 && (startsWith(b, ascii4('RIFF')) || startsWith(ascii4('RIFF'), b))
}

function recogniseUnsupported(b: Uint8Array): string | undefined {
  const head = ascii(b, 0, Math.min(b.length, 12))
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'GIF'
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'TIFF'
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4)
    if (brand === 'avif' || brand === 'avis') return 'AVIF'
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'HEIF/HEIC'
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0x0a) return 'JPEG XL'
  if (head === '\0\0\0\x0cJXL \r\n\x87\n') return 'JPEG XL'
  if (b.length >= 26 && head.startsWith('BM') && u32le(b, 2) === b.length) return 'BMP'
  return undefined
}

function isChunkType(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = b[i] ?? 0
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
    if (!letter) return false
  }
  return true
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false
  return true
}

function lastIndexOf(b: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).lastIndexOf(needle)
}

function ascii(b: Uint8Array, at: number, length: number): string {
  let s = ''
  for (let i = at; i < at + length && i < b.length; i++) s += String.fromCharCode(b[i] ?? 0)
  return s
}

function ascii4(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0))
}

function u16be(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)
}

function u16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
}

function u24le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)
}

function u32be(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) >>> 0) + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0))
}

function u32le(b: Uint8Array, at: number): number {
  return (((b[at + 3] ?? 0) << 24) >>> 0) + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0))
}
