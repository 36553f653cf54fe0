import type { KeyInfo, ProviderSummary } from '../../../shared/api'
import { referenceProblem, referencesBlocker, takesMask } from './references/reference-rules'
import type { GenerateState } from './generate-store'

/**
 * What stops Generate, in words a user can act on, and the one-click way out where there is one
 * (shown beside the button, so a blocked Generate always has a way forward even when the control
 * that caused it is folded away).
 */
export interface Blocker {
  text: string
  /** add-key: open Settings on this provider's keys; remove-references: drop what it cannot take. */
  fix?: 'add-key' | 'remove-references'
}

/** Why Generate cannot be pressed yet; null when it can. */
export function generateBlocker(
  form: Pick<GenerateState, 'prompt' | 'sizes' | 'keyId' | 'submitting' | 'references' | 'mask' | 'importing'>,
  provider: ProviderSummary | undefined,
  keys: KeyInfo[],
): Blocker | null {
  if (!provider) return { text: 'Choose a provider first.' }
  const prompt = form.prompt.trim()
  if (prompt === '') return { text: 'Write a prompt first.' }
  if (prompt.length > provider.maxPromptLength) {
    return { text: `The prompt has ${prompt.length.toLocaleString('en')} characters; ${provider.name} takes at most ${provider.maxPromptLength.toLocaleString('en')}: shorten it.` }
  }
  if (form.sizes.length === 0) return { text: 'Pick at least one size.' }
  if (form.importing > 0) return { text: 'Adding reference images…' }
  // Before the key: one click clears these, and a provider that cannot take them may not be the one to add a key for.
  const refs = referencesBlocker(provider, form.references, form.mask)
  if (refs !== null) {
    const removable = form.references.some((r) => referenceProblem(provider, r) !== null) || (form.mask !== null && !takesMask(provider))
    return removable ? { text: refs, fix: 'remove-references' } : { text: refs }
  }
  if (provider.needsKey) {
    const own = keys.filter((k) => k.provider === provider.id)
    if (own.length === 0) return { text: `Add an API key for ${provider.name} first.`, fix: 'add-key' }
    const chosen = own.find((k) => k.id === form.keyId)
    if (!chosen) return { text: `Choose which ${provider.name} key pays for this, under API key.` }
    if (!chosen.available) return { text: `The key “${chosen.label}” cannot be read: choose another key, or add it again in Settings.`, fix: 'add-key' }
  }
  if (form.submitting) return { text: 'Queuing…' }
  return null
}
