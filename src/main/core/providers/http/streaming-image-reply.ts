import type { DialectCall, ImageBufferSource } from '../dialect'
import { ProviderError } from '../provider-error'
import { base64Bytes, MAX_IMAGE_BYTES } from './image-payload'

/**
 * Reads an OpenAI-style image reply as it streams in, decoding `b64_json` values and `data:` URIs
 * in `url` straight into one buffer per image. The rest of the JSON (a few hundred bytes) is
 * parsed as usual. A 4 MB base64 image therefore exists once, as decoded bytes, instead of as
 * network chunks + joined body + JSON text + parsed string + decoded bytes.
 *
 * Decoded values come back in place of their strings, as Uint8Array.
 */
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const PLACEHOLDER = '\u0000proofsheet-image:'
const WHITESPACE = new Set([0x20, 0x0a, 0x0d, 0x09])

/**
 * Base64 text in, bytes out, in whole groups of four characters so chunk edges do not matter. The
 * text is read straight from the network chunk (one latin1 string per run, no joined copies), and
 * checked by what it decodes to: Node's decoder skips a character outside the alphabet and stops at
 * "=", so any such character leaves fewer bytes than the text's length promises (base64Bytes).
 */
class Base64Sink {
  /** Up to three characters of a group that continues in the next piece. */
  private carry = ''
  /** A group with "=" padding (or a short last group) ends the value: nothing may follow it. */
  private ended = false
  private length = 0
  private out: Buffer

  constructor(estimatedBytes: number, source: ImageBufferSource | undefined) {
    const bytes = Math.min(MAX_IMAGE_BYTES, Math.max(64 * 1024, estimatedBytes))
    this.out = source ? source.take(bytes) : Buffer.allocUnsafe(bytes)
  }

  /** The base64 characters in bytes [start, end) of a chunk. */
  pushBytes(chunk: Buffer, start: number, end: number): void {
    if (this.carry) {
      const take = Math.min(end - start, 4 - this.carry.length)
      this.push(chunk.toString('latin1', start, start + take))
      start += take
    }
    const whole = end - ((end - start) % 4)
    if (whole > start) this.write(chunk.toString('latin1', start, whole))
    if (whole < end) this.carry = chunk.toString('latin1', whole, end)
  }

  /** A few characters (an escaped "/", a carry): joined with the carry, then written. */
  push(text: string): void {
    const all = this.carry + text
    const whole = all.length - (all.length % 4)
    this.carry = all.slice(whole)
    if (whole > 0) this.write(all.slice(0, whole))
  }

  finish(): Uint8Array {
    if (this.carry) this.write(this.carry)
    if (this.length === 0) throw badBase64()
    return this.out.subarray(0, this.length)
  }

  private write(text: string): void {
    const expected = base64Bytes(text)
    if (this.ended || expected < 0) throw badBase64()
    this.ended = text.length % 4 !== 0 || text.charCodeAt(text.length - 1) === 0x3d
    const needed = this.length + expected
    if (needed > MAX_IMAGE_BYTES) {
      throw new ProviderError('provider_down', `The provider sent an image over ${MAX_IMAGE_BYTES / 2 ** 20} MB.`, { code: 'too_large' })
    }
    if (needed > this.out.length) {
      // An estimate short of the image (no or a wrong content-length): the borrowed buffer is
      // left to the garbage collector rather than given back from here (only the queue gives back).
      const bigger = Buffer.allocUnsafe(Math.min(MAX_IMAGE_BYTES, Math.max(needed, this.out.length * 2)))
      this.out.copy(bigger, 0, 0, this.length)
      this.out = bigger
    }
    const written = this.out.write(text, this.length, 'base64')
    if (written !== expected) throw badBase64()
    this.length += written
  }
}

function badBase64(): ProviderError {
  return new ProviderError('provider_down', 'The provider sent image data that is not valid base64.', { code: 'bad_base64' })
}

type Mode =
  | { kind: 'json' } // outside any string
  | { kind: 'string'; bytes: number[] | null; escape: boolean } // an ordinary string (bytes kept while short: it may be a key)
  | { kind: 'url-prefix'; bytes: number[] } // the first characters of a `url` value: is it data:?
  | { kind: 'data-uri-header' } // inside "data:image/png;base64," up to the comma
  | { kind: 'base64'; sink: Base64Sink; escape: boolean }

export function readImageReply(call: DialectCall, res: Response): Promise<unknown> {
  return readImageBody(call, res.body as AsyncIterable<Uint8Array> | null, Number(res.headers.get('content-length')) || 0)
}

/**
 * The same for a body that is not a Response: one streamed event's data, already in memory, is
 * read where it lies (wrapping it in a Response would copy it whole).
 */
export async function readImageBody(call: DialectCall, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null, declaredBytes: number): Promise<unknown> {
  const text: Buffer[] = []
  const images: Uint8Array[] = []
  let mode: Mode = { kind: 'json' }
  let lastString: string | null = null
  let key: string | null = null
  let left = declaredBytes
  const estimate = (): number => Math.ceil((left * 3) / 4 / Math.max(1, call.count - images.length)) + 4096

  const openImage = (): Base64Sink => new Base64Sink(estimate(), call.imageBuffers)
  const closeImage = (sink: Base64Sink): void => {
    images.push(sink.finish())
    text.push(Buffer.from(JSON.stringify(`${PLACEHOLDER}${images.length - 1}`)))
  }

  try {
    if (!body) throw new ProviderError('provider_down', `${call.profile.name} sent an empty reply.`, { code: 'bad_json' })
    for await (const chunk of body) {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      let textFrom = mode.kind === 'json' || mode.kind === 'string' ? 0 : -1
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i]!
        switch (mode.kind) {
          case 'base64': {
            if (mode.escape) {
              mode.escape = false
              // Encoders may escape "/" or wrap lines; nothing else belongs in base64.
              if (c === 0x2f) mode.sink.push('/')
              else if (c !== 0x6e && c !== 0x72) throw badBase64()
              break
            }
            if (c === BACKSLASH) {
              mode.escape = true
              break
            }
            if (c === QUOTE) {
              closeImage(mode.sink)
              mode = { kind: 'json' }
              textFrom = i + 1
              break
            }
            // The run up to the next quote or backslash is base64 text: take it in one piece.
            let end = buf.indexOf(QUOTE, i)
            if (end < 0) end = buf.length
            const slash = buf.indexOf(BACKSLASH, i)
            if (slash >= 0 && slash < end) end = slash
            mode.sink.pushBytes(buf, i, end)
            i = end - 1
            break
          }
          case 'data-uri-header': {
            if (c === QUOTE) throw badBase64()
            if (c === 0x2c) mode = { kind: 'base64', sink: openImage(), escape: false }
            break
          }
          case 'url-prefix': {
            mode.bytes.push(c)
            const seen = Buffer.from(mode.bytes).toString('latin1')
            if (seen === 'data:') {
              mode = { kind: 'data-uri-header' }
            } else if (!'data:'.startsWith(seen) || c === QUOTE) {
              // An ordinary link: hand what was held back to the JSON text and read on as a string.
              text.push(Buffer.from(`"${seen}`, 'latin1'))
              mode = c === QUOTE ? { kind: 'json' } : { kind: 'string', bytes: null, escape: c === BACKSLASH }
              textFrom = i + 1
            }
            break
          }
          case 'string': {
            if (mode.escape) mode.escape = false
            else if (c === BACKSLASH) mode.escape = true
            else if (c === QUOTE) {
              lastString = mode.bytes ? Buffer.from(mode.bytes).toString('utf8') : null
              mode = { kind: 'json' }
            } else if (mode.bytes && mode.bytes.length < 16) mode.bytes.push(c)
            else mode.bytes = null
            break
          }
          case 'json': {
            if (c === QUOTE) {
              if (key === 'b64_json' || key === 'url') {
                if (textFrom >= 0 && i > textFrom) text.push(Buffer.from(buf.subarray(textFrom, i)))
                textFrom = -1
                mode = key === 'b64_json' ? { kind: 'base64', sink: openImage(), escape: false } : { kind: 'url-prefix', bytes: [] }
                key = null
              } else {
                mode = { kind: 'string', bytes: [], escape: false }
              }
            } else if (c === COLON) {
              key = lastString
            } else if (!WHITESPACE.has(c)) {
              key = null
              lastString = null
            }
            break
          }
        }
      }
      const now = (mode as Mode).kind // (TS cannot follow the switch's assignments in the loop)
      if (textFrom >= 0 && textFrom < buf.length && (now === 'json' || now === 'string')) {
        text.push(Buffer.from(buf.subarray(textFrom)))
      }
      left = Math.max(0, left - buf.length)
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err
    if (call.signal.aborted) throw call.signal.reason
    throw new ProviderError('retryable', `The reply from ${call.profile.name} broke off: ${(err as Error).message}`, { code: 'network' })
  }
  if ((mode as Mode).kind !== 'json') {
    throw new ProviderError('provider_down', `${call.profile.name} sent a reply that ends in the middle of a value.`, { code: 'bad_json' })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.concat(text).toString('utf8'))
  } catch {
    throw new ProviderError('provider_down', `${call.profile.name} sent a reply that is not JSON.`, { code: 'bad_json' })
  }
  return restore(parsed, images)
}

function restore(value: unknown, images: readonly Uint8Array[]): unknown {
  if (typeof value === 'string' && value.startsWith(PLACEHOLDER)) return images[Number(value.slice(PLACEHOLDER.length))]
  if (Array.isArray(value)) return value.map((v) => restore(v, images))
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = restore(v, images)
  }
  return value
}
