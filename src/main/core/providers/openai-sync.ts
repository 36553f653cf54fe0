import type { CallResult, DialectAdapter, DialectCall } from './dialect'
import { ProviderError } from './provider-error'
import { imageFromItem } from './http/image-payload'
import { send } from './http/provider-http'
import { readImageReply } from './http/streaming-image-reply'
import { isEventStream, readImageStream, streamFields, wantsStream } from './openai-image-stream'
import { buildImagesRequest } from './openai-images-request'
import { usageFromReply } from './openai-usage'

/**
 * The OpenAI Images dialect (`/images/generations`, `/images/edits`), spoken by OpenAI, GetToken,
 * TokenHub and Tokensmart. What differs between them (model id, the name of the format field,
 * auth header, n per call, whether refs may be files or links, which optional fields exist) comes
 * from the profile; the request body is built in openai-images-request.ts.
 */
export function createOpenAiSyncAdapter(): DialectAdapter {
  return {
    async generate(call) {
      const request = await buildImagesRequest(call, streamFields(call))
      const res = await send(call, { method: 'POST', ...request })
      if (wantsStream(call) && isEventStream(res)) return readImageStream(call, res)
      return readImages(call, await readImageReply(call, res))
    },
  }
}

/** `data[]` of b64_json, data: URIs or links, each with an optional revised prompt; and `usage`. */
export async function readImages(call: DialectCall, body: unknown): Promise<CallResult> {
  const data = (body as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) {
    throw new ProviderError('provider_down', `${call.profile.name} replied without a data list.`, { code: 'bad_reply' })
  }
  const usage = usageFromReply(body)
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
  return { images, chargedCost: null, usage }
}
