import type { Estimate, GenerationRequest } from '../../../shared/api'
import type { ReferenceAccess } from '../media/reference-access'
import { estimate } from '../pricing/estimate'
import type { ProviderProfile } from '../providers/profile'
import { validateReferences } from '../providers/references'
import { validateRequest } from '../providers/validate-request'

declare const checkedMark: unique symbol

/**
 * A request that passed its provider's rules, whose references the door admitted, with its price.
 * Only `checkRequest` makes one, so whoever holds it (a batch plan) can queue it without checking
 * and pricing it again, and nothing else can reach the queue unchecked.
 */
export interface CheckedRequest {
  readonly [checkedMark]: true
  /** The request with the reference and mask paths the access rule admitted: the files the runner will read. */
  readonly request: GenerationRequest
  readonly estimate: Estimate
}

/** Throws the provider's bad_input (field named) when the request cannot run as asked. */
export function checkRequest(profile: ProviderProfile, req: GenerationRequest, references: ReferenceAccess): CheckedRequest {
  if (profile.id !== req.provider) throw new Error('checkRequest: the profile does not match the request')
  validateRequest(profile, req)
  const checked = validateReferences(profile, req.refs, req.mask, references)
  const { mask: _given, ...rest } = req
  const request: GenerationRequest = { ...rest, refs: checked.refs, ...(checked.mask !== undefined ? { mask: checked.mask } : {}) }
  return { request, estimate: estimate(profile, req.sizes, req.n) } as CheckedRequest
}
