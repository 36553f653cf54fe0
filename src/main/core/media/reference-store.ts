import { createHash } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import { basename, join, resolve, sep } from 'node:path'
import sharp from 'sharp'
import { ApiError, badInput, type DescribedReference, type ImportedReference } from '../../../shared/api'
import { writeFileAtomic } from '../files/atomic-write'
import { extensionFor, MAX_REFERENCE_PIXELS, pixelLimitProblem, probeImage } from './image-probe'
import { STORED_REFERENCE_NAME } from '../../../shared/references/reference-text'
import { verifyImageDecodes } from './media-store'

/**
 * Reference images the interface brings in by drop, paste or picker. They are stored by content
 * hash under refs/, so the same photo dropped twice is one file, and a queued job can point at a
 * path that stays put whichever process runs it.
 */
export async function importReference(home: string, name: string, base64: string): Promise<ImportedReference> {
  return storeReference(home, name, Buffer.from(base64, 'base64'))
}

/** Where a library image lies on disk, or null when no image has that id. */
export type ImageFileLookup = (imageId: string) => { path: string; name: string } | null

/**
 * A library image made a reference (to edit it, or to guide a new image) without its bytes
 * crossing the window: the engine copies the file into refs/ exactly as refs.import stores a
 * dropped file, so a job keeps working after the image itself is deleted from the gallery.
 */
export async function referenceFromImage(home: string, lookup: ImageFileLookup, imageId: string): Promise<ImportedReference> {
  const image = lookup(imageId)
  if (!image) throw new ApiError('not_found', `No image with id ${imageId}.`, { field: 'imageId', fix: 'Pick an image that is in the gallery.' })
  let bytes: Buffer
  try {
    bytes = await readFile(image.path)
  } catch {
    throw new ApiError('not_found', `The file of image ${imageId} is missing from the library folder (${image.path}).`, {
      field: 'imageId',
      fix: 'Pick another image; this one can no longer be used as a reference.',
    })
  }
  return storeReference(home, image.name, bytes)
}

async function storeReference(home: string, name: string, bytes: Buffer): Promise<ImportedReference> {
  if (bytes.length === 0) throw badInput('base64', `${name} is empty.`, 'Drop a real image file.')
  let probe
  try {
    probe = probeImage(bytes)
  } catch (err) {
    throw badInput('base64', `${name} is not a PNG, JPEG or WebP image (${(err as Error).message}).`, 'Use a PNG, JPEG or WebP file.')
  }
  // Refused from the header alone, before any decoding: the decode below is the costly part.
  const tooBig = pixelLimitProblem(probe, MAX_REFERENCE_PIXELS)
  if (tooBig) {
    throw badInput('base64', `${name} is too large to use as a reference: ${tooBig}.`, 'Resize the image to at most about 50 megapixels (for example 8192x6144) before adding it; providers do not use more.')
  }
  try {
    // A whole header can front garbage pixels; providers would refuse them only after the job is paid for and queued.
    await verifyImageDecodes(bytes, probe, MAX_REFERENCE_PIXELS)
  } catch (err) {
    throw badInput('base64', `${name} cannot be used: ${(err as Error).message}`, 'Export the image again as PNG, JPEG or WebP, or pick another file.')
  }
  const sha = createHash('sha256').update(bytes).digest('hex')
  const path = join(home, 'refs', `${sha}.${extensionFor(probe.format)}`)
  await writeFileAtomic(path, bytes)
  return { path, name, format: probe.format, width: probe.width, height: probe.height, bytes: bytes.length }
}

/**
 * Looks stored references up again, for reusing a job's settings: each path answers with what
 * refs.import answered (and a thumbnail as a data: URL), or why it cannot be used. Only files in
 * the library's refs/ folder are ever read; a job's path from before the library was moved is
 * found there by its content-hash name. Other paths (a file the command line pointed at) are
 * answered without touching them.
 */
export async function describeReferences(home: string, paths: readonly string[]): Promise<DescribedReference[]> {
  const folder = resolve(home, 'refs')
  return Promise.all(
    paths.map(async (path): Promise<DescribedReference> => {
      const name = basename(resolve(path))
      const inside = resolve(path).startsWith(folder + sep)
      if (!inside && !STORED_REFERENCE_NAME.test(name)) {
        return { found: false, path, problem: `${path} is not one of the library's stored references; add it again.` }
      }
      const file = join(folder, name)
      let bytes: Buffer
      try {
        const real = await realpath(file)
        if (!real.startsWith((await realpath(folder)) + sep)) throw new Error('outside the refs folder')
        bytes = await readFile(real)
      } catch {
        return { found: false, path, problem: `${name} is no longer in the library's refs folder.` }
      }
      try {
        const probe = probeImage(bytes)
        const thumb = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_REFERENCE_PIXELS })
          .resize({ width: 160, height: 160, fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 70 })
          .toBuffer()
        return {
          found: true,
          reference: { path: file, name, format: probe.format, width: probe.width, height: probe.height, bytes: bytes.length },
          preview: `data:image/webp;base64,${thumb.toString('base64')}`,
          media: `refs/${name}`,
        }
      } catch (err) {
        return { found: false, path, problem: `${name} cannot be read as an image any more (${(err as Error).message}).` }
      }
    }),
  )
}
