/**
 * The getimg v2 dialect: one synchronous call that answers with signed image links (deleted at
 * `deletes_at`, so downloaded at once) and the exact amount charged. Reference images travel as
 * public URLs only; never send a local path or base64 here.
 */
import type { OutputFormat } from '../../../shared/api'
import type { DialectAdapter, DialectCall, GeneratedImage } from './dialect'
import { ProviderError } from './provider-error'
import { aspectSize, publicReferenceUrls } from './call-shape'
import { readErrorBody } from './http/error-mapping'
import { imageFromItem } from './http/image-payload'
import { readJson, send } from './http/provider-http'

type Reply = Record<string, unknown>

const FORMAT_BY_MIME: Record<string, OutputFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' }

export function createGetimgAdapter(): DialectAdapter {
  return {
    async generate(call) {
      const res = await send(call, { method: 'POST', path: 'images/generations', json: requestBody(call) })
      const body: unknown = await readJson(call, res)
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new ProviderError('provider_down', `${call.profile.name} sent a reply that is not a JSON object.`, { code: 'bad_reply' })
      }
      const reply = body as Reply
      const items = (Array.isArray(reply.data) ? reply.data : []).slice(0, call.count)
      if (items.length === 0) {
        const { message } = readErrorBody(reply)
        const status = typeof reply.status === 'string' ? ` (status "${reply.status}")` : ''
        throw new ProviderError('provider_down', `${call.profile.name} answered without an image${status}${message ? `: ${message}` : '.'}`, {
          code: 'no_image_data',
        })
      }
      const images = await Promise.all(
        items.map(async (item): Promise<GeneratedImage> => {
          // The media store reads the real pixel size from the bytes; only the claimed format is passed on.
          const bytes = await imageFromItem(call, item)
          return { bytes, revisedPrompt: null, expectedFormat: formatOfMime(item) }
        }),
      )
      return { images, chargedCost: chargedCostOf(reply.usage) }
    },
  }
}

function requestBody(call: DialectCall): Reply {
  const size = aspectSize(call)
  const body: Reply = {
    model: call.profile.modelId,
    prompt: call.params.prompt,
    aspect_ratio: size.aspect,
    resolution: size.resolution,
    output_format: call.params.format,
  }
  const refs = publicReferenceUrls(call)
  if (refs.length > 0) body.images = refs.map((url) => ({ url, role: 'reference_image' }))
  return body
}

function formatOfMime(item: unknown): OutputFormat | undefined {
  const mime = item && typeof item === 'object' ? (item as Reply).mime_type : undefined
  if (typeof mime !== 'string') return undefined
  return FORMAT_BY_MIME[mime.split(';')[0]!.trim().toLowerCase()]
}

/** `usage.total_cost` is what this call cost; anything else (missing, negative, text) falls back to the table price. */
function chargedCostOf(usage: unknown): number | null {
  const cost = usage && typeof usage === 'object' ? (usage as Reply).total_cost : undefined
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : null
}
