import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { GalleryFilterChecked } from './gallery'
import { OutputFormat } from './generation'
import { NoInput, route } from './route'

/**
 * Exports: images of the library written to a folder the user picked, named by a template,
 * converted per output (a shop size, a social crop), with a manifest and optionally a ZIP.
 * `exports.start` returns at once; progress and the result arrive as `export.progress` events
 * and through `exports.status`.
 */

/** The fields a naming template may use, e.g. "{sku}-{width}x{height}.{ext}". */
export const NAMING_FIELDS = [
  'sku',
  'name',
  'size',
  'source_size',
  'width',
  'height',
  'index',
  'provider',
  'date',
  'prompt_slug',
  'output',
  'ext',
] as const
export type NamingField = (typeof NAMING_FIELDS)[number]

export const NAMING_FIELD_HELP: Record<NamingField, string> = {
  sku: 'the product SKU of the batch row the image came from (empty when it has none)',
  name: 'the product name of the batch row (empty when it has none)',
  size: 'pixel size of the written file, e.g. 2000x2000',
  source_size: 'pixel size of the library image it was made from, e.g. 1536x1024 (tells apart outputs of one SKU at several sizes)',
  width: 'pixel width of the written file',
  height: 'pixel height of the written file',
  index: 'position of the source image in the export, from 1, zero-padded (001)',
  provider: 'the provider that made the image',
  date: 'the local day the image was made, YYYY-MM-DD',
  prompt_slug: 'the first words of the prompt, lower case, joined by dashes',
  output: 'the label of the output (e.g. shop, social)',
  ext: 'the file extension (png, jpg, webp); added at the end when the template leaves it out',
}

export const DEFAULT_NAMING = '{prompt_slug}-{size}-{index}.{ext}'

/** The filter gallery.list takes, without its paging: an export takes the whole result. */
export const ExportFilter = GalleryFilterChecked
export type ExportFilter = z.infer<typeof ExportFilter>

/** What to export. Nothing given means every image in the library. */
export const ExportSelection = onFirstUse(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('batch'), batchId: z.string().trim().min(1, 'batch id is empty') }),
  z.strictObject({ kind: z.literal('filter'), filter: ExportFilter }),
  z.strictObject({
    kind: z.literal('ids'),
    ids: z.array(z.string().min(1)).min(1, 'select at least one image').max(100_000),
  }),
]))
export type ExportSelection = z.infer<typeof ExportSelection>

export const ExportFit = onFirstUse(() => z.enum(['cover', 'contain']))
export type ExportFit = z.infer<typeof ExportFit>

const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u

/**
 * One file per source image. No format keeps the source's; no size keeps its pixels; with a
 * size, `cover` crops to fill it exactly and `contain` fits inside and pads (white, or
 * transparent for png/webp sources with alpha).
 */
export const ExportOutput = onFirstUse(() => z
  .strictObject({
    label: z.string().regex(LABEL, 'label: letters, digits, spaces, - and _, up to 40').optional(),
    format: OutputFormat.optional(),
    /** 1-100 for jpeg and webp; png is lossless and ignores it. */
    quality: z.number().int().min(1, 'quality is 1 to 100').max(100, 'quality is 1 to 100').optional(),
    width: z.number().int().min(1).max(16384).optional(),
    height: z.number().int().min(1).max(16384).optional(),
    fit: ExportFit.default('cover'),
  })
  .superRefine((o, ctx) => {
    if ((o.width === undefined) !== (o.height === undefined)) {
      ctx.addIssue({ code: 'custom', path: [o.width === undefined ? 'width' : 'height'], message: 'give both width and height, or neither' })
    }
  }))
export type ExportOutput = z.input<typeof ExportOutput>
export type ParsedExportOutput = z.output<typeof ExportOutput>

export const ManifestFormat = onFirstUse(() => z.enum(['csv', 'json']))
export type ManifestFormat = z.infer<typeof ManifestFormat>

/** Outputs one export may write per image: the request refuses more, the dialog offers no more. */
export const MAX_EXPORT_OUTPUTS = 8

export const ExportRequest = onFirstUse(() => z.strictObject({
  /** Absolute path (a leading ~/ means the user's home folder). Created when missing. */
  folder: z.string().trim().min(1, 'folder is empty'),
  selection: ExportSelection.default({ kind: 'all' }),
  naming: z.string().trim().min(1, 'naming template is empty').max(300).default(DEFAULT_NAMING),
  outputs: z
    .array(ExportOutput)
    .min(1, 'add at least one output')
    .max(MAX_EXPORT_OUTPUTS, `at most ${MAX_EXPORT_OUTPUTS} outputs`)
    .default([{ fit: 'cover' }]),
  manifest: ManifestFormat.nullable().default('csv'),
  zip: z.boolean().default(false),
}))
export type ExportRequest = z.input<typeof ExportRequest>
export type ParsedExportRequest = z.output<typeof ExportRequest>

export const ExportStatus = onFirstUse(() => z.enum(['running', 'done', 'canceled', 'failed']))
export type ExportStatus = z.infer<typeof ExportStatus>

/** Where an export stands; the same shape is pushed as `export.progress`. */
export const ExportState = onFirstUse(() => z.object({
  id: z.string(),
  status: ExportStatus,
  folder: z.string(),
  /** Source images in the selection, and how many of them are finished. */
  images: z.number().int(),
  imagesDone: z.number().int(),
  /** Files written so far (images x outputs when done). */
  files: z.number().int(),
  bytes: z.number().int(),
  /** The last file written, relative to the folder. */
  current: z.string().nullable(),
  manifest: z.string().nullable(),
  zip: z.string().nullable(),
  /** Why it failed, when it did. */
  error: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
}))
export type ExportState = z.infer<typeof ExportState>

export const ExportPreset = onFirstUse(() => z.object({
  id: z.string(),
  label: z.string(),
  /** The naming template the preset suggests (the dialog takes it while the naming is untouched). */
  naming: z.string().optional(),
  output: z.object({
    label: z.string(),
    format: OutputFormat,
    quality: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    fit: ExportFit,
  }),
}))
export type ExportPreset = z.infer<typeof ExportPreset>

export const ExportPreview = onFirstUse(() => z.object({
  images: z.number().int(),
  files: z.number().int(),
  /** The first names the export would write (relative to the folder), in order. */
  examples: z.array(z.string()),
  /** What is wrong with the folder (or that none was given), or null when it can be written to. */
  folderProblem: z.string().nullable(),
  /** The folder as the engine resolved it (~ expanded). */
  folder: z.string(),
}))
export type ExportPreview = z.infer<typeof ExportPreview>

export const exportRoutes = onFirstUse(() => ({
  'exports.start': route(ExportRequest, ExportState),
  'exports.status': route(z.strictObject({ id: z.string().min(1) }), ExportState),
  'exports.cancel': route(z.strictObject({ id: z.string().min(1) }), ExportState),
  /** Names and counts without writing anything; the folder (optional here) is checked, not created. */
  'exports.preview': route(ExportRequest.extend({ folder: z.string().trim().default('') }), ExportPreview),
  'exports.presets': route(
    NoInput,
    z.object({
      presets: z.array(ExportPreset),
      fields: z.array(z.object({ name: z.string(), help: z.string() })),
      defaultNaming: z.string(),
    }),
  ),
} as const))
