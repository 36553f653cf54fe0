import type { DialectCall } from '../dialect'
import { ProviderError } from '../provider-error'
import { safeUrl } from './provider-http'

/**
 * Gets image bytes out of whatever a provider put in its reply: base64 (`b64_json`), a `data:`
 * URI in `url`, or a link to download at once (signed links expire). Downloads never carry the
 * API key, are size-capped while streaming, and time out.
 */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024
const DOWNLOAD_TIMEOUT_MS = 120_000

/**
 * How many bytes base64 `text` decodes to, or -1 when no base64 text has its length (one character
 * past a group of four) or it ends in more than two "=". Node's decoder skips characters outside
 * the alphabet and stops at "=", so text whose decoded length differs from this is not base64:
 * checking the length after decoding replaces a scan of megabytes with a regular expression.
 */
export function base64Bytes(text: string): number {
  let pad = 0
  while (pad < 3 && text.charCodeAt(text.length - 1 - pad) === 0x3d) pad++
  const data = text.length - pad
  if (pad > 2 || data % 4 === 1) return -1
  return Math.floor((data * 3) / 4)
}

export function decodeBase64Image(text: string, what: string): Uint8Array {
  const clean = text.includes('\n') || text.includes(' ') ? text.replace(/\s+/g, '') : text
  const notBase64 = (): ProviderError => new ProviderError('provider_down', `The provider sent ${what} that is not valid base64.`, { code: 'bad_base64' })
  const expected = base64Bytes(clean)
  if (clean.length === 0 || expected <= 0) throw notBase64()
  if (expected > MAX_IMAGE_BYTES) {
    throw new ProviderError('provider_down', `The provider sent an image over ${MAX_IMAGE_BYTES / 2 ** 20} MB.`, { code: 'too_large' })
  }
  // The "base64" decoder also reads the URL-safe alphabet ("-", "_").
  const bytes = Buffer.from(clean, 'base64')
  if (bytes.length !== expected) throw notBase64()
  return bytes
}

export function decodeDataUri(uri: string): Uint8Array {
  const comma = uri.indexOf(',')
  const header = comma > 0 ? uri.slice(5, comma) : ''
  if (comma < 0 || !/;base64$/i.test(header)) {
    throw new ProviderError('provider_down', 'The provider sent a data: URI that is not base64 image data.', { code: 'bad_data_uri' })
  }
  return decodeBase64Image(uri.slice(comma + 1), 'a data: URI')
}

/**
 * The image behind a link is already paid for, and a failed call makes the queue pay for a new
 * one; so a download that fails for a passing reason (network, 429, 5xx) is tried again first.
 */
const DOWNLOAD_RETRY_DELAYS_MS = [1000, 3000]

export async function downloadImage(call: DialectCall, link: string): Promise<Uint8Array> {
  const url = safeUrl(link)
  if (!url) {
    throw new ProviderError('provider_down', `The provider sent an image link Proofsheet will not fetch (${link.slice(0, 80)}).`, { code: 'bad_image_url' })
  }
  for (let retry = 0; ; retry++) {
    try {
      return await downloadOnce(call, url)
    } catch (err) {
      const delay = DOWNLOAD_RETRY_DELAYS_MS[retry]
      if (delay === undefined || !(err instanceof ProviderError) || !isPassing(err)) throw err
      await call.clock.sleep(delay, call.signal)
    }
  }
}

/** A broken-off or refused download that may well work a moment later; a 404 or 403 link will not. */
function isPassing(err: ProviderError): boolean {
  return err.code === 'download_failed' || /^download_(408|425|429|5\d\d)$/.test(err.code ?? '')
}

async function downloadOnce(call: DialectCall, url: URL): Promise<Uint8Array> {
  const signal = AbortSignal.any([call.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)])
  let res: Response
  try {
    // No auth header: the link is signed, and it may point at a CDN that must never see the key.
    res = await call.fetch(url, { signal, redirect: 'follow' })
  } catch (err) {
    if (call.signal.aborted) throw call.signal.reason
    throw new ProviderError('retryable', `Could not download the image from ${url.host}: ${(err as Error).message}`, { code: 'download_failed' })
  }
  if (!res.ok || !res.body) {
    throw new ProviderError('provider_down', `Downloading the image from ${url.host} failed with HTTP ${res.status}.`, { code: `download_${res.status}` })
  }
  const declared = Number(res.headers.get('content-length') ?? 0)
  if (declared > MAX_IMAGE_BYTES) {
    throw new ProviderError('provider_down', `The image at ${url.host} is larger than ${MAX_IMAGE_BYTES / 2 ** 20} MB.`, { code: 'too_large' })
  }
  // With a declared length the bytes go straight into one buffer of that size as they arrive, so
  // the image is never held twice (chunks and their join); without one, chunks are joined at the end.
  // The buffer is borrowed from the queue when it lends one (given back once the image is stored).
  let whole = declared > 0 ? (call.imageBuffers?.take(declared) ?? Buffer.allocUnsafe(declared)) : null
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of res.body) {
      if (total + chunk.byteLength > MAX_IMAGE_BYTES) {
        throw new ProviderError('provider_down', `The image at ${url.host} is larger than ${MAX_IMAGE_BYTES / 2 ** 20} MB.`, { code: 'too_large' })
      }
      if (whole && total + chunk.byteLength > whole.length) {
        // Longer than declared: keep what came so far as a chunk and collect the rest.
        chunks.push(whole.subarray(0, total))
        whole = null
      }
      if (whole) whole.set(chunk, total)
      else chunks.push(chunk)
      total += chunk.byteLength
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err
    if (call.signal.aborted) throw call.signal.reason
    throw new ProviderError('retryable', `The image download from ${url.host} broke off: ${(err as Error).message}`, { code: 'download_failed' })
  }
  return whole ? whole.subarray(0, total) : Buffer.concat(chunks, total)
}

/** One entry of a reply's `data` array, in any of the documented forms. */
export async function imageFromItem(call: DialectCall, item: unknown): Promise<Uint8Array> {
  const entry = (item ?? {}) as { b64_json?: unknown; url?: unknown }
  // Already decoded while the reply streamed in (see streaming-image-reply.ts).
  if (entry.b64_json instanceof Uint8Array) return entry.b64_json
  if (entry.url instanceof Uint8Array) return entry.url
  if (typeof entry.b64_json === 'string' && entry.b64_json.length > 0) return decodeBase64Image(entry.b64_json, 'b64_json')
  if (typeof entry.url === 'string' && entry.url.startsWith('data:')) return decodeDataUri(entry.url)
  if (typeof entry.url === 'string' && entry.url.length > 0) return downloadImage(call, entry.url)
  throw new ProviderError('provider_down', 'The provider sent a result without b64_json or url.', { code: 'no_image_data' })
}
