import { z } from 'zod'
import { OutputFormat } from './generation'
import { route } from './route'

/** Paths are relative to the library folder; each door turns them into its own media URL. */
export const ImageView = z.object({
  id: z.string(),
  jobId: z.string(),
  file: z.string(),
  thumb: z.string(),
  format: OutputFormat,
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  prompt: z.string(),
  revisedPrompt: z.string().nullable(),
  provider: z.string(),
  /** Which key paid for it: its label (or $VAR for an environment key), never the key. */
  keyLabel: z.string().nullable(),
  favorite: z.boolean(),
  createdAt: z.number(),
  /** The SKU of the batch row the image was made for, else null. */
  sku: z.string().nullable().optional(),
})
export type ImageView = z.infer<typeof ImageView>

/** Keyset cursor: the (createdAt, id) of the last item of the previous page. */
export const GalleryCursor = z.object({ createdAt: z.number(), id: z.string() })

export const galleryRoutes = {
  'gallery.list': route(
    z
      .object({
        search: z.string().max(500).optional(),
        provider: z.string().optional(),
        favorite: z.boolean().optional(),
        limit: z.number().int().min(1).max(500).default(60),
        after: GalleryCursor.optional(),
      })
      .strict(),
    z.object({ images: z.array(ImageView), next: GalleryCursor.nullable() }),
  ),
  'gallery.get': route(z.object({ id: z.string().min(1) }).strict(), ImageView),
  'gallery.favorite': route(z.object({ id: z.string().min(1), favorite: z.boolean() }).strict(), ImageView),
} as const
