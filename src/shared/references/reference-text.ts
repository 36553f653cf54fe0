import type { LocalReference, ReferenceImage } from '../api/reference-image'

/**
 * Turns a reference written as text into its typed kind. Used only where text comes in with no kind
 * attached: a batch table's reference cell, and jobs stored before references were typed (their
 * params JSON holds plain strings), which are read through this once. Everything past those edges
 * carries the kind; nothing else may guess it from a string.
 */

/** Content-hash names `refs.import` gives stored references: `<sha256>.<ext>`. */
export const STORED_REFERENCE_NAME = /^[0-9a-f]{64}\.(png|jpg|webp)$/

/** A link is text that starts with http:// or https:// (plain http is refused later, with a reason). */
export function looksLikeLink(text: string): boolean {
  return /^https?:\/\//i.test(text.trim())
}

/**
 * Link, a file `refs.import` stored (a content-hash name in a folder named refs; the door's
 * access rule still checks it is this library's), or any other local path.
 */
export function referenceFromText(text: string): ReferenceImage {
  return looksLikeLink(text) ? { kind: 'link', url: text } : localReference(text)
}

/** A local path: `stored` when it has the shape of a file `refs.import` wrote, else `file`. */
export function localReference(path: string): LocalReference {
  const parts = path.split(/[\\/]/)
  const name = parts.at(-1) ?? ''
  const folder = parts.at(-2)
  return folder === 'refs' && STORED_REFERENCE_NAME.test(name) ? { kind: 'stored', path } : { kind: 'file', path }
}

/** A job's stored references, whichever form they were written in (strings before the typed kinds). */
export function storedReferences(refs: unknown): ReferenceImage[] {
  return Array.isArray(refs) ? refs.map(storedReference) : []
}

export function storedReference(ref: unknown): ReferenceImage {
  return typeof ref === 'string' ? referenceFromText(ref) : (ref as ReferenceImage)
}
