/**
 * Tokensmart (`https://api.tokensmart.ai/v1`): OpenAI-like generations with a Bearer or x-api-key
 * credential. Its own validation is light (size syntax, n, prompt length); what the upstream model
 * refuses (a size it cannot make) comes back as 502 `upstream_error`, refunded. gpt-image-2 gives
 * one image per call, always as `b64_json` (the `data[].url` variants mimic a blog post).
 */
import { checkFields, describeProblem, type FieldTable } from '../field-rules'
import type { ErrorFaultKey } from '../fault-queue'
import { dataUri, IMAGE_FORMATS, produceImages, type ImageFormat } from '../images'
import { billImages } from '../pricing'
import { AUTO_SIZE, gptImage2SizeProblem, parseAspect, parsePixelSize, pixelsForAspect, type PixelSize } from '../sizes'
import type { ProviderSettings } from '../types'
import { generationsRoute, payloadFaultOf, refuse, unixSeconds, type ErrorSpec, type ProviderModule } from './provider'

/** The codes of the page's error table, with the HTTP status each comes with. */
export const TOKENSMART_CODES = {
  invalid_request: 400,
  content_policy_violation: 400,
  no_image_generated: 400,
  invalid_api_key: 401,
  insufficient_balance: 402,
  MODEL_ACCESS_DENIED: 403,
  model_not_found: 404,
  rate_limit_exceeded: 429,
  upstream_error: 502,
} as const
type TokensmartCode = keyof typeof TOKENSMART_CODES

/** The page gives codes only; these `type` values are this server's choice. */
const TYPE_OF: Record<TokensmartCode, string> = {
  invalid_request: 'invalid_request_error',
  content_policy_violation: 'invalid_request_error',
  no_image_generated: 'invalid_request_error',
  invalid_api_key: 'authentication_error',
  insufficient_balance: 'billing_error',
  MODEL_ACCESS_DENIED: 'permission_error',
  model_not_found: 'not_found_error',
  rate_limit_exceeded: 'rate_limit_error',
  upstream_error: 'upstream_error',
}

function err(code: TokensmartCode, message: string): ErrorSpec {
  return { status: TOKENSMART_CODES[code], code, type: TYPE_OF[code], message }
}

export const TOKENSMART_MODELS = ['gpt-image-2'] as const
/** "gpt-image-2 currently supports max 1 image per request." */
const MAX_N: Readonly<Record<string, number>> = { 'gpt-image-2': 1 }
const MAX_SIZE_CHARS = 16

/** Sizes the page verified against gpt-image-2, some outside the resellers' gpt-image-2 rules. */
export const TOKENSMART_VERIFIED_SIZES = ['1024x1024', '1024x1536', '1536x1024', '1024x1792', '1792x1024', '1280x1280', '2048x2048', '256x256', '512x512']

const FIELDS: FieldTable = {
  model: { required: true, rule: { type: 'string' } },
  prompt: { required: true, rule: { type: 'string', nonEmpty: true, maxLength: 32_000 } },
  n: { rule: { type: 'integer', min: 1 } },
  size: { rule: { type: 'any' } },
  quality: { rule: { type: 'string', enum: ['auto', 'high', 'medium', 'low'] } },
  background: { rule: { type: 'string', enum: ['auto', 'transparent', 'opaque'] } },
  output_format: { rule: { type: 'string', enum: IMAGE_FORMATS } },
  response_format: { rule: { type: 'string', enum: ['b64_json', 'url'] } },
  aspect_ratio: { rule: { type: 'string' } },
}

/** Tokensmart-side size check: a string of at most 16 characters, `auto` or `WIDTHxHEIGHT`. */
function sizeSyntaxProblem(size: unknown): string | null {
  if (typeof size !== 'string') return `size must be a string, got ${typeof size}`
  if (size.length > MAX_SIZE_CHARS) return `size must be at most ${MAX_SIZE_CHARS} characters`
  if (size !== 'auto' && !parsePixelSize(size)) return `size must be 'auto' or WIDTHxHEIGHT (digits, lowercase x), got '${size}'`
  return null
}

/** Whether the upstream model makes this size: the verified list, else gpt-image-2's custom-size rules. */
function upstreamMakes(size: string): boolean {
  if (size === 'auto' || TOKENSMART_VERIFIED_SIZES.includes(size)) return true
  const parsed = parsePixelSize(size)
  return parsed !== null && gptImage2SizeProblem(parsed) === null
}

function outputSize(size: string, aspectText: string | undefined): PixelSize {
  const base = size === 'auto' ? AUTO_SIZE : (parsePixelSize(size) ?? AUTO_SIZE)
  const aspect = aspectText ? parseAspect(aspectText) : null
  return aspect ? pixelsForAspect(aspect, Math.max(base.width, base.height)) : base
}

export const tokensmart: ProviderModule = {
  id: 'tokensmart',
  basePath: '/tokensmart/v1',
  keyPrefix: 'pk_live_test',
  authHeaders: ['bearer', 'x-api-key'],
  errorBody: (spec) => ({ error: { code: spec.code ?? null, message: spec.message, type: spec.type ?? null } }),
  unauthorized: () => err('invalid_api_key', 'Invalid or missing API key.'),
  notFound: (method, path) => ({ status: 404, code: 'not_found', type: 'not_found_error', message: `No route for ${method} ${path}.` }),
  unreadable: (reason) => err('invalid_request', reason),
  faultErrors: {
    '402': err('insufficient_balance', 'Insufficient balance.'),
    '403': err('MODEL_ACCESS_DENIED', 'No access to this model.'),
    '404': err('model_not_found', 'Model not found or not available.'),
    '429': err('rate_limit_exceeded', 'Rate limit exceeded.'),
    '500': { status: 500, code: 'internal_error', type: 'server_error', message: 'Internal error.' },
    '502': err('upstream_error', 'Service error.'),
    '503': { status: 503, code: 'service_unavailable', type: 'server_error', message: 'Service temporarily unavailable.' },
    'content-policy': err('content_policy_violation', 'Prompt hit content moderation. The pre-deduction was refunded.'),
    'no-image-generated': err('no_image_generated', 'No image was generated. The pre-deduction was refunded.'),
  } satisfies Partial<Record<ErrorFaultKey, ErrorSpec>>,
  payloadFaults: ['truncated-base64', 'invalid-base64', 'not-an-image', 'empty-data'],
  routes: [
    generationsRoute(async (values) => {
      const problem = checkFields(values, FIELDS)
      if (problem) return refuse(err('invalid_request', describeProblem(problem)))
      const model = values.model as string
      if (!(TOKENSMART_MODELS as readonly string[]).includes(model)) {
        return refuse(err('model_not_found', `Model '${model}' not found or not available.`))
      }
      const n = (values.n as number | undefined) ?? 1
      const maxN = MAX_N[model] ?? 1
      if (n > maxN) return refuse(err('invalid_request', `${model} supports at most ${maxN} image per request (n=${n}).`))
      const size = values.size === undefined ? 'auto' : values.size
      const sizeProblem = sizeSyntaxProblem(size)
      if (sizeProblem) return refuse(err('invalid_request', sizeProblem))
      const aspect = values.aspect_ratio as string | undefined
      if (aspect !== undefined && !parseAspect(aspect)) {
        return refuse(err('invalid_request', `aspect_ratio must look like '16:9', got '${aspect}'.`))
      }
      const format = (values.output_format as ImageFormat | undefined) ?? 'png'
      const transparent = values.background === 'transparent'
      // Past Tokensmart's own checks the upstream decides; its refusals are 502s, refunded.
      const upstreamRefusal = !upstreamMakes(size as string)
        ? `Upstream model rejected size '${size as string}'. The pre-deduction was refunded.`
        : transparent && format === 'jpeg'
          ? 'Upstream model rejected a transparent background with jpeg output. The pre-deduction was refunded.'
          : null
      if (upstreamRefusal) return refuse(err('upstream_error', upstreamRefusal))
      const pixels = outputSize(size as string, aspect)
      return {
        ok: true,
        async run({ state, seq, fault }) {
          const payloadFault = payloadFaultOf(fault)
          const images = await produceImages({ ...pixels, format, alpha: transparent, count: n }, payloadFault)
          const settings: ProviderSettings['tokensmart'] = state.settings.tokensmart
          // Invalid base64 only exists as base64, so a file-URL setting answers that fault with a data URI.
          const delivery = settings.delivery === 'file-url' && payloadFault === 'invalid-base64' ? 'data-uri' : settings.delivery
          billImages(state.ledger, { provider: 'tokensmart', seq, images: images.length, unitUsd: settings.unitPriceUsd, basis: 'fixed price per returned image' })
          const data = images.map((image) => {
            if (delivery === 'b64_json') return { b64_json: image.base64 }
            if (delivery === 'data-uri') return { url: dataUri(image) }
            return { url: state.files.put('tokensmart', image.bytes, image.format, image.mime) }
          })
          return { reply: { kind: 'json', status: 200, body: { created: unixSeconds(state.now()), data } } }
        },
      }
    }),
  ],
}
