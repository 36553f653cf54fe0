import type { ProviderSummary } from '../../../../shared/api'
import { checkReferenceLink as checkLink } from '../../../../shared/references/reference-link'
import { maskIssue, maskSizeIssue, referenceCountIssue, referenceIssue, type ReferenceShape } from '../../../../shared/references/reference-rules'
import { formatBytes } from '../../../../shared/format/bytes'

/**
 * Reference images as the Generate form holds them, and the provider's rules applied to them
 * live, so the user learns before pressing Generate (not from a refused job) that a provider
 * needs links, takes no references, or takes fewer of them.
 */

export interface FileReference {
  kind: 'file'
  id: string
  /** Where the engine stored the bytes (the library's refs/ folder); sent as `refs`. */
  path: string
  name: string
  format: 'png' | 'jpeg' | 'webp'
  width: number
  height: number
  bytes: number
  /** A URL the page can show as a thumbnail (a blob: URL of the picked file). */
  preview: string
}

export interface LinkReference {
  kind: 'url'
  id: string
  url: string
}

export type DraftReference = FileReference | LinkReference

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
const ACCEPTED_EXTENSIONS = /\.(png|jpe?g|webp)$/i

/** Whether a dropped or pasted file looks like an image we can use (the engine checks the bytes). */
export function looksLikeImage(file: { name: string; type: string }): boolean {
  return (ACCEPTED_TYPES as readonly string[]).includes(file.type) || (file.type === '' && ACCEPTED_EXTENSIONS.test(file.name))
}

/** How the provider takes references, in one sentence for the drop zone. */
export function referenceRuleText(provider: ProviderSummary): string {
  const rule = provider.references
  if (!rule) return `${provider.name} does not take reference images: its API is text-to-image only.`
  const files = rule.accepts.includes('file')
  const links = rule.accepts.includes('url')
  if (files && links) return `Up to ${rule.maxCount} images, as files (each up to ${formatBytes(rule.maxFileBytes)}) or https links.`
  if (files) return `Up to ${rule.maxCount} image files, each up to ${formatBytes(rule.maxFileBytes)}.`
  return `${provider.name} needs public https links: its API cannot receive files from your computer. Up to ${rule.maxCount} links.`
}

/** Why this provider cannot take this reference, or null when it can (the rule lives in src/shared). */
export function referenceProblem(provider: ProviderSummary, ref: DraftReference): string | null {
  const shape: ReferenceShape = ref.kind === 'file' ? { local: true, bytes: ref.bytes } : { local: false, url: ref.url }
  const issue = referenceIssue(provider.references, shape, provider.name)
  if (!issue) return null
  switch (issue.code) {
    case 'no_references':
      return `${provider.name} takes no reference images.`
    case 'needs_links':
      return `${provider.name} needs a public https link instead of a file.`
    case 'file_too_big':
      return `Over ${provider.name}'s ${formatBytes(issue.maxBytes)} limit.`
    case 'needs_files':
      return `${provider.name} takes files, not links: download the image and add the file.`
    case 'bad_link':
      return `${issue.problem} ${issue.fix}`
  }
}

/** Whether this provider takes an edit mask at all (the shared mask rule, with an image to apply it to). */
export function takesMask(provider: ProviderSummary): boolean {
  return maskIssue(provider.references, 1, { local: true })?.code !== 'mask_not_taken'
}

/** The count limit the provider puts on references, when these are over it. */
export function tooManyReferences(provider: ProviderSummary, count: number): { max: number; given: number } | null {
  const issue = referenceCountIssue(provider.references, count)
  return issue?.code === 'too_many' ? issue : null
}

/** What stops these references (and mask) from going to this provider; null when nothing does. */
export function referencesBlocker(
  provider: ProviderSummary,
  refs: readonly DraftReference[],
  mask: FileReference | null,
): string | null {
  if (refs.length === 0 && mask === null) return null
  const rule = provider.references
  if (!rule) return `${provider.name} takes no reference images: remove them or pick another provider.`
  if (refs.some((r) => referenceProblem(provider, r) !== null)) return `Some reference images cannot go to ${provider.name}: see the marked ones.`
  const count = tooManyReferences(provider, refs.length)
  if (count) return `${provider.name} takes at most ${count.max} reference images: remove ${count.given - count.max}.`
  if (mask) {
    const first = refs[0]
    const issue = maskIssue(rule, refs.length, { local: true }) ?? (first?.kind === 'file' ? maskSizeIssue(mask, first) : null)
    switch (issue?.code) {
      case 'mask_not_taken':
        return `${provider.name} does not take an edit mask: remove it.`
      case 'mask_without_reference':
        return 'A mask needs a reference image to apply to.'
      case 'mask_size_mismatch':
        return `The mask is ${issue.mask.width}x${issue.mask.height} but the first reference is ${issue.first.width}x${issue.first.height}: they must match.`
    }
  }
  return null
}

/**
 * A link the user typed, checked the way the engine will (the rule lives in src/shared): a public
 * https address the provider can fetch. The problem says what is wrong and how to fix it.
 */
export function checkReferenceLink(text: string, providerName?: string): { url: string } | { problem: string } {
  const checked = checkLink(text, providerName)
  return 'problem' in checked ? { problem: `${checked.problem} ${checked.fix}` } : checked
}
