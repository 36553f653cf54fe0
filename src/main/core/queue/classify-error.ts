import { ApiError } from '../../../shared/api/errors'
import { ProviderError } from '../providers/provider-error'

/**
 * Anything thrown while running a job becomes a ProviderError with a kind the queue can act on.
 * Adapters throw ProviderError themselves for provider replies; this catches the rest.
 */
export function classifyError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err
  if (err instanceof ApiError) {
    return new ProviderError(err.code === 'bad_input' ? 'input' : 'internal', err.fix ? `${err.message} ${err.fix}` : err.message, {
      code: err.code,
    })
  }
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } }
  const code = e?.code ?? e?.cause?.code
  if (e?.name === 'TimeoutError') {
    return new ProviderError('retryable', 'The provider did not answer in time.', { code: 'timeout' })
  }
  if (
    (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) ||
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'ENOTFOUND', 'EAI_AGAIN'].includes(code ?? '')
  ) {
    return new ProviderError('retryable', `Network problem reaching the provider (${code ?? e.message}).`, {
      code: code ?? 'network',
    })
  }
  if (e?.name === 'MediaError' && code === 'io') {
    const cause = e.cause?.code ?? 'io'
    return new ProviderError('internal', `Cannot write to the library folder (${cause}): ${e.message}`, { code: cause })
  }
  if (e?.name === 'MediaError') {
    return new ProviderError('provider_down', `The provider returned an unusable image: ${e.message}`, {
      code: code ?? 'bad_image',
    })
  }
  if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES') {
    return new ProviderError('internal', `Cannot write to the library folder (${code}): ${e.message}`, { code })
  }
  return new ProviderError('internal', `Unexpected error: ${e?.message ?? String(err)}`, { code: 'internal' })
}
