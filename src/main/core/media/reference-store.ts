import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { badInput, type ImportedReference } from '../../../shared/api'
import { writeFileAtomic } from '../files/atomic-write'
import { extensionFor, pixelLimitProblem, probeImage } from './image-probe'
import { verifyImageDecodes } from './media-store'

/**
 * Reference images the interface brings in by drop, paste or picker. They are stored by content
 * hash under refs/, so the same photo dropped twice is one file, and a queued job can point at a
 * path that stays put whichever process runs it.
 */
export async function importReference(home: string, name: string, base64: string): Promise<ImportedReference> {
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.length === 0) throw badInput('base64', `${name} is empty.`, 'Drop a real image file.')
  let probe
  try {
    probe = probeImage(bytes)
  } catch (err) {
    throw badInput('base64', `${name} is not a PNG, JPEG or WebP image (${(err as Error).message}).`, 'Use a PNG, JPEG or WebP file.')
  }
  const tooBig = pixelLimitProblem(probe)
  if (tooBig) throw badInput('base64', `${name} is too large to use: ${tooBig}.`, 'Resize the image to at most 16384 px a side before adding it.')
  try {
    // A whole header can front garbage pixels; providers would refuse them only after the job is paid for and queued.
    await verifyImageDecodes(bytes, probe)
  } catch (err) {
    throw badInput('base64', `${name} cannot be used: ${(err as Error).message}`, 'Export the image again as PNG, JPEG or WebP, or pick another file.')
  }
  const sha = createHash('sha256').update(bytes).digest('hex')
  const path = join(home, 'refs', `${sha}.${extensionFor(probe.format)}`)
  await writeFileAtomic(path, bytes)
  return { path, name, format: probe.format, width: probe.width, height: probe.height, bytes: bytes.length }
}
