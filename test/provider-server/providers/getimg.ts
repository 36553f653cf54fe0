/**
 * getimg.ai v2 (`https://api.getimg.ai/v2`): synchronous, `aspect_ratio` + `resolution` +
 * `output_format` (default jpeg), reference images as `images: [{url, role}]`, and a reply with
 * signed image URLs (served by this server) plus `usage.total_cost`, which is what it bills.
 * The error body shape is undocumented: `{error: {message}}` or, by setting, a top-level `{message}`.
 */
import { randomBytes } from 'node:crypto'
import { checkFields, describeProblem, isPlainObject, type FieldTable } from '../field-rules'
import { decodeDataUri, IMAGE_FORMATS, isHttpUrl, produceImages, type ImageFormat } from '../images'
import { billImages } from '../pricing'
import { roundUsd } from '../ledger'
import { parseAspect, pixelsForAspect, TIER_LONG_SIDE } from '../sizes'
import { generationsRoute, payloadFaultOf, refuse, type ErrorSpec, type ProviderModule } from './provider'

export const GETIMG_ASPECT_RATIOS = ['1:1', '2:3', '3:2', '4:3', '3:4', '4:5', '16:9', '9:16', '21:9'] as const
export const GETIMG_PRICES: Readonly<Record<string, number>> = { '1K': 0.06, '2K': 0.12 }
const MAX_REFERENCES = 10
const URL_LIFETIME_MS = 60 * 60 * 1000

const FIELDS: FieldTable = {
  model: { required: true, rule: { type: 'string', enum: ['gpt-image-2'] } },
  prompt: { required: true, rule: { type: 'string', nonEmpty: true } },
  aspect_ratio: { rule: { type: 'string', enum: GETIMG_ASPECT_RATIOS } },
  resolution: { rule: { type: 'string', enum: Object.keys(GETIMG_PRICES) } },
  output_format: { rule: { type: 'string', enum: IMAGE_FORMATS } },
  images: { rule: { type: 'array' } },
}

const bad = (message: string): ErrorSpec => ({ status: 400, message })

function checkReferences(images: unknown[]): ErrorSpec | null {
  if (images.length > MAX_REFERENCES) return bad(`At most ${MAX_REFERENCES} reference images are allowed (got ${images.length}).`)
  for (const [index, image] of images.entries()) {
    if (!isPlainObject(image)) return bad(`images[${index}] must be an object {url, role}.`)
    const extra = Object.keys(image).find((key) => key !== 'url' && key !== 'role')
    if (extra) return bad(`images[${index}] has an unknown field '${extra}'.`)
    const { url, role } = image
    if (typeof url !== 'string' || !(isHttpUrl(url) || decodeDataUri(url))) {
      return bad(`images[${index}].url must be an http(s) URL or a base64 image data URI.`)
    }
    if (role !== 'reference_image') return bad(`images[${index}].role must be 'reference_image'.`)
  }
  return null
}

export const getimg: ProviderModule = {
  id: 'getimg',
  basePath: '/getimg/v2',
  keyPrefix: 'sk_test',
  authHeaders: ['bearer'],
  errorBody: (spec, settings) => (settings.getimg.errorShape === 'top-level' ? { message: spec.message } : { error: { message: spec.message } }),
  unauthorized: () => ({ status: 401, message: 'Invalid or missing API key.' }),
  notFound: (method, path) => ({ status: 404, message: `Not found: ${method} ${path}` }),
  unreadable: (reason) => bad(reason),
  faultErrors: {
    '402': { status: 402, message: 'Insufficient balance. Top up your account to continue.' },
    '403': { status: 403, message: 'Your API key has no access to this model.' },
    '404': { status: 404, message: 'Model gpt-image-2 not found.' },
    '429': { status: 429, message: 'Too many requests.' },
    '500': { status: 500, message: 'Internal server error.' },
    '502': { status: 502, message: 'Bad gateway.' },
    '503': { status: 503, message: 'Service unavailable.' },
    'content-policy': { status: 400, message: 'The prompt was flagged by the content filter.' },
  },
  payloadFaults: ['truncated-base64', 'not-an-image', 'empty-data'],
  routes: [
    generationsRoute(async (values) => {
      const problem = checkFields(values, FIELDS)
      if (problem) return refuse(bad(describeProblem(problem)))
      const references = checkReferences((values.images as unknown[] | undefined) ?? [])
      if (references) return refuse(references)
      const ratio = (values.aspect_ratio as string | undefined) ?? '1:1'
      const resolution = (values.resolution as string | undefined) ?? '1K'
      const format = (values.output_format as ImageFormat | undefined) ?? 'jpeg'
      const aspect = parseAspect(ratio)
      const longSide = TIER_LONG_SIDE[resolution]
      const unitPrice = GETIMG_PRICES[resolution]
      if (!aspect || longSide === undefined || unitPrice === undefined) throw new Error(`getimg tables disagree: ${ratio} ${resolution}`)
      const pixels = pixelsForAspect(aspect, longSide)
      return {
        ok: true,
        async run({ state, seq, fault }) {
          const images = await produceImages({ ...pixels, format, alpha: false, count: 1 }, payloadFaultOf(fault))
          const totalCost = roundUsd(unitPrice * images.length)
          billImages(state.ledger, { provider: 'getimg', seq, images: images.length, unitUsd: unitPrice, basis: `usage.total_cost (${resolution})` })
          const deletesAt = new Date(state.now().getTime() + URL_LIFETIME_MS).toISOString()
          const body = {
            id: `req-${randomBytes(10).toString('hex')}`,
            status: 'completed',
            model: values.model,
            data: images.map((image) => ({
              url: state.files.put('getimg', image.bytes, image.format, image.mime),
              width: image.width,
              height: image.height,
              mime_type: image.mime,
              deletes_at: deletesAt,
            })),
            usage: { total_cost: totalCost, billable_unit: 'image', unit_price: unitPrice, quantity: images.length },
          }
          return { reply: { kind: 'json', status: 200, body } }
        },
      }
    }),
  ],
}
