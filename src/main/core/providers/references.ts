import { readFileSync, statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { badInput } from '../../../shared/api'
import { checkReferenceLink } from '../../../shared/references/reference-link'
import { MAX_REFERENCE_PIXELS, pixelLimitProblem, probeImage } from '../media/image-probe'
import type { ReferenceAccess } from '../media/reference-access'
import type { ProviderProfile } from './profile'

/**
 * Reference images and masks, checked against the profile before a job is queued: a provider that
 * only takes public links never receives a local file, and every file is a real, readable image
 * under the provider's limit. Which local files may be named at all is the door's rule
 * (media/reference-access.ts), applied before any file is looked at. Nothing is uploaded here.
 */
export function isUrlReference(ref: string): boolean {
  return /^https?:\/\//i.test(ref)
}

/** The references and mask to store with the job: local paths as the door's access rule admitted them. */
export interface CheckedReferences {
  refs: string[]
  mask: string | undefined
}

export function validateReferences(profile: ProviderProfile, refs: readonly string[], mask: string | undefined, access: ReferenceAccess): CheckedReferences {
  if (refs.length === 0) {
    if (mask) throw badInput('mask', 'A mask needs a reference image to apply to.', 'Add --ref with the image to edit.')
    return { refs: [], mask: undefined }
  }
  const rule = profile.refs
  if (!rule) {
    throw badInput('refs', `${profile.name} does not take reference images: its API documents text-to-image only.`, 'Remove the reference images, or use a provider that edits images (openai, tokenhub, toapis, getimg).')
  }
  if (refs.length > rule.maxCount) {
    throw badInput('refs', `${profile.name} takes at most ${rule.maxCount} reference images; ${refs.length} were given.`, `Keep ${rule.maxCount} or fewer.`)
  }
  const admitted: string[] = []
  for (const ref of refs) {
    if (isUrlReference(ref)) {
      if (!rule.accepts.includes('url')) {
        throw badInput('refs', `${profile.name} takes reference images as files, not links (${ref.slice(0, 60)}).`, 'Download the image and pass the file instead.')
      }
      const link = checkReferenceLink(ref, profile.name)
      if ('problem' in link) throw badInput('refs', link.problem, link.fix)
      admitted.push(ref)
      continue
    }
    const path = access.admit('refs', ref)
    if (!rule.accepts.includes('file')) {
      throw badInput('refs', `${profile.name} needs public URLs for reference images: it cannot receive a local file (${ref}).`, 'Upload the image somewhere public and pass its https URL instead.')
    }
    checkImageFile('refs', path, rule.maxFileBytes)
    admitted.push(path)
  }
  if (!mask) return { refs: admitted, mask: undefined }
  if (!rule.mask) throw badInput('mask', `${profile.name} does not take an edit mask.`, 'Remove the mask, or use openai or tokenhub.')
  if (isUrlReference(mask)) throw badInput('mask', 'The mask must be a local PNG file.', 'Pass the mask as a file.')
  const maskPath = access.admit('mask', mask)
  // The mask has its own, smaller limit where the API documents one (OpenAI: under 4 MB).
  const maskInfo = checkImageFile('mask', maskPath, rule.maxMaskBytes)
  if (maskInfo.format !== 'png') throw badInput('mask', `The mask must be a PNG (with transparency); ${mask} is ${maskInfo.format}.`, 'Export the mask as PNG.')
  const first = admitted[0]!
  if (!isUrlReference(first)) {
    const image = checkImageFile('refs', first, rule.maxFileBytes)
    if (image.width !== maskInfo.width || image.height !== maskInfo.height) {
      throw badInput('mask', `The mask is ${maskInfo.width}x${maskInfo.height} but the first image is ${image.width}x${image.height}.`, 'Make the mask exactly the size of the first reference image.')
    }
  }
  return { refs: admitted, mask: maskPath }
}

function checkImageFile(field: 'refs' | 'mask', path: string, maxBytes: number) {
  if (!isAbsolute(path)) throw badInput(field, `${path} is not an absolute path.`, 'Pass the full path to the file.')
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) throw badInput(field, `${path} is not a file.`, 'Pass an image file.')
    size = stat.size
  } catch (err) {
    if ((err as { code?: string }).code === 'bad_input') throw err
    throw badInput(field, `Cannot read ${path}: ${(err as Error).message}`, 'Check the path and that the file is readable.')
  }
  if (size === 0) throw badInput(field, `${path} is empty.`, 'Pass a real image file.')
  if (maxBytes > 0 && size > maxBytes) {
    const what = field === 'mask' ? 'the limit for a mask' : 'the limit'
    const fix = field === 'mask' ? 'Save the mask as a smaller PNG (only its transparency matters: a grayscale or indexed PNG with alpha is small).' : 'Use a smaller or more compressed image.'
    throw badInput(field, `${path} is ${(size / 2 ** 20).toFixed(1)} MB; ${what} is ${(maxBytes / 2 ** 20).toFixed(0)} MB.`, fix)
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    throw badInput(field, `Cannot read ${path}: ${(err as Error).message}`, 'Check that the file is readable.')
  }
  let probe
  try {
    probe = probeImage(bytes)
  } catch (err) {
    throw badInput(field, `${path} is not a PNG, JPEG or WebP image (${(err as Error).message}).`, 'Pass a PNG, JPEG or WebP file.')
  }
  // The same cap as an imported reference: one rule whichever door the file came through.
  const tooBig = pixelLimitProblem(probe, MAX_REFERENCE_PIXELS)
  if (tooBig) throw badInput(field, `${path} is too large to use: ${tooBig}.`, 'Resize the image to at most about 50 megapixels (for example 8192x6144).')
  return probe
}
