import type { ProviderSummary } from '../../../../shared/api'
import { checkReferenceLink as checkLink } from '../../../../shared/references/reference-link'
import { formatBytes } from '../../ui/format/bytes'

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

/** Why this provider cannot take this reference, or null when it can. */
export function referenceProblem(provider: ProviderSummary, ref: DraftReference): string | null {
  const rule = provider.references
  if (!rule) return `${provider.name} takes no reference images.`
  if (ref.kind === 'file') {
    if (!rule.accepts.includes('file')) return `${provider.name} needs a public https link instead of a file.`
    if (ref.bytes > rule.maxFileBytes) return `Over ${provider.name}'s ${formatBytes(rule.maxFileBytes)} limit.`
    return null
  }
  if (!rule.accepts.includes('url')) return `${provider.name} takes files, not links: download the image and add the file.`
  const link = checkLink(ref.url, provider.name)
  return 'problem' in link ? `${link.problem} ${link.fix}` : null
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
  if (refs.length > rule.maxCount) return `${provider.name} takes at most ${rule.maxCount} reference images: remove ${refs.length - rule.maxCount}.`
  if (mask) {
    if (!rule.mask) return `${provider.name} does not take an edit mask: remove it.`
    if (refs.length === 0) return 'A mask needs a reference image to apply to.'
    const first = refs[0]
    if (first?.kind === 'file' && (first.width !== mask.width || first.height !== mask.height)) {
      return `The mask is ${mask.width}x${mask.height} but the first reference is ${first.width}x${first.height}: they must match.`
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
