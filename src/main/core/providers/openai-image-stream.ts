import { addUsage, type TokenUsage } from '../../../shared/api'
import type { CallResult, DialectCall, GeneratedImage } from './dialect'
import { ProviderError } from './provider-error'
import { usageFromReply } from './openai-usage'
import { errorFromReply } from './http/error-mapping'
import { readEventStream } from './http/event-stream'
import { MAX_IMAGE_BYTES } from './http/image-payload'
import { readImageBody } from './http/streaming-image-reply'

/**
 * OpenAI's streamed image replies (`stream: true` with `partial_images`, on generations and
 * edits): `image_generation.partial_image` / `image_edit.partial_image` events carry a rough
 * image while it is drawn, `image_generation.completed` / `image_edit.completed` the final one
 * and the token usage. Only profiles whose provider documents streaming (`profile.streaming`)
 * are ever sent the fields; the final image goes through the same checks and storage as a
 * plain reply's, the partials only to `call.onPartialImage`.
 */

/** Room for the largest image we accept, in base64, plus the event's other fields. */
const MAX_EVENT_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024

export function wantsStream(call: DialectCall): boolean {
  return call.profile.streaming === true && (call.params.partialImages ?? 0) > 0
}

/** The request fields that ask for a stream; none for a profile that does not stream. */
export function streamFields(call: DialectCall): Record<string, boolean | number> {
  return wantsStream(call) ? { stream: true, partial_images: call.params.partialImages! } : {}
}

/** A provider may ignore `stream` and answer with plain JSON: that reply is read as usual. */
export function isEventStream(res: Response): boolean {
  return (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'text/event-stream'
}

type EventKind = 'partial' | 'completed' | 'error' | 'other'

function kindOf(type: string): EventKind {
  if (type === 'image_generation.partial_image' || type === 'image_edit.partial_image') return 'partial'
  if (type === 'image_generation.completed' || type === 'image_edit.completed') return 'completed'
  return type === 'error' ? 'error' : 'other'
}

export async function readImageStream(call: DialectCall, res: Response): Promise<CallResult> {
  const name = call.profile.name
  if (!res.body) throw new ProviderError('provider_down', `${name} sent an empty stream.`, { code: 'stream_truncated' })
  const images: GeneratedImage[] = []
  let usage: TokenUsage | null = null
  let lastPartial = -1
  try {
    for await (const event of readEventStream(res.body, { maxEventBytes: MAX_EVENT_BYTES, providerName: name })) {
      // Events carry their type twice (the `event:` line and the JSON's `type`); either is enough.
      let kind = kindOf(event.type)
      if (kind === 'other' && event.type !== 'message') continue // a kind of event we do not use
      // Decoded the way a plain reply is: base64 goes straight into bytes, never into a string, and
      // read where it lies (a Response around it would copy the whole event first).
      const payload = (await readImageBody(call, [event.data], event.data.byteLength).catch((err: unknown) => {
        if (err instanceof ProviderError && err.code === 'bad_json') {
          throw new ProviderError('provider_down', `${name} streamed an event that is not JSON.`, { code: 'bad_stream' })
        }
        throw err
      })) as Record<string, unknown> | null
      if (kind === 'other') kind = kindOf(typeof payload?.type === 'string' ? payload.type : '')
      if (kind === 'error' || (payload && typeof payload === 'object' && 'error' in payload && kind === 'other')) {
        // An error after the reply began: its code decides the kind; without one it is the provider's.
        throw errorFromReply({ status: 500, headers: new Headers(), body: payload, providerName: name, now: call.clock.now() })
      }
      if (kind === 'other') continue
      const bytes = payload?.b64_json
      if (!(bytes instanceof Uint8Array)) {
        throw new ProviderError('provider_down', `${name} streamed a ${kind === 'partial' ? 'partial' : 'final'} image event without image data.`, {
          code: 'bad_stream',
        })
      }
      if (kind === 'partial') {
        const index = typeof payload?.partial_image_index === 'number' ? payload.partial_image_index : lastPartial + 1
        // Out of order or repeated partials are stale: the one on screen is already newer.
        if (index > lastPartial) {
          lastPartial = index
          call.onPartialImage?.({ bytes, index })
        }
        continue
      }
      images.push({ bytes, revisedPrompt: null, expectedFormat: call.params.format })
      usage = addUsage(usage, usageFromReply(payload))
      lastPartial = -1
      if (images.length >= call.count) break
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err
    if (call.signal.aborted) throw call.signal.reason
    const e = err as { name?: string; cause?: { code?: string } }
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      throw new ProviderError('retryable', `${name} did not finish its stream in time.`, { code: 'timeout' })
    }
    // The connection dropped mid-stream (undici's "terminated"): a network problem like any other.
    throw new ProviderError('retryable', `The stream from ${name} broke off (${e?.cause?.code ?? 'network'}).`, { code: e?.cause?.code ?? 'network' })
  }
  if (images.length === 0) {
    // Like a JSON reply that ends in the middle of a value: the provider's fault, tried again.
    throw new ProviderError('provider_down', `${name}'s stream ended before the final image arrived.`, { code: 'stream_truncated' })
  }
  return { images, chargedCost: null, usage }
}

