import { OUTPUT_FORMATS } from '../../../shared/api'
import { OPENAI_TOKEN_PRICES } from './openai-token-prices'
import type { ProviderProfile } from './profile'

/**
 * Built-in provider profiles, from the providers' own pages (../shared/providers in the design
 * folder), read 2026-11. Prices are what each page lists; users can override them.
 */

/**
 * gpt-image-2 custom sizes as several resellers state them (not confirmed by an OpenAI page):
 * multiples of 16, longest edge 3840, ratio at most 3:1, 655,360 to 8,294,400 pixels.
 */
const GPT_IMAGE_2_CUSTOM = { min: 256, max: 3840, multipleOf: 16, maxAspect: 3, minPixels: 655_360, maxPixels: 8_294_400 }

/** OpenAI's edits take a mask "less than 4MB", apart from the 50 MB limit on each image. */
const OPENAI_MASK_BYTES = 4 * 1024 * 1024

/** Tier by longest side, as TokenHub documents it; reused where a page gives tiers without a rule. */
const LONG_SIDE_TIERS = [{ maxLongSide: 1536 }, { maxLongSide: 2048 }, {}] as const

/**
 * `size: "auto"`: OpenAI's reply names the size the model picked, one of 1024x1024, 1536x1024 or
 * 1024x1536 (ImagesResponse.size in its OpenAPI description), so auto is priced as a 1536 px image.
 */
const AUTO_SIZE = { priceAsLongSide: 1536 }

/** What the hosted gpt-image-2 profiles share unless a page says otherwise. */
type HostedProfile = Omit<ProviderProfile, 'auth' | 'modelId' | 'formats' | 'maxImagesPerJob' | 'maxPromptLength' | 'safeToResubmit'> &
  Partial<Pick<ProviderProfile, 'auth' | 'modelId' | 'formats'>>

function hosted(p: HostedProfile): ProviderProfile {
  return {
    auth: 'bearer',
    modelId: 'gpt-image-2',
    formats: [...OUTPUT_FORMATS],
    maxImagesPerJob: 10,
    maxPromptLength: 32000,
    // No provider documents a request rate; a conservative default keeps batches under 429s.
    requestsPerMinute: 30,
    // A crashed call may have been billed: never resubmit it without the user. No page makes that
    // free: TokenHub's "failed calls are not charged" and Tokensmart's refunds cover calls that fail
    // at the provider, while a call cut off by our crash has usually succeeded there and been billed.
    safeToResubmit: false,
    ...p,
  }
}

export const builtinProfiles: ProviderProfile[] = [
  hosted({
    id: 'gettoken',
    name: 'GetToken Stable Images',
    dialect: 'openai-sync',
    baseUrl: 'https://api.gettoken.dev/image/v1',
    sizes: {
      kind: 'pixels',
      suggested: ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '3840x2160', '2160x3840'],
      custom: GPT_IMAGE_2_CUSTOM,
    },
    // The GetToken page documents generations only: no edits, so no reference images.
    refs: null,
    maxImagesPerCall: 1,
    pricing: {
      currency: 'USD',
      tiers: [
        { tier: '1K', price: 0.804, ...LONG_SIDE_TIERS[0] },
        { tier: '2K', price: 1.206, ...LONG_SIDE_TIERS[1] },
        { tier: '4K', price: 1.608 },
      ],
      source: 'GetToken Stable Images page, estimated per-image usage (read 2026-11)',
    },
    typicalLatencyMs: 45_000,
    concurrency: 2,
  }),
  hosted({
    id: 'toapis',
    name: 'ToAPIs',
    dialect: 'async-task',
    baseUrl: 'https://toapis.com/v1',
    sizes: {
      kind: 'aspect',
      matrix: {
        '1K': ['1:1', '3:2', '2:3'],
        '2K': ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'],
        '4K': ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'],
      },
    },
    // ToAPIs documents no output-format field: images come back as the service makes them.
    formats: ['png'],
    refs: { accepts: ['url'], maxCount: 16, maxFileBytes: 0, mask: false, maxMaskBytes: 0 },
    // Its documented request is model, prompt, size (aspect), n, response_format and metadata.
    unsupportedOptions: ['quality', 'background'],
    maxImagesPerCall: 1,
    pricing: {
      currency: 'USD',
      tiers: [
        { tier: '1K', price: 0.015 },
        { tier: '2K', price: 0.02 },
        { tier: '4K', price: 0.025 },
      ],
      source: 'ToAPIs GPT-Image-2 page, listed rates; final billing follows account pricing (read 2026-11)',
    },
    typicalLatencyMs: 30_000,
    concurrency: 4,
  }),
  hosted({
    id: 'tokenhub',
    name: 'TokenHub',
    dialect: 'openai-sync',
    baseUrl: 'https://tokenhub.store/api/v1',
    modelId: 'openai/gpt-image-2',
    sizes: {
      kind: 'pixels',
      suggested: ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '3840x2160', '2160x3840'],
      custom: null,
      auto: AUTO_SIZE,
    },
    fields: { format: 'format' },
    // TokenHub's page gives no mask limit; it serves OpenAI's gpt-image-2, whose mask limit is kept.
    refs: { accepts: ['file', 'url'], maxCount: 16, maxFileBytes: 50 * 1024 * 1024, mask: true, maxMaskBytes: OPENAI_MASK_BYTES },
    // The guide lists input_fidelity for edits; it names no moderation or user field.
    options: { inputFidelity: true, moderation: false, user: false },
    // The API allows 10 per call; 4 keeps a reply (4 MB of base64 per image) small in memory,
    // and the price is per image, so splitting costs nothing.
    maxImagesPerCall: 4,
    pricing: {
      currency: 'USD',
      tiers: [
        { tier: '1K', price: 0.125, ...LONG_SIDE_TIERS[0] },
        { tier: '2K', price: 0.25, ...LONG_SIDE_TIERS[1] },
        { tier: '4K', price: 0.5 },
      ],
      source: 'TokenHub GPT-Image-2 guide: flat per image by longest side; failed calls free (read 2026-11)',
    },
    typicalLatencyMs: 20_000,
    concurrency: 3,
  }),
  hosted({
    id: 'getimg',
    name: 'getimg.ai',
    dialect: 'getimg-v2',
    baseUrl: 'https://api.getimg.ai/v2',
    sizes: {
      kind: 'aspect',
      matrix: {
        '1K': ['1:1', '2:3', '3:2', '4:3', '3:4', '4:5', '16:9', '9:16', '21:9'],
        '2K': ['1:1', '2:3', '3:2', '4:3', '3:4', '4:5', '16:9', '9:16', '21:9'],
      },
    },
    formats: ['jpeg', 'png', 'webp'],
    refs: { accepts: ['url'], maxCount: 10, maxFileBytes: 0, mask: false, maxMaskBytes: 0 },
    // The v2 request has model, prompt, aspect_ratio, resolution, output_format and images only.
    unsupportedOptions: ['quality', 'background'],
    maxImagesPerCall: 1,
    pricing: {
      currency: 'USD',
      tiers: [
        { tier: '1K', price: 0.06 },
        { tier: '2K', price: 0.12 },
      ],
      source: 'getimg.ai GPT Image 2 page; the charged amount comes from each reply (read 2026-11)',
    },
    typicalLatencyMs: 30_000,
    concurrency: 3,
  }),
  hosted({
    id: 'tokensmart',
    name: 'Tokensmart',
    dialect: 'openai-sync',
    baseUrl: 'https://api.tokensmart.ai/v1',
    // Tokensmart documents both Bearer and x-api-key; the profile picks one, users can change it.
    auth: 'x-api-key',
    sizes: {
      kind: 'pixels',
      suggested: ['1024x1024', '1024x1536', '1536x1024', '1024x1792', '1792x1024', '1280x1280', '2048x2048', '512x512'],
      // "Any size the model supports": only the WIDTHxHEIGHT syntax is checked on their side, and
      // a size gpt-image-2 refuses comes back as a refunded 502. Its sides must be multiples of 16.
      custom: { min: 16, max: 99999, multipleOf: 16 },
      // "Must be auto or WIDTHxHEIGHT"; its page lists no per-image price for any size.
      auto: AUTO_SIZE,
    },
    refs: null,
    // "gpt-image-2 currently supports max 1 image per request": n is split into several calls.
    maxImagesPerCall: 1,
    pricing: {
      currency: 'USD',
      tiers: [],
      source: 'Tokensmart lists prices on its own pricing page; none is set here until you enter yours',
    },
    typicalLatencyMs: 60_000,
    concurrency: 2,
  }),
  hosted({
    id: 'openai',
    name: 'OpenAI',
    dialect: 'openai-sync',
    baseUrl: 'https://api.openai.com/v1',
    sizes: {
      kind: 'pixels',
      suggested: ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '3840x2160', '2160x3840'],
      custom: GPT_IMAGE_2_CUSTOM,
      auto: AUTO_SIZE,
    },
    // GET /models is free and needs a valid key: the one check that costs nothing.
    keyCheck: { path: '/models' },
    // Files go up as multipart; links (and files beside them, as data URIs) in the JSON edit form.
    refs: { accepts: ['file', 'url'], maxCount: 16, maxFileBytes: 50 * 1024 * 1024, mask: true, maxMaskBytes: OPENAI_MASK_BYTES },
    fields: { jsonEditImages: 'images' },
    options: { inputFidelity: true, moderation: 'generations-and-json-edits', user: true },
    tokenPrices: OPENAI_TOKEN_PRICES['gpt-image-2'],
    // The API allows 10 per call; 4 keeps a reply (4 MB of base64 per image) small in memory,
    // and the price is per image, so splitting costs nothing.
    maxImagesPerCall: 4,
    // The OpenAPI description documents `stream` and `partial_images` on generations and edits;
    // no reseller page does, so only this profile streams.
    streaming: true,
    pricing: {
      currency: 'USD',
      tiers: [
        { tier: '1K', price: 0.22, ...LONG_SIDE_TIERS[0] },
        { tier: '2K', price: 0.5, ...LONG_SIDE_TIERS[1] },
        { tier: '4K', price: 1.3 },
      ],
      source: 'OpenAI list prices per image as quoted on the ToAPIs page; OpenAI bills by tokens, so approximate (read 2026-11)',
    },
    typicalLatencyMs: 60_000,
    concurrency: 2,
  }),
]
