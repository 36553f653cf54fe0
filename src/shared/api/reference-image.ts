import { z } from 'zod'
import { onFirstUse } from './on-first-use'

/**
 * A reference image (or a mask) as a request names it: which kind it is travels with it, so the
 * engine never guesses a link from a string. `stored` is a file `refs.import` kept in the library,
 * the only local kind the interface doors may send; `file` is any local path, which only the
 * command line may send (media/reference-access.ts refuses it from the other doors by its kind).
 */
export const StoredReference = onFirstUse(() => z.strictObject({ kind: z.literal('stored'), path: z.string().min(1) }))
export const LinkReference = onFirstUse(() => z.strictObject({ kind: z.literal('link'), url: z.string().min(1) }))
export const FileReference = onFirstUse(() => z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }))
export const ReferenceImage = onFirstUse(() => z.discriminatedUnion('kind', [StoredReference, LinkReference, FileReference]))
export type StoredReference = z.infer<typeof StoredReference>
export type LinkReference = z.infer<typeof LinkReference>
export type FileReference = z.infer<typeof FileReference>
export type ReferenceImage = z.infer<typeof ReferenceImage>
/** A reference that lives on this machine: read from its path. */
export type LocalReference = StoredReference | FileReference

/** What the reference points at, for messages and multipart file names. */
export function referenceText(ref: ReferenceImage): string {
  return ref.kind === 'link' ? ref.url : ref.path
}
