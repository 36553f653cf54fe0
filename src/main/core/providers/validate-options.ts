import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { badInput, type GenerationRequest } from '../../../shared/api'
import { jsonEditFileLimitBytes, sendsJsonEdit } from './openai-images-request'
import type { ProviderProfile } from './profile'

/**
 * The optional request fields (input fidelity, moderation, end-user id) checked against what the
 * profile's provider documents. A provider that does not name a field would refuse it, or worse
 * ignore it without a word, so it is refused here before anything is queued or paid for.
 */
export function validateOptions(profile: ProviderProfile, req: Pick<GenerationRequest, 'inputFidelity' | 'moderation' | 'user' | 'refs' | 'mask'>): void {
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
  checkJsonEditFiles(profile, req)
}

/**
 * Files that travel as data URLs in a JSON edit (beside links, or for moderation) must fit the
 * provider's limit on one image_url; a bigger file would be refused only after queueing.
 */
function checkJsonEditFiles(profile: ProviderProfile, req: Pick<GenerationRequest, 'moderation' | 'refs' | 'mask'>): void {
  const limit = jsonEditFileLimitBytes(profile)
  if (limit === null || !sendsJsonEdit(profile, req)) return
  const files = [...req.refs.map((ref) => ['refs', ref] as const), ...(req.mask ? [['mask', req.mask] as const] : [])]
  for (const [field, ref] of files) {
    if (ref.kind === 'link') continue
    const path = ref.path
    let bytes: number
    try {
      bytes = statSync(path).size
    } catch {
      continue // unreadable files are the reference checks' to report
    }
    if (bytes > limit) {
      const mb = (limit / 2 ** 20).toFixed(0)
      throw badInput(
        field,
        `${basename(path)} is ${(bytes / 2 ** 20).toFixed(1)} MB; sent beside links (or with moderation) it goes to ${profile.name} as a data URL, which takes at most ${mb} MB.`,
        `Use a smaller or more compressed image, or send only files (without links or moderation), which take up to 50 MB.`,
      )
    }
  }
}

/** Stated with the built-in profiles in mind; a custom endpoint takes none of these fields. */
function whoTakes(what: string): string {
  return what === 'input fidelity' ? 'openai and tokenhub' : 'openai'
}
