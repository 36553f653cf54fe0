import { checkReferenceLink } from './reference-link'

/**
 * The provider's reference-image rules as pure checks, applied by the Generate form while the user
 * edits and by the engine before a job is queued, so the two cannot disagree. Each check answers
 * with what is wrong (a code and its numbers), never with words: the form and the engine each word
 * it for their reader. Reading a file or probing an image stays with the engine.
 */

/** What a provider says about reference images (the profile's rule, or the summary the form gets). */
export interface ReferenceRuleFacts {
  readonly accepts: readonly ('file' | 'url')[]
  readonly maxCount: number
  readonly maxFileBytes: number
  readonly mask: boolean
}

/** A reference as far as the rules need to see it: a local file (size known or not) or a link. */
export type ReferenceShape = { local: true; bytes?: number } | { local: false; url: string }

export type CountIssue = { code: 'no_references' } | { code: 'too_many'; max: number; given: number }

export type ReferenceIssue =
  | { code: 'no_references' }
  | { code: 'needs_links' }
  | { code: 'needs_files' }
  | { code: 'bad_link'; problem: string; fix: string }
  | { code: 'file_too_big'; maxBytes: number }

export type MaskIssue =
  | { code: 'mask_without_reference' }
  | { code: 'mask_not_taken' }
  | { code: 'mask_not_file' }
  | { code: 'mask_size_mismatch'; mask: PixelSize; first: PixelSize }

export interface PixelSize {
  width: number
  height: number
}

/** Whether the provider takes references at all, and this many of them. */
export function referenceCountIssue(rule: ReferenceRuleFacts | null, count: number): CountIssue | null {
  if (count === 0) return null
  if (!rule) return { code: 'no_references' }
  if (count > rule.maxCount) return { code: 'too_many', max: rule.maxCount, given: count }
  return null
}

/** Why this provider cannot take this one reference, or null. `provider` names it in link problems. */
export function referenceIssue(rule: ReferenceRuleFacts | null, ref: ReferenceShape, provider: string): ReferenceIssue | null {
  if (!rule) return { code: 'no_references' }
  if (!ref.local) {
    if (!rule.accepts.includes('url')) return { code: 'needs_files' }
    const link = checkReferenceLink(ref.url, provider)
    return 'problem' in link ? { code: 'bad_link', problem: link.problem, fix: link.fix } : null
  }
  if (!rule.accepts.includes('file')) return { code: 'needs_links' }
  // A limit of 0 means the provider documents none (or takes no files, refused above).
  if (ref.bytes !== undefined && rule.maxFileBytes > 0 && ref.bytes > rule.maxFileBytes) return { code: 'file_too_big', maxBytes: rule.maxFileBytes }
  return null
}

/** The mask rules that need no file: a provider that takes it, an image to apply to, and a local file. */
export function maskIssue(rule: ReferenceRuleFacts | null, referenceCount: number, mask: { local: boolean }): MaskIssue | null {
  if (!rule?.mask) return { code: 'mask_not_taken' }
  if (referenceCount === 0) return { code: 'mask_without_reference' }
  if (!mask.local) return { code: 'mask_not_file' }
  return null
}

/** The mask must be exactly the size of the first reference image (when that one is a file). */
export function maskSizeIssue(mask: PixelSize, first: PixelSize): MaskIssue | null {
  if (mask.width === first.width && mask.height === first.height) return null
  return { code: 'mask_size_mismatch', mask: { width: mask.width, height: mask.height }, first: { width: first.width, height: first.height } }
}
