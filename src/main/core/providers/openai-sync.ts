import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { probeImage } from '../media/image-probe'
import { ProviderError, type CallResult, type DialectAdapter, type DialectCall } from './dialect'
import { imageFromItem } from './http/image-payload'
import { send } from './http/provider-http'
import { readImageReply } from './http/streaming-image-reply'
import { isEventStream, readImageStream, streamFields, wantsStream } from './openai-image-stream'
import { isUrlReference } from './references'

/**
 * The OpenAI Images dialect (`/images/generations`, `/images/edits`), spoken by OpenAI, GetToken,
 * TokenHub and Tokensmart. What differs between them (model id, the name of the format field,
 * auth header, n per call, whether refs may be files or links) comes from the profile.
 */
export function createOpenAiSyncAdapter(): DialectAdapter {
  return {
    async generate(call) {
      if (!('width' in call.size)) {
        throw new ProviderError('input', `${call.profile.name} takes pixel sizes, not aspect ratios.`, { code: 'bad_size' })
      }
      const size = `${call.size.width}x${call.size.height}`
      const res = call.params.refs.length > 0 ? await sendEdit(call, size) : await send(call, { method: 'POST', path: 'images/generations', json: commonFields(call, size) })
      if (wantsStream(call) && isEventStream(res)) return readImageStream(call, res)
      return readImages(call, await readImageReply(call, res))
    },
  }
}

/** The fields generations and edits share, named the way this profile's provider names them. */
function commonFields(call: DialectCall, size: string): Record<string, string | number | boolean> {
  const p = call.params
  const fields: Record<string, string | number | boolean> = {
    model: call.profile.modelId,
    prompt: p.prompt,
    size,
    n: call.count,
    quality: p.quality,
    [call.profile.fields?.format ?? 'output_format']: p.format,
  }
  if (p.background !== undefined) fields.background = p.background
  if (p.compression !== undefined) fields.output_compression = p.compression
  // No response_format: GPT image models always return base64 and OpenAI rejects the parameter.
  Object.assign(fields, streamFields(call))
  return fields
}

async function sendEdit(call: DialectCall, size: string): Promise<Response> {
  const refs = call.params.refs
  const fields = commonFields(call, size)
  if (call.params.inputFidelity !== undefined) fields.input_fidelity = call.params.inputFidelity
  if (refs.every(isUrlReference) && call.profile.refs?.accepts.includes('url') && !call.params.mask) {
    // Providers that take links (TokenHub) accept them in a JSON edit request.
    return send(call, { method: 'POST', path: 'images/edits', json: { ...fields, image: refs.length === 1 ? refs[0] : refs } })
  }
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value))
  const field = refs.length > 1 ? 'image[]' : 'image'
  for (const ref of refs) form.append(field, await fileBlob(ref), basename(ref))
  if (call.params.mask) form.append('mask', await fileBlob(call.params.mask), basename(call.params.mask))
  return send(call, { method: 'POST', path: 'images/edits', form })
}

async function fileBlob(path: string): Promise<Blob> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new ProviderError('input', `Cannot read the reference image ${path}: ${(err as Error).message}`, { code: 'ref_unreadable' })
  }
  const { format } = probeImage(bytes)
  return new Blob([new Uint8Array(bytes)], { type: `image/${format}` })
}

/** `data[]` of b64_json, data: URIs or links, each with an optional revised prompt. */
async function readImages(call: DialectCall, body: unknown): Promise<CallResult> {
  const data = (body as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) {
    throw new ProviderError('provider_down', `${call.profile.name} replied without a data list.`, { code: 'bad_reply' })
  }
  const images = []
  // Images were decoded while the reply streamed in; entries are released one by one as they are
  // handed on, and links (if any) are downloaded one at a time.
  for (let i = 0; i < data.length; i++) {
    const item: unknown = data[i]
    data[i] = null
    const bytes = await imageFromItem(call, item)
    const revised = (item as { revised_prompt?: unknown } | null)?.revised_prompt
    images.push({ bytes, revisedPrompt: typeof revised === 'string' && revised ? revised : null, expectedFormat: call.params.format })
  }
  return { images, chargedCost: null }
}
