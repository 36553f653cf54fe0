import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { OUTPUT_FORMATS, OutputFormat } from './generation'
import { NoInput, route } from './route'
import { Remedy } from './remedy'
import { SizeSpec } from './size'

export const Dialect = onFirstUse(() => z.enum(['demo', 'openai-sync', 'async-task', 'getimg-v2']))
export type Dialect = z.infer<typeof Dialect>


/**
 * The bounds of a profile's settings: the contract enforces them, and the settings forms check what
 * is typed against them and give them to their inputs, so a form cannot accept what the engine
 * refuses or refuse what it takes.
 */
export const PROFILE_LIMITS = {
  maxImagesPerCall: { min: 1, max: 10 },
  concurrency: { min: 1, max: 16 },
  requestsPerMinute: { min: 1, max: 600 },
  timeoutSeconds: { min: 30, max: 1800 },
} as const
/** Longest text, in characters: an id is 2 to `id` lowercase letters, digits or dashes. */
export const PROFILE_TEXT_LIMITS = { id: 31, name: 60, modelId: 100, priceSource: 200 } as const
/** What a custom profile that accepts sizes beyond its list takes (the gpt-image rule). */
export const CUSTOM_PROFILE_SIZES = { min: 256, max: 3840, multipleOf: 16 } as const

/** Where prices the user typed say they come from, unless the user says otherwise. */
export const USER_PRICE_SOURCE = 'Entered by you'

/**
 * A custom profile's settings where the user leaves them out: the contract fills them in and the
 * new-profile form starts from them (besides every output format and an empty price table).
 */
export const CUSTOM_PROFILE_DEFAULTS = {
  auth: 'bearer',
  customSizes: false,
  formatField: 'output_format',
  references: 'none',
  maxImagesPerCall: 1,
  currency: 'USD',
  priceSource: USER_PRICE_SOURCE,
  concurrency: 2,
  timeoutSeconds: 180,
} as const

const within = (range: { min: number; max: number }) => z.number().int().min(range.min).max(range.max)

const HttpUrl = onFirstUse(() => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
const Auth = onFirstUse(() => z.enum(['bearer', 'x-api-key']))
export const PriceTierInput = onFirstUse(() => z.strictObject({
  tier: z.string().trim().min(1).max(20),
  price: z.number().nonnegative().max(1000),
  /** For pixel sizes: the tier applies when the longest side is at most this. */
  maxLongSide: z.number().int().positive().optional(),
}))

/** Changes to a built-in profile: where it lives, how it authenticates, what it costs, how hard to push it. */
export const ProfileOverride = onFirstUse(() => z.strictObject({
  kind: z.literal('override'),
  id: z.string().min(1),
  baseUrl: HttpUrl.optional(),
  auth: Auth.optional(),
  prices: z.array(PriceTierInput).max(10).optional(),
  priceSource: z.string().trim().max(PROFILE_TEXT_LIMITS.priceSource).optional(),
  concurrency: within(PROFILE_LIMITS.concurrency).optional(),
  requestsPerMinute: within(PROFILE_LIMITS.requestsPerMinute).optional(),
  /** How long one call may take before it counts as failed (and is retried). */
  timeoutSeconds: within(PROFILE_LIMITS.timeoutSeconds).optional(),
}))
export type ProfileOverride = z.infer<typeof ProfileOverride>

/** A user's own OpenAI-compatible endpoint. */
export const CustomProfile = onFirstUse(() => z.strictObject({
  kind: z.literal('custom'),
  id: z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9-]{1,${PROFILE_TEXT_LIMITS.id - 1}}$`),
      `use 2-${PROFILE_TEXT_LIMITS.id} lowercase letters, digits or dashes, starting with a letter`,
    ),
  name: z.string().trim().min(1).max(PROFILE_TEXT_LIMITS.name),
  baseUrl: HttpUrl,
  auth: Auth.default(CUSTOM_PROFILE_DEFAULTS.auth),
  modelId: z.string().trim().min(1).max(PROFILE_TEXT_LIMITS.modelId),
  sizes: z.array(z.string().regex(/^\d{2,5}x\d{2,5}$/, 'sizes look like 1024x1024')).min(1).max(30),
  /** Accept sizes beyond the list (CUSTOM_PROFILE_SIZES). */
  customSizes: z.boolean().default(CUSTOM_PROFILE_DEFAULTS.customSizes),
  formats: z.array(OutputFormat).min(1).default([...OUTPUT_FORMATS]),
  formatField: z.enum(['output_format', 'format']).default(CUSTOM_PROFILE_DEFAULTS.formatField),
  references: z.enum(['none', 'file', 'url', 'file+url']).default(CUSTOM_PROFILE_DEFAULTS.references),
  maxImagesPerCall: within(PROFILE_LIMITS.maxImagesPerCall).default(CUSTOM_PROFILE_DEFAULTS.maxImagesPerCall),
  currency: z.string().regex(/^[A-Z]{3}$/).default(CUSTOM_PROFILE_DEFAULTS.currency),
  prices: z.array(PriceTierInput).max(10).default([]),
  priceSource: z.string().trim().max(PROFILE_TEXT_LIMITS.priceSource).default(CUSTOM_PROFILE_DEFAULTS.priceSource),
  concurrency: within(PROFILE_LIMITS.concurrency).default(CUSTOM_PROFILE_DEFAULTS.concurrency),
  requestsPerMinute: within(PROFILE_LIMITS.requestsPerMinute).optional(),
  timeoutSeconds: within(PROFILE_LIMITS.timeoutSeconds).default(CUSTOM_PROFILE_DEFAULTS.timeoutSeconds),
}))
export type CustomProfile = z.infer<typeof CustomProfile>
export const ProfileSettings = onFirstUse(() => z.discriminatedUnion('kind', [ProfileOverride, CustomProfile]))
export type ProfileSettings = z.infer<typeof ProfileSettings>

/** Request settings some providers' APIs have no field for, so they cannot honour them. */
export const UnsupportedOption = onFirstUse(() => z.enum(['quality', 'background']))
export type UnsupportedOption = z.infer<typeof UnsupportedOption>

/** What the interface and the CLI may know about a profile: capabilities and prices, no secrets. */
export const ProviderSummary = onFirstUse(() => z.object({
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
  /** Sizes beyond `sizes` the profile accepts (pixel mode only), with all its limits (see shared/sizes). */
  customSizes: z
    .object({
      min: z.number().int(),
      max: z.number().int(),
      multipleOf: z.number().int(),
      maxAspect: z.number().optional(),
      minPixels: z.number().int().optional(),
      maxPixels: z.number().int().optional(),
    })
    .nullable(),
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
}))
export type ProviderSummary = z.infer<typeof ProviderSummary>

export const providerRoutes = onFirstUse(() => ({
  'providers.list': route(NoInput, z.object({ providers: z.array(ProviderSummary) })),
  /** Saves an override of a built-in profile, or adds/replaces a custom one. */
  'providers.save': route(
    ProfileSettings,
    // Built at this route's first use: extending builds ProviderSummary, which providers.list needs
    // only when its output is checked.
    onFirstUse(() =>
      ProviderSummary.extend({
        /** Set when the saved base URL leaves stored keys behind: they are not sent to the new host until entered again. */
        keyNotice: z.object({ message: z.string(), remedy: Remedy }).nullable().optional(),
      }),
    ),
  ),
  /** Removes a custom profile, or resets a built-in one to its defaults. */
  'providers.remove': route(z.strictObject({ id: z.string().min(1) }), z.object({ removed: z.boolean() })),
} as const))
