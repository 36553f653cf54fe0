import type { KeyInfo, ProviderSummary } from '../../../shared/api'
import { referencesBlocker } from './references/reference-rules'
import type { GenerateState } from './generate-store'

/** Why Generate cannot be pressed yet, in words a user can act on; null when it can. */
export function generateBlocker(
  form: Pick<GenerateState, 'prompt' | 'sizes' | 'keyId' | 'submitting' | 'references' | 'mask' | 'importing'>,
  provider: ProviderSummary | undefined,
  keys: KeyInfo[],
): string | null {
  if (!provider) return 'Choose a provider first.'
  if (form.prompt.trim() === '') return 'Write a prompt first.'
  if (form.sizes.length === 0) return 'Pick at least one size.'
  if (provider.needsKey && !keys.some((k) => k.provider === provider.id)) return `Add an API key for ${provider.name} first.`
  if (provider.needsKey && !form.keyId) return 'Choose which API key pays for this.'
  if (form.importing > 0) return 'Adding reference images…'
  const refs = referencesBlocker(provider, form.references, form.mask)
  if (refs !== null) return refs
  if (form.submitting) return 'Queuing…'
  return null
}
