/**
 * TokenHub (`https://tokenhub.store/api/v1`): OpenAI-compatible and synchronous, but with its own
 * fields: model `openai/gpt-image-2` (or `gpt-image-2`), a fixed list of sizes, `format` for the
 * output type (`output_format` only as an alias on edits), and the image in `data[].url` as a data
 * URI, or (setting `delivery: 'file-url'`) as a link on this server. Failed calls are free.
 */
import { checkFields, formValues, isPlainObject, type FieldTable, type FieldValues } from '../field-rules'
import type { UploadedFile } from '../http-io'
import { dataUri, decodeDataUri, IMAGE_FORMATS, isHttpUrl, probeUpload, produceImages, type ImageFormat } from '../images'
import { billImages, tierFor, type LongSideTier } from '../pricing'
import { AUTO_SIZE, parsePixelSize } from '../sizes'
import {
  type Checked,
  invalidRequest,
  OPENAI_STYLE_REPLIES,
  openAiProblem,
  RESELLER_FAULT_ERRORS,
  resellerUnauthorized,
} from './openai-style'
import { generationsRoute, payloadFaultOf, refuse, unixSeconds, type ErrorSpec, type Prepared, type ProviderModule, type RunInput } from './provider'

export const TOKENHUB_MODELS = ['openai/gpt-image-2', 'gpt-image-2'] as const
export const TOKENHUB_SIZES = ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '3840x2160', '2160x3840', 'auto'] as const

/** Flat per image by the longest side of the output. */
export const TOKENHUB_PRICES: readonly LongSideTier[] = [
  { tier: '1K', usd: 0.125, maxLongSide: 1536 },
  { tier: '2K', usd: 0.25, maxLongSide: 2048 },
  { tier: '4K', usd: 0.5 },
]

const GENERATION_FIELDS: FieldTable = {
  model: { required: true, rule: { type: 'string' } },
  prompt: { required: true, rule: { type: 'string', nonEmpty: true } },
  n: { rule: { type: 'integer', min: 1, max: 10 } },
  size: { rule: { type: 'string', enum: TOKENHUB_SIZES } },
  quality: { rule: { type: 'string', enum: ['auto', 'low', 'medium', 'high'] } },
  format: { rule: { type: 'string', enum: IMAGE_FORMATS } },
}

const EDIT_FIELDS: FieldTable = {
  ...GENERATION_FIELDS,
  output_format: { rule: { type: 'string', enum: IMAGE_FORMATS } },
  output_compression: { rule: { type: 'integer', min: 0, max: 100 } },
  input_fidelity: { rule: { type: 'string', enum: ['low', 'high'] } },
  image: { required: true, rule: { type: 'any' } },
  mask: { rule: { type: 'any' } },
}

interface TokenHubJob {
  width: number
  height: number
  format: ImageFormat
  n: number
}

function modelNotFound(model: string): ErrorSpec {
  return {
    status: 404,
    message: `The model '${model}' does not exist. Use 'openai/gpt-image-2' (or 'gpt-image-2').`,
    type: 'invalid_request_error',
    param: 'model',
    code: 'model_not_found',
  }
}

function checkCommon(values: FieldValues, table: FieldTable): Checked<TokenHubJob> {
  const problem = checkFields(values, table)
  if (problem) return { ok: false, error: openAiProblem(problem) }
  const model = values.model as string
  if (!(TOKENHUB_MODELS as readonly string[]).includes(model)) return { ok: false, error: modelNotFound(model) }
  const format = values.format as ImageFormat | undefined
  const alias = values.output_format as ImageFormat | undefined
  if (format && alias && format !== alias) {
    return { ok: false, error: invalidRequest(`'format' (${format}) and its alias 'output_format' (${alias}) disagree.`, 'format', 'invalid_value') }
  }
  const sizeText = (values.size as string | undefined) ?? '1024x1024'
  const size = sizeText === 'auto' ? AUTO_SIZE : parsePixelSize(sizeText)
  if (!size) throw new Error(`TokenHub size list holds an unparsable size: ${sizeText}`)
  return { ok: true, value: { ...size, format: format ?? alias ?? 'png', n: (values.n as number | undefined) ?? 1 } }
}

/** A JSON `image`/`mask` reference: an http(s) URL, or a data URI holding a png/jpeg/webp. */
async function checkReference(value: unknown, field: string): Promise<ErrorSpec | null> {
  if (typeof value !== 'string') return invalidRequest(`Invalid type for '${field}': expected a URL or base64 data URI string.`, field, 'invalid_type')
  if (isHttpUrl(value)) return null
  const bytes = decodeDataUri(value)
  if (bytes && (await probeUpload(bytes))) return null
  return invalidRequest(`Invalid '${field}': expected an http(s) URL or a data:image/(png|jpeg|webp);base64 URI.`, field, 'invalid_value')
}

async function checkJsonImages(values: FieldValues): Promise<ErrorSpec | null> {
  const images = Array.isArray(values.image) ? values.image : [values.image]
  if (images.length === 0) return invalidRequest("'image' must hold at least one image.", 'image', 'invalid_value')
  for (const image of images) {
    const error = await checkReference(image, 'image')
    if (error) return error
  }
  return values.mask === undefined ? null : checkReference(values.mask, 'mask')
}

async function checkUploads(files: UploadedFile[]): Promise<ErrorSpec | null> {
  const stray = files.find((f) => !['image', 'image[]', 'mask'].includes(f.field))
  if (stray) return invalidRequest(`Unknown parameter: '${stray.field}'.`, stray.field, 'unknown_parameter')
  if (!files.some((f) => f.field !== 'mask')) return invalidRequest("Missing required parameter: 'image'.", 'image', 'missing_required_parameter')
  if (files.filter((f) => f.field === 'mask').length > 1) return invalidRequest('Only one mask may be sent.', 'mask', 'invalid_value')
  for (const file of files) {
    if (!(await probeUpload(file.bytes))) {
      return invalidRequest(`Invalid file '${file.field}' (${file.filename}): not a PNG, JPEG or WebP image.`, file.field, 'invalid_image_file')
    }
  }
  return null
}

function runner(job: TokenHubJob) {
  return async ({ state, seq, fault }: RunInput) => {
    const payloadFault = payloadFaultOf(fault)
    const images = await produceImages({ width: job.width, height: job.height, format: job.format, alpha: false, count: job.n }, payloadFault)
    const tier = tierFor(job, TOKENHUB_PRICES)
    billImages(state.ledger, { provider: 'tokenhub', seq, images: images.length, unitUsd: tier.usd, basis: `${tier.tier} per image` })
    // Invalid base64 only exists inside a data URI, so that fault always answers with one.
    const asFile = state.settings.tokenhub.delivery === 'file-url' && payloadFault !== 'invalid-base64'
    const data = images.map((image) => ({
      url: asFile ? state.files.put('tokenhub', image.bytes, image.format, image.mime) : dataUri(image),
    }))
    return { reply: { kind: 'json' as const, status: 200, body: { created: unixSeconds(state.now()), data } } }
  }
}

export const tokenhub: ProviderModule = {
  id: 'tokenhub',
  basePath: '/tokenhub/api/v1',
  keyPrefix: 'th-test-',
  authHeaders: ['bearer'],
  ...OPENAI_STYLE_REPLIES,
  unauthorized: resellerUnauthorized,
  faultErrors: RESELLER_FAULT_ERRORS,
  routes: [
    generationsRoute(async (values) => {
      const checked = checkCommon(values, GENERATION_FIELDS)
      return checked.ok ? { ok: true, run: runner(checked.value) } : refuse(checked.error)
    }),
    {
      name: 'edits',
      method: 'POST',
      path: '/images/edits',
      accepts: ['multipart/form-data', 'application/json'],
      async prepare({ body }): Promise<Prepared> {
        if (body.kind === 'multipart') {
          const textRef = ['image', 'image[]', 'mask'].find((name) => body.fields.has(name))
          if (textRef) {
            return refuse(invalidRequest(`'${textRef}' must be a file in a multipart request (URLs and data URIs go in a JSON body).`, textRef, 'invalid_type'))
          }
          const { image: _image, mask: _mask, ...uploadTable } = EDIT_FIELDS
          const checked = checkCommon(formValues(body.fields, uploadTable), uploadTable)
          if (!checked.ok) return refuse(checked.error)
          const error = await checkUploads(body.files)
          return error ? refuse(error) : { ok: true, run: runner(checked.value) }
        }
        const values = body.kind === 'json' && isPlainObject(body.value) ? body.value : {}
        const checked = checkCommon(values, EDIT_FIELDS)
        if (!checked.ok) return refuse(checked.error)
        const error = await checkJsonImages(values)
        return error ? refuse(error) : { ok: true, run: runner(checked.value) }
      },
    },
  ],
}
