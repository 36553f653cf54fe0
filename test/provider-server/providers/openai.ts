/**
 * OpenAI (`https://api.openai.com/v1`), gpt-image-2 only: JSON generations, multipart edits, base64
 * replies with token usage, or (`stream: true`) an event stream of partial images and the final one. Strict like the real API: unknown parameters (`response_format`
 * included) are refused, the model must be named, and edit uploads must declare an image type.
 */
import { formValues } from '../field-rules'
import type { Reply, ServerSentEvent, UploadedFile } from '../http-io'
import { produceImages, probeUpload, renderImage, type ProducedImage } from '../images'
import { billImages } from '../pricing'
import { formatPixelSize } from '../sizes'
import {
  checkGptImage2,
  GPT_IMAGE_2_EDIT_FIELDS,
  GPT_IMAGE_2_GENERATION_FIELDS,
  type GptImageOptions,
  invalidRequest,
  OPENAI_FAULT_ERRORS,
  OPENAI_STYLE_REPLIES,
  openAiUnauthorized,
  openAiUnreadable,
  syntheticUsage,
} from './openai-style'
import { generationsRoute, payloadFaultOf, refuse, unixSeconds, type ErrorSpec, type Prepared, type ProviderModule, type RunInput } from './provider'

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
      accepts: ['multipart/form-data'],
      async prepare({ body }): Promise<Prepared> {
        if (body.kind !== 'multipart') return refuse(openAiUnreadable('Expected a multipart/form-data body.'))
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
