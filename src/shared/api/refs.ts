import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { route } from './route'

/**
 * Reference images the interface brings in (drop, paste, picker) and looks up again. The files live
 * under the library's refs/ folder; a request names them by the path `refs.import` returned.
 */

/** A reference image brought in by the interface (drop, paste, picker), kept in the library. */
export const ImportedReference = onFirstUse(() => z.object({
  /** Absolute path to pass in `refs`; the file lives under the library's refs/ folder. */
  path: z.string(),
  name: z.string(),
  format: z.enum(['png', 'jpeg', 'webp']),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
}))
export type ImportedReference = z.infer<typeof ImportedReference>

/**
 * A stored reference file looked up again (to reuse a job's references): found, with a small
 * thumbnail as a data: URL for the form, or the reason it cannot be used any more.
 */
export const DescribedReference = onFirstUse(() => z.discriminatedUnion('found', [
  z.object({
    found: z.literal(true),
    reference: ImportedReference,
    /** A small thumbnail as a data URL. */
    preview: z.string(),
    /** The file as a library media path (`refs/NAME`), to show it at full size through the media door. */
    media: z.string(),
  }),
  z.object({ found: z.literal(false), path: z.string(), problem: z.string() }),
]))
export type DescribedReference = z.infer<typeof DescribedReference>

export const refRoutes = onFirstUse(() => ({
  /** The sandboxed interface cannot hand the engine a file path: it hands over the bytes. */
  'refs.import': route(
    z.strictObject({
      name: z.string().trim().min(1).max(255),
      // 50 MB of image as base64, the largest any provider documents.
      base64: z
        .string()
        .min(1)
        .max(Math.ceil((50 * 1024 * 1024 * 4) / 3) + 4, 'the image is over 50 MB')
        // Node decodes anything, skipping what is not base64: "!!!!" would arrive as an empty file.
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the image bytes must be base64 text (A-Z, a-z, 0-9, + and /), without a data: prefix'),
    }),
    ImportedReference,
  ),
  /**
   * A gallery image stored as a reference (to edit it, or to guide a new image): the engine
   * copies the file itself, so its bytes never travel through the window. An unknown id is
   * refused (not_found).
   */
  'refs.fromImage': route(z.strictObject({ imageId: z.string().trim().min(1).max(200) }), ImportedReference),
  /** Only files under the library's refs/ folder are read; any other path is answered as not found. */
  'refs.describe': route(
    z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(17) }),
    z.object({ references: z.array(DescribedReference) }),
  ),
} as const))
