import { badInput, type GenerationRequest } from '../../../shared/api'
import type { ProviderProfile } from './profile'

/**
 * The optional request fields (input fidelity, moderation, end-user id) checked against what the
 * profile's provider documents. A provider that does not name a field would refuse it, or worse
 * ignore it without a word, so it is refused here before anything is queued or paid for.
 */
export function validateOptions(profile: ProviderProfile, req: Pick<GenerationRequest, 'inputFidelity' | 'moderation' | 'user' | 'refs'>): void {
  const options = profile.options
  const takers = (what: string) => `${what} is taken by ${whoTakes(what)}`
  if (req.inputFidelity !== undefined) {
    if (!options?.inputFidelity) {
      throw badInput('inputFidelity', `${profile.name} does not document input fidelity.`, `Remove it; ${takers('input fidelity')}.`)
    }
    if (req.refs.length === 0) {
      throw badInput('inputFidelity', 'Input fidelity applies to edits: it says how closely to keep the reference images, and there are none.', 'Add a reference image, or remove input fidelity.')
    }
  }
  if (req.moderation !== undefined && !options?.moderation) {
    throw badInput('moderation', `${profile.name} does not document a moderation level.`, `Remove it; ${takers('moderation')}.`)
  }
  if (req.user !== undefined && !options?.user) {
    throw badInput('user', `${profile.name} does not document an end-user id (user).`, `Remove it; ${takers('user')}.`)
  }
}

/** Stated with the built-in profiles in mind; a custom endpoint takes none of these fields. */
function whoTakes(what: string): string {
  return what === 'input fidelity' ? 'openai and tokenhub' : 'openai'
}
