import { z } from 'zod'
import { OUTPUT_FORMATS, OutputFormat } from './generation'
import { NoInput, route } from './route'
import { Remedy } from './remedy'
import { SizeSpec } from './size'

export const Dialect = z.enum(['demo', 'openai-sync', 'async-task', 'getimg-v2'])
export type Dialect = z.infer<typeof Dialect>


const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const Auth = z.enum(['bearer', 'x-api-key'])
export const PriceTierInput = z.strictObject({
  tier: z.string().trim().min(1).max(20),
  price: z.number().nonnegative().max(1000),
  /** For pixel sizes: the tier applies when the longest side is at most this. */
  maxLongSide: z.number().int().positive().optional(),
})

/** Changes to a built-in profile: where it lives, how it authenticates, what it costs, how hard to push it. */
export const ProfileOverride = z.strictObject({
  kind: z.literal('override'),
  id: z.string().min(1),
  baseUrl: HttpUrl.optional(),
  auth: Auth.optional(),
  prices: z.array(PriceTierInput).max(10).optional(),
  priceSource: z.string().trim().max(200).optional(),
  concurrency: z.number().int().min(1).max(16).optional(),
  requestsPerMinute: z.number().int().min(1).max(600).optional(),
  /** How long one call may take before it counts as failed (and is retried). */
  timeoutSeconds: z.number().int().min(30).max(1800).optional(),
})
export type ProfileOverride = z.infer<typeof ProfileOverride>

/** A user's own OpenAI-compatible endpoint. */
export const CustomProfile = z.strictObject({
  kind: z.literal('custom'),
  id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'use 2-31 lowercase letters, digits or dashes, starting with a letter'),
  name: z.string().trim().min(1).max(60),
  baseUrl: HttpUrl,
  auth: Auth.default('bearer'),
  modelId: z.string().trim().min(1).max(100),
  sizes: z.array(z.string().regex(/^\d{2,5}x\d{2,5}$/, 'sizes look like 1024x1024')).min(1).max(30),
  /** Accept sizes beyond the list (multiples of 16, 256-3840 px). */
  customSizes: z.boolean().default(false),
  formats: z.array(OutputFormat).min(1).default([...OUTPUT_FORMATS]),
  formatField: z.enum(['output_format', 'format']).default('output_format'),
  references: z.enum(['none', 'file', 'url', 'file+url']).default('none'),
  maxImagesPerCall: z.number().int().min(1).max(10).default(1),
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  prices: z.array(PriceTierInput).max(10).default([]),
  priceSource: z.string().trim().max(200).default('Entered by you'),
  concurrency: z.number().int().min(1).max(16).default(2),
  requestsPerMinute: z.number().int().min(1).max(600).optional(),
  timeoutSeconds: z.number().int().min(30).max(1800).default(180),
})
export type CustomProfile = z.infer<typeof CustomProfile>
export const ProfileSettings = z.discriminatedUnion('kind', [ProfileOverride, CustomProfile])
export type ProfileSettings = z.infer<typeof ProfileSettings>

/** Request settings some providers' APIs have no field for, so they cannot honour them. */
export const UnsupportedOption = z.enum(['quality', 'background'])
export type UnsupportedOption = z.infer<typeof UnsupportedOption>

/** What the interface and the CLI may know about a profile: capabilities and prices, no secrets. */
export const ProviderSummary = z.object({
  id: z.string(),
  name: z.string(),
  dialect: Dialect,
  baseUrl: z.string(),
  needsKey: z.boolean(),
  origin: z.enum(['builtin', 'custom']),
  /** Built-in profiles the user changed (base URL, prices, limits). */
  overridden: z.boolean(),
  sizeMode: z.enum(['pixels', 'aspect']),
  /** The sizes offered, as values: show them with sizeLabel, never parse them again. */
  sizes: z.array(SizeSpec),
  formats: z.array(OutputFormat),
  maxImagesPerCall: z.number().int(),
  currency: z.string(),
  prices: z.array(z.object({ tier: z.string(), price: z.number(), maxLongSide: z.number().int().optional() })),
  priceSource: z.string(),
  typicalLatencyMs: z.number().int(),
  auth: z.enum(['none', 'bearer', 'x-api-key']),
  modelId: z.string(),
  /** Sizes beyond `sizes` the profile accepts (pixel mode only). */
  customSizes: z.object({ min: z.number().int(), max: z.number().int(), multipleOf: z.number().int() }).nullable(),
  /** How the provider takes reference images; null when it takes none. */
  references: z
    .object({
      accepts: z.array(z.enum(['file', 'url'])),
      maxCount: z.number().int(),
      maxFileBytes: z.number().int(),
      mask: z.boolean(),
      /** The mask's own limit in bytes where the API documents one (OpenAI: under 4 MB); 0: none documented. */
      maxMaskBytes: z.number().int().optional(),
    })
    .nullable(),
  /**
   * Optional request fields the provider documents (absent: none). `sizes` holds `{auto: true}`
   * where the provider takes it.
   */
  options: z.object({ inputFidelity: z.boolean(), moderation: z.boolean(), user: z.boolean() }).optional(),
  /** A provider billing by tokens: the model's token prices per 1M tokens, with their source. */
  tokenPrices: z
    .object({ model: z.string(), textInputPerMillion: z.number(), imageInputPerMillion: z.number(), imageOutputPerMillion: z.number(), source: z.string() })
    .nullable()
    .optional(),
  maxPromptLength: z.number().int(),
  /** Whether the provider can stream partial images while it draws (see GenerationParams.partialImages). */
  streaming: z.boolean().optional(),
  /** Settings this provider cannot honour: anything but auto is refused (absent: it takes them all). */
  unsupportedOptions: z.array(UnsupportedOption).optional(),
  concurrency: z.number().int(),
  requestsPerMinute: z.number().int().nullable(),
  timeoutSeconds: z.number().int(),
  /** Whether a key can be checked for free (see keys.test). */
  freeKeyCheck: z.boolean(),
  /** What the user saved for this profile (an override or a custom profile), for editing. */
  settings: ProfileSettings.nullable(),
})
export type ProviderSummary = z.infer<typeof ProviderSummary>

export const providerRoutes = {
  'providers.list': route(NoInput, z.object({ providers: z.array(ProviderSummary) })),
  /** Saves an override of a built-in profile, or adds/replaces a custom one. */
  'providers.save': route(
    ProfileSettings,
    ProviderSummary.extend({
      /** Set when the saved base URL leaves stored keys behind: they are not sent to the new host until entered again. */
      keyNotice: z.object({ message: z.string(), remedy: Remedy }).nullable().optional(),
    }),
  ),
  /** Removes a custom profile, or resets a built-in one to its defaults. */
  'providers.remove': route(z.strictObject({ id: z.string().min(1) }), z.object({ removed: z.boolean() })),
} as const
