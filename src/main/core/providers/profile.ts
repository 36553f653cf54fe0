import type { Dialect, OutputFormat, UnsupportedOption } from '../../../shared/api'
import type { CustomSizeLimits } from '../../../shared/sizes/pixel-size-rules'

/**
 * A provider profile is data: everything that differs between providers that speak the same
 * dialect lives here, so adapters contain no per-provider `if` chains.
 */
export interface PriceTier {
  /** Tier name shown to users ("1K", "2K", "4K", or "image" for a flat price). */
  tier: string
  price: number
  /** For pixel sizes: this tier applies when the longest side is at most this many pixels. */
  maxLongSide?: number
}

export interface PriceTable {
  currency: string
  tiers: PriceTier[]
  /** Where the numbers come from and when they were read, shown beside every estimate. */
  source: string
}

export interface PixelSizeRule {
  kind: 'pixels'
  /** Sizes offered in the interface. */
  suggested: string[]
  /** Whether sizes outside `suggested` are accepted, and within which limits. */
  custom: null | CustomSizeLimits
  /**
   * Present where the provider documents `size: "auto"` (the model picks). Priced as an image whose
   * longest side is `priceAsLongSide`, the largest size auto is documented to pick.
   */
  auto?: { priceAsLongSide: number }
}

export interface AspectSizeRule {
  kind: 'aspect'
  /** Valid aspect ratios per resolution tier. */
  matrix: Record<string, string[]>
}

/** How a provider takes reference images, if at all. */
export interface ReferenceRule {
  /** 'file': local files uploaded with the call; 'url': public https links passed through. */
  accepts: ('file' | 'url')[]
  maxCount: number
  maxFileBytes: number
  /** Whether an edit mask (PNG, same size as the first image) is accepted. */
  mask: boolean
  /** The mask's own size limit, separate from the images' (OpenAI: a mask under 4 MB). */
  maxMaskBytes: number
}

/**
 * Optional request fields beyond size, quality, format and background, each true only where the
 * provider's document names it; a request using one that is false is refused before queueing.
 */
export interface RequestOptions {
  /** `input_fidelity` (high | low), on edits only. */
  inputFidelity: boolean
  /**
   * `moderation` (auto | low). 'generations-and-json-edits': OpenAI's multipart edit form has no
   * such field but its JSON form does, so an edit with moderation goes as JSON.
   */
  moderation: false | 'generations-and-json-edits'
  /** `user`, an end-user id. */
  user: boolean
}

/**
 * A model billed by tokens (OpenAI's GPT image models), in USD per 1M tokens, with where the
 * numbers were read. The charged amount of a call is computed from its `usage` with these.
 */
export interface TokenPrices {
  model: string
  textInputPerMillion: number
  imageInputPerMillion: number
  imageOutputPerMillion: number
  source: string
}

export interface ProviderProfile {
  id: string
  name: string
  dialect: Dialect
  baseUrl: string
  auth: 'none' | 'bearer' | 'x-api-key'
  modelId: string
  sizes: PixelSizeRule | AspectSizeRule
  formats: OutputFormat[]
  /** Field names that differ between otherwise compatible APIs. */
  fields?: {
    format?: 'output_format' | 'format'
    /**
     * How a JSON edit names its images: 'images' is OpenAI's `images: [{image_url}]` with
     * `mask: {image_url}`; 'image' (the default) is TokenHub's `image: url | [url]` with `mask: url`.
     */
    jsonEditImages?: 'images' | 'image'
  }
  refs: ReferenceRule | null
  /** Optional fields the provider documents; absent means none of them. */
  options?: RequestOptions
  /** When the provider bills by tokens and reports usage: the model's token prices. */
  tokenPrices?: TokenPrices
  maxImagesPerCall: number
  maxImagesPerJob: number
  maxPromptLength: number
  pricing: PriceTable
  typicalLatencyMs: number
  /** How long one HTTP call may take; generous, since 4K images can take minutes. */
  timeoutMs?: number
  /** Jobs of this profile running at once. */
  concurrency: number
  /** Calls per minute this profile may start, so a batch does not run into 429s. */
  requestsPerMinute?: number
  /** A free, authenticated GET that tells whether a key works; absent when the API has none. */
  keyCheck?: { path: string }
  /**
   * Whether the provider documents streaming (`stream: true` with `partial_images`); absent means
   * no, and such a provider must never be sent the streaming fields.
   */
  streaming?: boolean
  /**
   * Request settings the provider's API has no field for (getimg v2: quality, background). Anything
   * but `auto` is refused before queueing rather than dropped without a word.
   */
  unsupportedOptions?: readonly UnsupportedOption[]
  /** True only where resubmitting a call that may have gone through costs nothing (e.g. demo). */
  safeToResubmit: boolean
}
