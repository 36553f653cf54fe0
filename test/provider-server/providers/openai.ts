/**
 * OpenAI (`https://api.openai.com/v1`), gpt-image-2 only: JSON generations, edits as multipart
 * files or as JSON with `images: [{image_url}]`, base64 replies with token usage, or (`stream:
 * true`) an event stream of partial images and the final one. Strict like the real API: unknown
 * parameters (`response_format` included) are refused, the model must be named, and edit uploads
 * must declare an image type.
 */
import { formValues, isPlainObject } from '../field-rules'
import type { Reply, ServerSentEvent, UploadedFile } from '../http-io'
import { decodeDataUri, isHttpUrl, produceImages, probeUpload, renderImage, type ProbedImage, type ProducedImage } from '../images'
import { billImages } from '../pricing'
import { formatPixelSize } from '../sizes'
import {
  checkGptImage2,
  GPT_IMAGE_2_EDIT_FIELDS,
  GPT_IMAGE_2_GENERATION_FIELDS,
  GPT_IMAGE_2_JSON_EDIT_FIELDS,
  type GptImageOptions,
  invalidRequest,
  OPENAI_FAULT_ERRORS,
  OPENAI_STYLE_REPLIES,
  openAiUnauthorized,
  openAiUnreadable,
  syntheticUsage,
} from './openai-style'
import {
  generationsRoute,
  payloadFaultOf,
  refuse,
  unixSeconds,
  type ErrorSpec,
  type Prepared,
  type ProviderModule,
  type RunInput,
  type ServerState,
} from './provider'

const MAX_EDIT_IMAGES = 16
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024
const IMAGE_MIME = ['image/png', 'image/jpeg', 'image/webp']
const IMAGE_FIELDS = ['image', 'image[]']
const FILE_FIELDS = [...IMAGE_FIELDS, 'mask']

function reply(options: GptImageOptions, images: ProducedImage[], usage: ReturnType<typeof syntheticUsage>, created: number) {
  return {
    created,
    background: options.alpha ? 'transparent' : 'opaque',
    output_format: options.format,
    quality: options.quality === 'auto' ? 'medium' : options.quality,
    size: formatPixelSize(options.size),
    data: images.map((image) => ({ b64_json: image.base64 })),
    usage,
  }
}

/** Partial images are real images, smaller than the final one so a client can tell them apart. */
async function partialImage(options: GptImageOptions): Promise<string> {
  const scale = (side: number): number => Math.max(16, Math.round(side / 8))
  const bytes = await renderImage({ width: scale(options.size.width), height: scale(options.size.height) }, options.format, options.alpha)
  return bytes.toString('base64')
}

/**
 * The streamed form (`stream: true`): per image, `partial_images` partial events and then a
 * completed event with that image's usage, named `image_generation.*` or `image_edit.*`.
 */
async function streamReply(
  options: GptImageOptions,
  images: ProducedImage[],
  inputImages: number,
  created: number,
  prefix: 'image_generation' | 'image_edit',
): Promise<ServerSentEvent[]> {
  const shared = {
    created_at: created,
    size: formatPixelSize(options.size),
    quality: options.quality === 'auto' ? 'medium' : options.quality,
    background: options.alpha ? 'transparent' : 'opaque',
    output_format: options.format,
  }
  const events: ServerSentEvent[] = []
  const partial = options.partialImages > 0 ? await partialImage(options) : ''
  for (const image of images) {
    for (let index = 0; index < options.partialImages; index++) {
      const type = `${prefix}.partial_image`
      events.push({ event: type, data: { type, b64_json: partial, ...shared, partial_image_index: index } })
    }
    const type = `${prefix}.completed`
    const usage = syntheticUsage(options.prompt, inputImages, options.size, 1)
    events.push({ event: type, data: { type, b64_json: image.base64, ...shared, usage } })
  }
  return events
}

function runner(options: GptImageOptions, inputImages: number, route: 'generations' | 'edits') {
  return async ({ state, seq, fault }: RunInput) => {
    const payloadFault = payloadFaultOf(fault)
    const images = await produceImages({ ...options.size, format: options.format, alpha: options.alpha, count: options.n }, payloadFault)
    const usage = syntheticUsage(options.prompt, inputImages, options.size, images.length)
    billImages(state.ledger, {
      provider: 'openai',
      seq,
      images: images.length,
      unitUsd: null,
      tokens: usage.total_tokens,
      basis: 'token-billed; no OpenAI price in the documents',
    })
    const created = unixSeconds(state.now())
    if (options.stream) {
      const events = await streamReply(options, images, inputImages, created, route === 'edits' ? 'image_edit' : 'image_generation')
      return { reply: { kind: 'event-stream' as const, status: 200 as const, events, cut: payloadFault === 'stream-cut' } }
    }
    const body = reply(options, images, usage, created)
    if (payloadFault === 'stream-cut') {
      const text = Buffer.from(JSON.stringify(body))
      const half: Reply = { kind: 'bytes', status: 200, body: text.subarray(0, Math.floor(text.length / 2)), contentType: 'application/json' }
      return { reply: half }
    }
    return { reply: { kind: 'json' as const, status: 200, body } }
  }
}

async function checkEditFiles(files: UploadedFile[]): Promise<ErrorSpec | null> {
  const stray = files.find((f) => !FILE_FIELDS.includes(f.field))
  if (stray) return invalidRequest(`Unknown parameter: '${stray.field}'.`, stray.field, 'unknown_parameter')
  const images = files.filter((f) => IMAGE_FIELDS.includes(f.field))
  if (images.length === 0) return invalidRequest("Missing required parameter: 'image'.", 'image', 'missing_required_parameter')
  if (images.length > MAX_EDIT_IMAGES) {
    return invalidRequest(`Too many images: at most ${MAX_EDIT_IMAGES} are allowed (got ${images.length}).`, 'image', 'invalid_value')
  }
  let first: { width: number; height: number } | null = null
  for (const [index, file] of images.entries()) {
    if (!IMAGE_MIME.includes(file.type)) {
      return invalidRequest(
        `Invalid file '${file.field}': unsupported mimetype ('${file.type}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`,
        file.field,
        'unsupported_file_mimetype',
      )
    }
    if (file.bytes.length >= MAX_UPLOAD_BYTES) {
      return invalidRequest(`Invalid file '${file.field}': images must be smaller than 50 MB.`, file.field, 'image_too_large')
    }
    const probed = await probeUpload(file.bytes)
    if (!probed || `image/${probed.format}` !== file.type) {
      return invalidRequest(`Invalid image file or mode for image ${index + 1}, please check your image file.`, file.field, 'invalid_image_file')
    }
    first ??= probed
  }
  const masks = files.filter((f) => f.field === 'mask')
  if (masks.length > 1) return invalidRequest('Only one mask may be sent.', 'mask', 'invalid_value')
  const mask = masks[0]
  if (mask) {
    const probed = await probeUpload(mask.bytes)
    if (mask.type !== 'image/png' || probed?.format !== 'png') {
      return invalidRequest("Invalid mask: the mask must be a PNG image ('image/png').", 'mask', 'invalid_image_file')
    }
    if (first && (probed.width !== first.width || probed.height !== first.height)) {
      return invalidRequest(
        `Invalid mask: the mask (${probed.width}x${probed.height}) must have the same dimensions as the first image (${first.width}x${first.height}).`,
        'mask',
        'invalid_value',
      )
    }
  }
  return null
}

/** ImageRefParam.image_url: "A fully qualified URL or base64-encoded data URL", at most this long. */
const MAX_IMAGE_URL_CHARS = 20_971_520

/**
 * One ImageRefParam: exactly one of `image_url` or `file_id`, nothing else. A data URL must hold a
 * png/jpeg/webp; a link on this server's own file host is downloaded and checked like an upload;
 * any other https link stands for the outside network, which a test does not reach, and is taken
 * as given (null: its size is unknown). This server has no Files API, so every `file_id` is unknown.
 */
async function checkImageRef(value: unknown, param: string, state: ServerState): Promise<{ ok: true; probed: ProbedImage | null } | { ok: false; error: ErrorSpec }> {
  const fail = (message: string, code = 'invalid_value') => ({ ok: false as const, error: invalidRequest(message, param, code) })
  if (!isPlainObject(value)) return fail(`Invalid type for '${param}': expected an object with 'image_url' or 'file_id'.`, 'invalid_type')
  const stray = Object.keys(value).find((k) => k !== 'image_url' && k !== 'file_id')
  if (stray) return fail(`Unknown parameter: '${param}.${stray}'.`, 'unknown_parameter')
  if ((value.image_url === undefined) === (value.file_id === undefined)) return fail(`'${param}' must have exactly one of 'image_url' or 'file_id'.`)
  if (value.file_id !== undefined) return fail(`No such File object: ${String(value.file_id).slice(0, 40)}.`)
  const url = value.image_url
  if (typeof url !== 'string') return fail(`Invalid type for '${param}.image_url': expected a string.`, 'invalid_type')
  if (url.length > MAX_IMAGE_URL_CHARS) return fail(`'${param}.image_url' is too long: at most ${MAX_IMAGE_URL_CHARS} characters.`, 'string_above_max_length')
  let bytes: Buffer | null
  if (url.startsWith('data:')) {
    bytes = decodeDataUri(url)
    if (!bytes) return fail(`Invalid '${param}.image_url': a data URL must be data:image/(png|jpeg|webp);base64,...`, 'invalid_image_url')
  } else if (isHttpUrl(url)) {
    const link = new URL(url)
    if (link.origin !== state.origin) return { ok: true, probed: null }
    bytes = state.files.get(link.pathname)?.bytes ?? null
    if (!bytes) return fail(`Error while downloading ${url}.`, 'invalid_image_url')
  } else {
    return fail(`Invalid '${param}.image_url': expected a fully qualified URL or a base64 data URL.`, 'invalid_image_url')
  }
  const probed = await probeUpload(bytes)
  if (!probed) return fail(`Invalid image file or mode for '${param}', please check your image file.`, 'invalid_image_file')
  return { ok: true, probed }
}

/** `images` (1 to 16 ImageRefParam) and an optional `mask` (a PNG the size of the first image). */
async function checkJsonEditImages(values: Record<string, unknown>, state: ServerState): Promise<ErrorSpec | null> {
  const images = values.images as unknown[]
  if (images.length === 0) return invalidRequest("'images' must hold at least 1 item.", 'images', 'invalid_value')
  if (images.length > MAX_EDIT_IMAGES) {
    return invalidRequest(`Too many images: at most ${MAX_EDIT_IMAGES} are allowed (got ${images.length}).`, 'images', 'invalid_value')
  }
  let first: ProbedImage | null = null
  for (const [index, image] of images.entries()) {
    const checked = await checkImageRef(image, `images[${index}]`, state)
    if (!checked.ok) return checked.error
    if (index === 0) first = checked.probed
  }
  if (values.mask === undefined) return null
  const mask = await checkImageRef(values.mask, 'mask', state)
  if (!mask.ok) return mask.error
  if (mask.probed && mask.probed.format !== 'png') return invalidRequest("Invalid mask: the mask must be a PNG image ('image/png').", 'mask', 'invalid_image_file')
  if (mask.probed && first && (mask.probed.width !== first.width || mask.probed.height !== first.height)) {
    return invalidRequest(
      `Invalid mask: the mask (${mask.probed.width}x${mask.probed.height}) must have the same dimensions as the first image (${first.width}x${first.height}).`,
      'mask',
      'invalid_value',
    )
  }
  return null
}

export const openai: ProviderModule = {
  id: 'openai',
  basePath: '/openai/v1',
  keyPrefix: 'sk-proj-test-',
  authHeaders: ['bearer'],
  ...OPENAI_STYLE_REPLIES,
  payloadFaults: [...OPENAI_STYLE_REPLIES.payloadFaults, 'stream-cut'],
  unauthorized: openAiUnauthorized,
  faultErrors: OPENAI_FAULT_ERRORS,
  routes: [
    generationsRoute(async (values) => {
      const checked = checkGptImage2(values, GPT_IMAGE_2_GENERATION_FIELDS, { streams: true })
      if (!checked.ok) return refuse(checked.error)
      return { ok: true, run: runner(checked.value, 0, 'generations') }
    }),
    {
      name: 'edits',
      method: 'POST',
      path: '/images/edits',
      accepts: ['multipart/form-data', 'application/json'],
      async prepare({ body, state }): Promise<Prepared> {
        if (body.kind === 'json') {
          const values = isPlainObject(body.value) ? body.value : {}
          const checked = checkGptImage2(values, GPT_IMAGE_2_JSON_EDIT_FIELDS, { streams: true })
          if (!checked.ok) return refuse(checked.error)
          const imageError = await checkJsonEditImages(values, state)
          if (imageError) return refuse(imageError)
          return { ok: true, run: runner(checked.value, (values.images as unknown[]).length, 'edits') }
        }
        if (body.kind !== 'multipart') return refuse(openAiUnreadable('Expected a multipart/form-data or application/json body.'))
        const textFile = FILE_FIELDS.find((name) => body.fields.has(name))
        if (textFile) {
          return refuse(invalidRequest(`Invalid type for '${textFile}': expected a file upload, got a text field.`, textFile, 'invalid_type'))
        }
        const checked = checkGptImage2(formValues(body.fields, GPT_IMAGE_2_EDIT_FIELDS), GPT_IMAGE_2_EDIT_FIELDS, { streams: true })
        if (!checked.ok) return refuse(checked.error)
        const fileError = await checkEditFiles(body.files)
        if (fileError) return refuse(fileError)
        const inputs = body.files.filter((f) => IMAGE_FIELDS.includes(f.field)).length
        return { ok: true, run: runner(checked.value, inputs, 'edits') }
      },
    },
    {
      // Free and authenticated: what a client can call to check a key without paying.
      name: 'models',
      method: 'GET',
      path: '/models',
      accepts: [],
      prepare: async (): Promise<Prepared> => ({
        ok: true,
        run: async ({ state }) => ({
          reply: {
            kind: 'json' as const,
            status: 200,
            body: { object: 'list', data: [{ id: 'gpt-image-2', object: 'model', created: unixSeconds(state.now()), owned_by: 'system' }] },
          },
        }),
      }),
    },
  ],
}
