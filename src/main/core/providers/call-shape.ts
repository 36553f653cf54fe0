import { sizeLabel } from '../../../shared/api'
import type { DialectCall } from './dialect'
import { ProviderError } from './provider-error'

/**
 * Checks an adapter repeats at the wire, in case a job reaches it without the validation that
 * normally stops it (e.g. settings changed while it waited in the queue).
 */
export function aspectSize(call: DialectCall): { aspect: string; resolution: string } {
  if (!('aspect' in call.size)) {
    throw new ProviderError('input', `${call.profile.name} takes an aspect ratio and a resolution, not pixels (${sizeLabel(call.size)}).`, {
      code: 'size_not_aspect',
    })
  }
  return call.size
}

/** Providers that fetch references themselves need links they can reach, never local paths. */
export function publicReferenceUrls(call: DialectCall): string[] {
  return call.params.refs.map((ref) => {
    if (ref.kind === 'link') return ref.url
    throw new ProviderError('input', `${call.profile.name} needs reference images as public URLs; "${ref.path.slice(0, 80)}" is not one.`, {
      code: 'ref_not_public_url',
    })
  })
}
