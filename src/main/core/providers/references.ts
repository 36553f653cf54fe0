import { readFileSync, statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { badInput, type ReferenceImage } from '../../../shared/api'
import { maskIssue, maskSizeIssue, referenceCountIssue, referenceIssue, type CountIssue, type MaskIssue, type ReferenceIssue } from '../../../shared/references/reference-rules'
import { MAX_REFERENCE_PIXELS, pixelLimitProblem, probeImage } from '../media/image-probe'
import type { ReferenceAccess } from '../media/reference-access'
import type { ProviderProfile } from './profile'

/**
 * Reference images and masks, checked against the profile before a job is queued: a provider that
 * only takes public links never receives a local file, and every file is a real, readable image
 * under the provider's limit. The rules themselves (counts, kinds, links, mask) live in
 * shared/references/reference-rules.ts, which the Generate form applies too; this file words them
 * for the engine and does what needs the disk. Which local files may be named at all is the door's
 * rule (media/reference-access.ts), applied before any file is looked at. Nothing is uploaded here.
 */

/** The references and mask to store with the job: local paths as the door's access rule admitted them. */
export interface CheckedReferences {
  refs: ReferenceImage[]
  mask: ReferenceImage | undefined
}

export function validateReferences(profile: ProviderProfile, refs: readonly ReferenceImage[], mask: ReferenceImage | undefined, access: ReferenceAccess): CheckedReferences {
  const rule = profile.refs
  if (refs.length === 0) {
    // Said first, whatever the provider: the mask has nothing to apply to.
    if (mask) throw maskRefusal(profile, { code: 'mask_without_reference' })
    return { refs: [], mask: undefined }
  }
  const countIssue = referenceCountIssue(rule, refs.length)
  if (countIssue || !rule) throw refusal(profile, countIssue ?? { code: 'no_references' }, '')
  const admitted: ReferenceImage[] = []
  for (const ref of refs) {
    if (ref.kind === 'link') {
      const issue = referenceIssue(rule, { local: false, url: ref.url }, profile.name)
      if (issue) throw refusal(profile, issue, ref.url)
      admitted.push(ref)
      continue
    }
    const path = access.admit('refs', ref)
    const issue = referenceIssue(rule, { local: true }, profile.name)
    if (issue) throw refusal(profile, issue, ref.path)
    checkImageFile('refs', path, rule.maxFileBytes)
    admitted.push({ ...ref, path })
  }
  if (!mask) return { refs: admitted, mask: undefined }
  const issue = maskIssue(rule, refs.length, { local: mask.kind !== 'link' })
  if (issue || mask.kind === 'link') throw maskRefusal(profile, issue ?? { code: 'mask_not_file' })
  const maskPath = access.admit('mask', mask)
  // The mask has its own, smaller limit where the API documents one (OpenAI: under 4 MB).
  const maskInfo = checkImageFile('mask', maskPath, rule.maxMaskBytes)
  if (maskInfo.format !== 'png') throw badInput('mask', `The mask must be a PNG (with transparency); ${mask.path} is ${maskInfo.format}.`, 'Export the mask as PNG.')
  const first = admitted[0]!
  if (first.kind !== 'link') {
    const image = checkImageFile('refs', first.path, rule.maxFileBytes)
    const mismatch = maskSizeIssue(maskInfo, image)
    if (mismatch) throw maskRefusal(profile, mismatch)
  }
  return { refs: admitted, mask: { ...mask, path: maskPath } }
}

/** The engine's words for a reference rule the request breaks; `shown` is the reference as given. */
function refusal(profile: ProviderProfile, issue: CountIssue | ReferenceIssue, shown: string) {
  switch (issue.code) {
    case 'no_references':
      return badInput('refs', `${profile.name} does not take reference images: its API documents text-to-image only.`, 'Remove the reference images, or choose a provider that takes them.')
    case 'too_many':
      return badInput('refs', `${profile.name} takes at most ${issue.max} reference images; ${issue.given} were given.`, `Keep ${issue.max} or fewer.`)
    case 'needs_files':
      return badInput('refs', `${profile.name} takes reference images as files, not links (${shown.slice(0, 60)}).`, 'Download the image and pass the file instead.')
    case 'bad_link':
      return badInput('refs', issue.problem, issue.fix)
    case 'needs_links':
      return badInput('refs', `${profile.name} needs public URLs for reference images: it cannot receive a local file (${shown}).`, 'Upload the image somewhere public and pass its https URL instead.')
    case 'file_too_big':
      // Not reached: the file's size is checked with the bytes read (checkImageFile), which words it.
      return badInput('refs', `${shown} is over the ${(issue.maxBytes / 2 ** 20).toFixed(0)} MB limit.`, 'Use a smaller or more compressed image.')
  }
}

function maskRefusal(profile: ProviderProfile, issue: MaskIssue) {
  switch (issue.code) {
    case 'mask_without_reference':
      return badInput('mask', 'A mask needs a reference image to apply to.', 'Add the image to edit as the first reference image.')
    case 'mask_not_taken':
      return badInput('mask', `${profile.name} does not take an edit mask.`, 'Remove the mask, or choose a provider that takes one.')
    case 'mask_not_file':
      return badInput('mask', 'The mask must be a local PNG file.', 'Pass the mask as a file.')
    case 'mask_size_mismatch':
      return badInput('mask', `The mask is ${issue.mask.width}x${issue.mask.height} but the first image is ${issue.first.width}x${issue.first.height}.`, 'Make the mask exactly the size of the first reference image.')
  }
}

function checkImageFile(field: 'refs' | 'mask', path: string, maxBytes: number) {
  if (!isAbsolute(path)) throw badInput(field, `${path} is not an absolute path.`, 'Pass the full path to the file.')
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) throw badInput(field, `${path} is not a file.`, 'Pass an image file.')
    size = stat.size
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'bad_input') throw err
    if (code === 'ENOENT') throw badInput(field, `${path} does not exist.`, 'Check the path: pass the full path to an image file.')
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
