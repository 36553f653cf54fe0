/**
 * The OpenAI Images dialect, shared by OpenAI itself and the resellers that copy it (GetToken,
 * TokenHub): the `{error: {message, type, param, code}}` envelope, gpt-image-2's request fields
 * and size rules, and OpenAI's error replies. Each provider module picks what it copies.
 */
import type { ErrorFaultKey } from '../fault-queue'
import { checkFields, describeProblem, describeValue, type FieldProblem, type FieldTable, type FieldValues } from '../field-rules'
import { IMAGE_FORMATS, type ImageFormat } from '../images'
import { AUTO_SIZE, gptImage2SizeProblem, parsePixelSize, type PixelSize } from '../sizes'
import type { AuthSeen } from '../types'
import type { ErrorSpec, ProviderModule } from './provider'

export function openAiErrorBody(spec: ErrorSpec): unknown {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'invalid_request_error',
      param: spec.param ?? null,
      code: spec.code ?? null,
    },
  }
}

export function invalidRequest(message: string, param: string | null, code: string | null): ErrorSpec {
  return { status: 400, message, type: 'invalid_request_error', param, code }
}

export function openAiProblem(problem: FieldProblem): ErrorSpec {
  const code: Record<FieldProblem['kind'], string> = {
    unknown: 'unknown_parameter',
    missing: 'missing_required_parameter',
    type: 'invalid_type',
    enum: 'invalid_value',
    range: 'invalid_value',
    'too-long': 'string_above_max_length',
    empty: 'invalid_value',
  }
  return invalidRequest(describeProblem(problem), problem.field, code[problem.kind])
}

/** OpenAI's own 401s: a missing key has `code: null`, a wrong one `invalid_api_key`. */
export function openAiUnauthorized(seen: AuthSeen): ErrorSpec {
  if (seen.scheme === 'none' || seen.scheme === 'x-api-key' || seen.scheme === 'other') {
    return {
      status: 401,
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      type: 'invalid_request_error',
      param: null,
      code: null,
    }
  }
  return { status: 401, message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
}

/** The resellers answer every bad or missing key the same way. */
export function resellerUnauthorized(_seen: AuthSeen): ErrorSpec {
  return { status: 401, message: 'Invalid API key.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
}

export function openAiNotFound(method: string, path: string): ErrorSpec {
  return { status: 404, message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null }
}

export function openAiUnreadable(reason: string): ErrorSpec {
  return invalidRequest(reason, null, null)
}

export const OPENAI_FAULT_ERRORS: Readonly<Partial<Record<ErrorFaultKey, ErrorSpec>>> = {
  '403': {
    status: 403,
    message: 'Your organization must be verified to use the model `gpt-image-2`.',
    type: 'invalid_request_error',
    code: null,
  },
  '404': {
    status: 404,
    message: 'The model `gpt-image-2` does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  '429': {
    status: 429,
    message: 'Rate limit reached for gpt-image-2 on images per minute. Please try again later.',
    type: 'requests',
    code: 'rate_limit_exceeded',
  },
  '500': { status: 500, message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' },
  '502': { status: 502, message: 'Bad gateway.', type: 'server_error' },
  '503': { status: 503, message: 'The engine is currently overloaded, please try again later.', type: 'server_error' },
  'content-policy': {
    status: 400,
    message: 'Your request was rejected by the safety system. Your request may contain content that is not allowed.',
    type: 'image_generation_user_error',
    code: 'moderation_blocked',
  },
  'insufficient-quota': {
    status: 429,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    type: 'insufficient_quota',
    code: 'insufficient_quota',
  },
}

/**
 * What an OpenAI-compatible reseller answers: OpenAI's errors passed through, plus a balance error
 * (402) and a plain access refusal (403) of its own. The bodies beyond OpenAI's are not documented.
 */
export const RESELLER_FAULT_ERRORS: Readonly<Partial<Record<ErrorFaultKey, ErrorSpec>>> = {
  ...OPENAI_FAULT_ERRORS,
  '402': { status: 402, message: 'Insufficient balance. Please top up your account.', type: 'insufficient_balance', code: 'insufficient_balance' },
  '403': { status: 403, message: 'This API key has no access to the model gpt-image-2.', type: 'permission_error', code: 'model_access_denied' },
}

const QUALITIES = ['auto', 'low', 'medium', 'high'] as const

/** gpt-image-2 at OpenAI's /images/generations. `response_format` is deliberately absent. */
export const GPT_IMAGE_2_GENERATION_FIELDS: FieldTable = {
  model: { required: true, rule: { type: 'string', enum: ['gpt-image-2'] } },
  prompt: { required: true, rule: { type: 'string', nonEmpty: true, maxLength: 32_000 } },
  n: { rule: { type: 'integer', min: 1, max: 10 } },
  size: { rule: { type: 'string' } },
  quality: { rule: { type: 'string', enum: QUALITIES } },
  background: { rule: { type: 'string', enum: ['auto', 'transparent', 'opaque'] } },
  output_format: { rule: { type: 'string', enum: IMAGE_FORMATS } },
  output_compression: { rule: { type: 'integer', min: 0, max: 100 } },
  moderation: { rule: { type: 'string', enum: ['auto', 'low'] } },
  user: { rule: { type: 'string' } },
  stream: { rule: { type: 'boolean' } },
  partial_images: { rule: { type: 'integer', min: 0, max: 3 } },
}

/** /images/edits text fields (files are checked separately); no `moderation` there. */
export const GPT_IMAGE_2_EDIT_FIELDS: FieldTable = {
  ...Object.fromEntries(Object.entries(GPT_IMAGE_2_GENERATION_FIELDS).filter(([name]) => name !== 'moderation')),
  input_fidelity: { rule: { type: 'string', enum: ['low', 'high'] } },
}

/**
 * /images/edits as JSON (EditImageBodyJsonParam): the multipart fields plus `moderation`, with
 * `images` (ImageRefParam list) instead of `image` files and `mask` as one ImageRefParam.
 */
export const GPT_IMAGE_2_JSON_EDIT_FIELDS: FieldTable = {
  ...GPT_IMAGE_2_GENERATION_FIELDS,
  input_fidelity: { rule: { type: 'string', enum: ['low', 'high'] } },
  images: { required: true, rule: { type: 'array' } },
  mask: { rule: { type: 'object' } },
}

export interface GptImageOptions {
  size: PixelSize
  sizeText: string
  format: ImageFormat
  alpha: boolean
  n: number
  quality: string
  background: string
  prompt: string
  /** `stream: true`: the reply is an event stream with `partialImages` partial images first. */
  stream: boolean
  partialImages: number
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorSpec }

/** Field table first, then the rules that span fields (size limits, transparency). */
export function checkGptImage2(values: FieldValues, table: FieldTable, opts: { streams?: boolean } = {}): Checked<GptImageOptions> {
  const problem = checkFields(values, table)
  if (problem) return { ok: false, error: openAiProblem(problem) }
  // Only OpenAI's own reference documents streaming; no reseller page does.
  if (values.stream === true && !opts.streams) {
    return { ok: false, error: invalidRequest('stream: true is not offered by this provider; send stream: false or omit it.', 'stream', 'invalid_value') }
  }
  const sizeText = (values.size as string | undefined) ?? 'auto'
  let size = AUTO_SIZE
  if (sizeText !== 'auto') {
    const parsed = parsePixelSize(sizeText)
    if (!parsed) {
      return {
        ok: false,
        error: invalidRequest(
          `Invalid value: ${describeValue(sizeText)}. Supported values for 'size' are 'auto' or WIDTHxHEIGHT (e.g. '1024x1024').`,
          'size',
          'invalid_value',
        ),
      }
    }
    const why = gptImage2SizeProblem(parsed)
    if (why) return { ok: false, error: invalidRequest(`Invalid size '${sizeText}': ${why}.`, 'size', 'invalid_value') }
    size = parsed
  }
  const format = (values.output_format as ImageFormat | undefined) ?? 'png'
  const background = (values.background as string | undefined) ?? 'auto'
  if (background === 'transparent' && format === 'jpeg') {
    return {
      ok: false,
      error: invalidRequest("Transparent background requires output_format 'png' or 'webp'.", 'background', 'invalid_value'),
    }
  }
  return {
    ok: true,
    value: {
      size,
      sizeText,
      format,
      alpha: background === 'transparent',
      n: (values.n as number | undefined) ?? 1,
      quality: (values.quality as string | undefined) ?? 'auto',
      background,
      prompt: values.prompt as string,
      stream: values.stream === true,
      partialImages: (values.partial_images as number | undefined) ?? 0,
    },
  }
}

/**
 * Token counts in OpenAI's usage shape. The numbers are synthetic but stable: text tokens from the
 * prompt length, image tokens per input image, output tokens from the output area.
 */
export function syntheticUsage(prompt: string, inputImages: number, size: PixelSize, n: number) {
  const textTokens = Math.ceil(prompt.length / 4)
  const imageTokens = inputImages * 272
  const outputTokens = n * Math.ceil((size.width * size.height) / 750)
  return {
    input_tokens: textTokens + imageTokens,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: outputTokens,
    // ImageGenUsage's newer, optional split of the output count (all image tokens here).
    output_tokens_details: { image_tokens: outputTokens, text_tokens: 0 },
    total_tokens: textTokens + imageTokens + outputTokens,
  }
}

/** The OpenAI reply envelope, which OpenAI and the resellers that copy its API share. */
export const OPENAI_STYLE_REPLIES = {
  errorBody: (spec: ErrorSpec) => openAiErrorBody(spec),
  notFound: openAiNotFound,
  unreadable: openAiUnreadable,
  payloadFaults: ['truncated-base64', 'invalid-base64', 'not-an-image', 'empty-data'],
} as const satisfies Partial<ProviderModule>
