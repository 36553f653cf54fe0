import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { Background, OutputFormat, Quality, TemplateUse } from './generation'
import { ReferenceImage } from './reference-image'
import { RerunOrigin } from './jobs'
import { SizeSpec } from './size'
import { NoInput, route } from './route'
import { ChargeBasis, TokenUsage } from './token-usage'

/** A tag as stored: trimmed, inner runs of spaces made one, 1 to 64 characters. */
export const TagName = onFirstUse(() => z
  .string()
  .transform((text) => text.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'a tag cannot be empty').max(64, 'a tag is at most 64 characters')))

/** A job's price: estimated before it ran, charged after (null when unknown or not yet). */
export const JobCost = onFirstUse(() => z.object({
  estimated: z.number().nullable(),
  charged: z.number().nullable(),
  currency: z.string(),
}))
export type JobCost = z.infer<typeof JobCost>

/** Paths are relative to the library folder; each door turns them into its own media URL. */
export const ImageView = onFirstUse(() => z.object({
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
  /** In alphabetical order, case ignored. */
  tags: z.array(z.string()),
  /** The SKU of the batch row the image was made for, else null. */
  sku: z.string().nullable().optional(),
  /**
   * The generation it came from (see generationGroupId): the batch id of a Generate press at
   * several sizes, batch and row for a SKU batch row, else its job id. Images sharing it are
   * shown together when the gallery is grouped.
   */
  groupId: z.string(),
  /** What the job that made it cost, for all of that job's images together. */
  jobCost: JobCost,
  /** When its job reran an earlier one: that job and its generation, else null. */
  rerunOf: RerunOrigin.nullable().optional(),
}))
export type ImageView = z.infer<typeof ImageView>

/** Keyset cursor: the (createdAt, id) of the last item of the previous page. */
export const GalleryCursor = onFirstUse(() => z.object({ createdAt: z.number(), id: z.string() }))
export type GalleryCursor = z.infer<typeof GalleryCursor>

/**
 * What a gallery view shows. Every filter is optional and they combine with AND. Each one is
 * answered from an index, so a filtered page costs the same at image 100 and image 100,000.
 */
export const GalleryFilter = onFirstUse(() => z
  .object({
    search: z.string().max(500).optional(),
    provider: z.string().min(1).optional(),
    /** A key's label as ImageView.keyLabel shows it. */
    keyLabel: z.string().min(1).optional(),
    /** Pixel size of the image file, e.g. 1024x1024. */
    size: z
      .string()
      .regex(/^\d{1,5}x\d{1,5}$/, 'size must look like 1024x1024')
      .optional(),
    batchId: z.string().min(1).optional(),
    tag: TagName.optional(),
    favorite: z.boolean().optional(),
    /** Milliseconds since the epoch, inclusive. */
    from: z.number().int().nonnegative().optional(),
    /** Milliseconds since the epoch, exclusive. */
    to: z.number().int().nonnegative().optional(),
  })
  .strict())
export type GalleryFilter = z.input<typeof GalleryFilter>

const checkRange = (f: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx): void => {
  if (f.from !== undefined && f.to !== undefined && f.to <= f.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end of the date range must come after its start' })
  }
}

/** A filter whose date range, when given, runs forward. */
export const GalleryFilterChecked = onFirstUse(() => GalleryFilter.superRefine(checkRange))

/** Up to the whole library at once: "select all" in a 100,000-image gallery is one call. */
export const ImageIds = onFirstUse(() => z.array(z.string().min(1)).min(1, 'select at least one image').max(100_000))

/** The settings of the job that made an image, in the shape the Generate form takes them. */
export const ReusableSettings = onFirstUse(() => z.object({
  provider: z.string(),
  prompt: z.string(),
  /** As the Generate form names sizes: `1024x1024`, or `16:9@2K` for aspect-ratio providers. */
  size: z.string(),
  format: OutputFormat,
  quality: Quality,
  background: Background.nullable(),
  compression: z.number().int().nullable(),
  n: z.number().int(),
  /** The stored key that paid for it; null for the demo provider or an environment key. */
  keyId: z.string().nullable(),
  /**
   * The job's reference images in order, as the job sent them: local files (look a stored one up
   * with refs.describe) or links. Absent: none.
   */
  refs: z.array(ReferenceImage).optional(),
  /** The job's edit mask, like `refs`; absent: none. */
  mask: ReferenceImage.optional(),
  /**
   * Every size of the generation the image belongs to (a Generate press at several sizes, or one
   * batch row), in the order they were asked for, spelled like `size`. Absent: only `size`.
   */
  sizes: z.array(z.string()).optional(),
  /** Options a provider may offer beyond the common ones; null or absent: left to the provider. */
  inputFidelity: z.enum(['low', 'high']).nullable().optional(),
  moderation: z.enum(['auto', 'low']).nullable().optional(),
  partialImages: z.number().int().nullable().optional(),
  /** The template (and its values) the prompt was filled from; absent: a hand-written prompt. */
  template: TemplateUse.optional(),
}))
export type ReusableSettings = z.infer<typeof ReusableSettings>

/** Everything the detail view shows about one image and the job that made it. */
export const ImageDetail = onFirstUse(() => z.object({
  image: ImageView,
  /** The file's absolute path on the machine the engine runs on. */
  path: z.string(),
  job: z.object({
    id: z.string(),
    batchId: z.string().nullable(),
    /** Shown with sizeLabel, the one text spelling of a size. */
    size: SizeSpec,
    estimatedCost: z.number().nullable(),
    chargedCost: z.number().nullable(),
    /** As on JobView: the provider's token counts and how the charge was found. */
    usage: TokenUsage.nullable().optional(),
    chargeBasis: ChargeBasis.nullable().optional(),
    currency: z.string(),
    /** How many reference images the request carried, and whether it had a mask. */
    references: z.number().int(),
    masked: z.boolean(),
    baseUrl: z.string().nullable(),
  }),
  settings: ReusableSettings,
}))
export type ImageDetail = z.infer<typeof ImageDetail>

/** The filter choices that have at least one image behind them. */
export const GalleryFacets = onFirstUse(() => z.object({
  providers: z.array(z.object({ value: z.string(), count: z.number().int() })),
  keyLabels: z.array(z.object({ value: z.string(), count: z.number().int() })),
  sizes: z.array(z.object({ value: z.string(), count: z.number().int() })),
  batches: z.array(z.object({ id: z.string(), name: z.string().nullable(), createdAt: z.number(), count: z.number().int() })),
  tags: z.array(z.object({ value: z.string(), count: z.number().int() })),
}))
export type GalleryFacets = z.infer<typeof GalleryFacets>

/** Where deleted images go, so the interface can say so before the user confirms. */
export const TrashInfo = onFirstUse(() => z.object({
  kind: z.enum(['system', 'folder']),
  /** A sentence for people: "the system Trash", "the folder /home/ana/.../trash". */
  description: z.string(),
}))
export type TrashInfo = z.infer<typeof TrashInfo>

export const galleryRoutes = onFirstUse(() => ({
  'gallery.list': route(
    GalleryFilter.extend({
      limit: z.number().int().min(1).max(500).default(60),
      after: GalleryCursor.optional(),
    })
      .strict()
      .superRefine(checkRange),
    // `total` (every image matching the filter) comes with the first page only: later pages
    // would pay for the count again to say the same thing. `approximate: true` marks a total that
    // is an estimate (several filters together past a thousand matches): shown as "about …".
    z.object({
      images: z.array(ImageView),
      next: GalleryCursor.nullable(),
      total: z.number().int().optional(),
      approximate: z.literal(true).optional(),
    }),
  ),
  /** Every matching id, newest first (select all). */
  'gallery.ids': route(GalleryFilterChecked, z.object({ ids: z.array(z.string()) })),
  'gallery.facets': route(NoInput, GalleryFacets),
  'gallery.get': route(z.object({ id: z.string().min(1) }).strict(), ImageView),
  'gallery.detail': route(z.object({ id: z.string().min(1) }).strict(), ImageDetail),
  'gallery.favorite': route(z.object({ id: z.string().min(1), favorite: z.boolean() }).strict(), ImageView),
  'gallery.favoriteMany': route(
    z.object({ ids: ImageIds, favorite: z.boolean() }).strict(),
    z.object({ updated: z.number().int() }),
  ),
  /** Adds and removes tags on many images at once; answers with the names as stored. */
  'gallery.tag': route(
    z
      .object({ ids: ImageIds, add: z.array(TagName).max(20).default([]), remove: z.array(TagName).max(20).default([]) })
      .strict()
      .refine((t) => t.add.length + t.remove.length > 0, { message: 'name a tag to add or remove', path: ['add'] }),
    z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  ),
  'gallery.trashInfo': route(NoInput, TrashInfo),
  /** Moves the image files to the trash and forgets them; thumbnails are removed. */
  'gallery.delete': route(
    z.object({ ids: ImageIds }).strict(),
    z.object({
      deleted: z.array(z.string()),
      failed: z.array(z.object({ id: z.string(), message: z.string() })),
      trash: TrashInfo,
    }),
  ),
} as const))
