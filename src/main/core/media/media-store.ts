/**
 * Image files and thumbnails in the library folder. Files are written completely and durably
 * before the caller records them in the database, so a crash leaves at worst an orphan file
 * (swept on the next start), never a row pointing at half an image. Callers must commit the row
 * only after writeImage resolves, and must not write into images/ or thumbs/ any other way.
 */
import type { Dirent } from 'node:fs'
import { lstat, readdir, unlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { MediaError } from './media-error'
import { extensionFor, formatName, MAX_IMAGE_PIXELS, probeImage, type ImageFormat, type ImageProbe } from './image-probe'
import { stageFile, syncDirectory, TEMP_PREFIX, tooYoungToSweep, type StagedFile } from '../files/atomic-write'
import { CopyWorkers, type Hashed } from '../files/copy-workers'
import { parseMediaPath, type MediaRoot } from './library-path'

export interface StoredImage {
  /** Library-relative, forward slashes: `images/2025/03/<id>.png`. */
  file: string
  /** Library-relative: `thumbs/2025/03/<id>.webp`. */
  thumb: string
  format: ImageFormat
  width: number
  height: number
  bytes: number
  sha256: string
}

export interface WriteImageInput {
  /** Becomes the file name, so it must be a plain id: letters, digits, `_` and `-`. */
  id: string
  bytes: Uint8Array
  /** The format the request asked for; bytes of another format are refused, not converted. */
  expectedFormat?: ImageFormat
  /** Milliseconds since the epoch; picks the YYYY/MM folder (UTC, so it does not move with TZ). */
  createdAt: number
  maxBytes?: number
}

export interface MediaStoreOptions {
  /** The library folder. */
  home: string
  /** Largest width x height accepted; the default allows 16384 x 16384. */
  maxPixels?: number
  /** How files reach the disk; the default is files/atomic-write.ts. Tests watch the order. */
  files?: MediaFiles
  /** sha256 of a file on disk; the default reads it on the process's hashing thread. */
  hashFile?: (path: string) => Promise<Hashed>
}

/** Durable writes in two steps, so two files can be written side by side and named together. */
export interface MediaFiles {
  stage(path: string, data: Uint8Array): Promise<StagedFile>
  syncFolder(dir: string): Promise<void>
}

const DURABLE_FILES: MediaFiles = { stage: (path, data) => stageFile(path, data), syncFolder: syncDirectory }

export interface SweepOptions {
  /**
   * Files younger than this are left alone, because another process sharing the library (the
   * CLI beside the app) may be between writing a file and committing its row. Default 10 min.
   */
  minAgeMs?: number
  /** The current time in ms, for the age check. */
  now?: number
}

/**
 * One hashing thread for the process, made at the first image and never closed: every media store
 * (a library switch makes a new one) shares it, and it keeps the process alive only while it hashes.
 */
let hasher: CopyWorkers | undefined
const hashOnWorker = (path: string): Promise<Hashed> => (hasher ??= new CopyWorkers(1, { unref: true })).hash(path)

export const THUMBNAIL_MAX_SIDE = 384
/**
 * How a thumbnail is encoded. WebP's encoder, not the decode, is most of a thumbnail's time at
 * the default effort (4): a 1024 px reply decodes and shrinks in about 7 ms and encodes in 22.
 * Effort 2 encodes a photo about a quarter faster for a file 2% larger, the same quality; at
 * 384 px the few hundred bytes do not matter, the CPU of every image in a batch does.
 */
export const THUMBNAIL_WEBP = { quality: 80, effort: 2 } as const
export const DEFAULT_MAX_PIXELS = MAX_IMAGE_PIXELS
export const DEFAULT_SWEEP_MIN_AGE_MS = 10 * 60_000

const IMAGE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
const IMAGE_FILE = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})\.(png|jpg|jpeg|webp)$/
const THUMB_FILE = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})\.webp$/
const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const

export class MediaStore {
  readonly home: string
  private readonly maxPixels: number
  private readonly files: MediaFiles
  private readonly hashFile: (path: string) => Promise<Hashed>

  constructor(options: MediaStoreOptions) {
    this.home = resolve(options.home)
    this.maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
    this.files = options.files ?? DURABLE_FILES
    this.hashFile = options.hashFile ?? hashOnWorker
  }

  /**
   * Verifies the bytes are a whole image, then stores it and its thumbnail. On any failure
   * nothing this call wrote remains. An existing file with the same id is replaced: ids are
   * fresh per image, so such a file can only be the orphan of an attempt that crashed.
   */
  async writeImage(input: WriteImageInput): Promise<StoredImage> {
    const { id, bytes, expectedFormat, createdAt, maxBytes } = input
    if (!IMAGE_ID.test(id)) {
      throw new TypeError(`Image id "${id}" cannot be a file name: use letters, digits, "_" and "-".`)
    }
    if (!Number.isFinite(createdAt) || createdAt < 0) {
      throw new TypeError(`createdAt must be milliseconds since the epoch, got ${createdAt}.`)
    }
    if (maxBytes !== undefined && bytes.length > maxBytes) {
      throw new MediaError(
        'too_large',
        `The image is ${bytes.length} bytes; the limit is ${maxBytes} bytes.`,
      )
    }

    const probe = probeImage(bytes)
    if (expectedFormat !== undefined && probe.format !== expectedFormat) {
      throw new MediaError(
        'format_mismatch',
        `Expected a ${formatName(expectedFormat)} image, but the bytes are ${formatName(probe.format)}.`,
      )
    }
    if (probe.width * probe.height > this.maxPixels) {
      throw new MediaError(
        'too_large',
        `The image is ${probe.width}x${probe.height} pixels; the limit is ${this.maxPixels} pixels in all.`,
      )
    }
    const month = monthFolder(createdAt)
    const file = `images/${month}/${id}.${extensionFor(probe.format)}`
    const thumb = `thumbs/${month}/${id}.webp`
    const filePath = this.absolutePath(file)
    const thumbPath = this.absolutePath(thumb)

    // Three kinds of work overlap here: the original is written and fsynced under a temp name (the
    // disk's time), then read back and hashed on a worker thread; the decoder reads every pixel to
    // make the thumbnail (libvips' threads). None of it is on this thread, which reads the next
    // replies meanwhile (a hash here was the event loop's largest single cost in a busy batch, and
    // held up the write's next step), and the hash is of the bytes on disk. Nothing gets a final
    // name until the decode has proved the image whole and both files are durable, so a damaged
    // image still leaves nothing behind.
    const original = this.files.stage(filePath, bytes)
    const decoded = this.decodeOnce(bytes, probe)
    const thumbnail = decoded.then((thumbBytes) => this.files.stage(thumbPath, thumbBytes))
    const hashed = original.then((staged) => this.hashFile(staged.tempPath))
    const [stagedOriginal, stagedThumb, decode, digest] = await Promise.allSettled([original, thumbnail, decoded, hashed])
    const staged = [stagedOriginal, stagedThumb].flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    if (staged.length < 2) {
      await Promise.all(staged.map((s) => s.discard()))
      // A damaged image is the news even when the disk failed too: retrying cannot mend it.
      if (decode.status === 'rejected') throw decode.reason
      const failed = [stagedOriginal, stagedThumb].find((s) => s.status === 'rejected')!.reason as unknown
      throw new MediaError('io', `Could not store image ${id}: ${describe(failed)}`, { cause: failed })
    }

    if (digest.status === 'rejected' || digest.value.bytes !== bytes.length) {
      await Promise.all(staged.map((s) => s.discard()))
      const why = digest.status === 'rejected' ? describe(digest.reason) : `${digest.value.bytes} bytes on disk of ${bytes.length} written`
      throw new MediaError('io', `Could not store image ${id}: reading it back for its sha256 failed (${why})`, digest.status === 'rejected' ? { cause: digest.reason } : undefined)
    }
    const sha256 = digest.value.sha256

    const placed: string[] = []
    try {
      for (const s of staged) {
        await s.place()
        placed.push(s.path)
      }
      await Promise.all([dirname(filePath), dirname(thumbPath)].map((dir) => this.files.syncFolder(dir)))
    } catch (err) {
      // Best effort: a failed cleanup must not hide why the write failed; the sweep gets the rest.
      await Promise.allSettled([...staged.map((s) => s.discard()), ...placed.map((path) => removeIfPresent(path))])
      throw new MediaError('io', `Could not store image ${id}: ${describe(err)}`, { cause: err })
    }

    return { file, thumb, ...probe, bytes: bytes.length, sha256 }
  }

  /** Deletes an image and its thumbnail; files already gone are fine. */
  async removeImage(rel: { file: string; thumb: string }): Promise<void> {
    const paths = [this.absolutePath(rel.file), this.absolutePath(rel.thumb)]
    try {
      await Promise.all(paths.map((path) => removeIfPresent(path)))
    } catch (err) {
      throw new MediaError('io', `Could not remove ${rel.file}: ${describe(err)}`, { cause: err })
    }
  }

  /**
   * Deletes what a crash can leave behind: `.tmp-*` files, image files whose path `isKnown` does
   * not recognise, and thumbnails whose image (same id, same YYYY/MM, any extension) is unknown.
   * Files that do not follow our naming are left alone. Run it before this process starts writing.
   */
  async sweepOrphans(
    isKnown: (relFile: string) => boolean,
    options: SweepOptions = {},
  ): Promise<{ removed: string[] }> {
    const minAgeMs = options.minAgeMs ?? DEFAULT_SWEEP_MIN_AGE_MS
    const now = options.now ?? Date.now()
    const removed: string[] = []

    for (const root of ['images', 'thumbs'] as const) {
      for (const entry of await this.listMonthFiles(root)) {
        if (!isOrphan(entry, isKnown)) continue
        const abs = join(this.home, ...entry.rel.split('/'))
        try {
          const info = await lstat(abs)
          if (tooYoungToSweep(info.mtimeMs, now, minAgeMs)) continue
          await unlink(abs)
          removed.push(entry.rel)
        } catch (err) {
          if (errorCode(err) === 'ENOENT') continue
          throw new MediaError('io', `Could not remove orphan ${entry.rel}: ${describe(err)}`, {
            cause: err,
          })
        }
      }
    }
    return { removed: removed.sort() }
  }

  /** Absolute path of a library-relative media path; throws on anything outside images/ or thumbs/. */
  absolutePath(rel: string): string {
    const segments = parseMediaPath(rel)
    if (segments === null) {
      throw new RangeError(`"${rel}" is not a library media path (images/... or thumbs/...).`)
    }
    return join(this.home, ...segments)
  }

  /**
   * The one decode of an image, in one sharp pipeline: the thumbnail's decode reads every pixel
   * (failOn 'error'), so it refuses a cut-off or damaged image as a separate full decode would
   * (checked per format in media-store.test.ts). The decoder's reading of the header is checked
   * by what it made: the thumbnail's size follows from the pixel size our probe read, so a decoder
   * that read another size makes another thumbnail. (A separate metadata() call would read the
   * file once more: libspng checks every chunk's CRC just to read the header.)
   */
  private async decodeOnce(bytes: Uint8Array, probe: ImageProbe): Promise<Buffer> {
    let made: { data: Buffer; info: { width: number; height: number } }
    try {
      made = await sharp(bytes, { failOn: 'error', limitInputPixels: this.maxPixels, autoOrient: true })
        .resize({
          width: THUMBNAIL_MAX_SIDE,
          height: THUMBNAIL_MAX_SIDE,
          fit: 'inside',
          withoutEnlargement: true,
        })
        .webp(THUMBNAIL_WEBP)
        .toBuffer({ resolveWithObject: true })
    } catch (err) {
      throw decodeFailure(probe.format, err)
    }
    if (!thumbnailFits(probe, made.info)) {
      throw new MediaError(
        'not_an_image',
        `The ${formatName(probe.format)} header says ${probe.width}x${probe.height}, but the decoder made a ` +
          `${made.info.width}x${made.info.height} thumbnail of it, the size of another image; the file is damaged.`,
      )
    }
    return made.data
  }

  private async listMonthFiles(root: MediaRoot): Promise<MonthFile[]> {
    const found: MonthFile[] = []
    for (const year of await listEntries(join(this.home, root))) {
      if (!year.isDirectory() || !/^\d{4}$/.test(year.name)) continue
      for (const month of await listEntries(join(this.home, root, year.name))) {
        if (!month.isDirectory() || !/^\d{2}$/.test(month.name)) continue
        const yearMonth = `${year.name}/${month.name}`
        // Dirent types come from lstat-like data: a symlink is never treated as our file.
        for (const file of await listEntries(join(this.home, root, year.name, month.name))) {
          if (!file.isFile()) continue
          found.push({ root, yearMonth, name: file.name, rel: `${root}/${yearMonth}/${file.name}` })
        }
      }
    }
    return found
  }
}

interface MonthFile {
  root: MediaRoot
  yearMonth: string
  name: string
  rel: string
}

function isOrphan(entry: MonthFile, isKnown: (relFile: string) => boolean): boolean {
  if (entry.name.startsWith(TEMP_PREFIX)) return true
  if (entry.root === 'images') {
    return IMAGE_FILE.test(entry.name) && !isKnown(entry.rel)
  }
  const id = THUMB_FILE.exec(entry.name)?.[1]
  if (id === undefined) return false
  return !IMAGE_EXTENSIONS.some((ext) => isKnown(`images/${entry.yearMonth}/${id}.${ext}`))
}

/**
 * The thumbnail's size for the probed pixel size: fit inside THUMBNAIL_MAX_SIDE, never enlarged,
 * within a pixel of rounding, either way round (autoOrient turns an image its EXIF says is rotated).
 */
function thumbnailFits(probe: ImageProbe, made: { width: number; height: number }): boolean {
  const scale = Math.min(1, THUMBNAIL_MAX_SIDE / Math.max(probe.width, probe.height))
  const width = Math.max(1, Math.round(probe.width * scale))
  const height = Math.max(1, Math.round(probe.height * scale))
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1
  return (near(made.width, width) && near(made.height, height)) || (near(made.width, height) && near(made.height, width))
}

function monthFolder(createdAt: number): string {
  const date = new Date(createdAt)
  const year = String(date.getUTCFullYear()).padStart(4, '0')
  const month = String(date.getUTCMonth() + 1).padStart(2, '0')
  return `${year}/${month}`
}

function decodeFailure(format: ImageFormat, err: unknown): MediaError {
  const detail = describe(err)
  const name = formatName(format)
  if (/pixel limit/i.test(detail)) {
    return new MediaError('too_large', `The ${name} image has too many pixels to open (${detail}).`, {
      cause: err,
    })
  }
  if (/premature end|truncat|unexpected end|end of (file|stream|data)/i.test(detail)) {
    return new MediaError('truncated', `The ${name} image is cut off and cannot be decoded (${detail}).`, {
      cause: err,
    })
  }
  return new MediaError('not_an_image', `The ${name} image is damaged and cannot be decoded (${detail}).`, {
    cause: err,
  })
}



async function listEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return []
    throw new MediaError('io', `Could not list ${dir}: ${describe(err)}`, { cause: err })
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * A header can be whole while the pixel data behind it is not, so decode every pixel (stats()
 * streams through the image without holding it) and check the decoder agrees with the probe.
 * Throws a MediaError.
 */
export async function verifyImageDecodes(bytes: Uint8Array, probe: ImageProbe, maxPixels = MAX_IMAGE_PIXELS): Promise<void> {
  await decoderAgrees(bytes, probe, maxPixels)
  try {
    await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).stats()
  } catch (err) {
    throw decodeFailure(probe.format, err)
  }
}

/** The decoder reads the header as our probe did (format and pixel size); reads no pixels. */
async function decoderAgrees(bytes: Uint8Array, probe: ImageProbe, maxPixels: number): Promise<void> {
  let meta: Metadata
  try {
    meta = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).metadata()
  } catch (err) {
    throw decodeFailure(probe.format, err)
  }
  if (meta.format !== probe.format || meta.width !== probe.width || meta.height !== probe.height) {
    throw new MediaError(
      'not_an_image',
      `The ${formatName(probe.format)} header says ${probe.width}x${probe.height}, but the decoder reads ` +
        `${meta.format} ${meta.width}x${meta.height}; the file is damaged.`,
    )
  }
}
