import { randomUUID } from 'node:crypto'
import {
  ApiError,
  badInput,
  sizeLabel,
  type Estimate,
  type EstimateRequest,
  type GenerationRequest,
  type JobView,
} from '../../../shared/api'
import type { Clock } from '../clock'
import { estimate, priceOf } from '../pricing/estimate'
import type { ProviderRegistry } from '../providers/registry'
import { validateReferences } from '../providers/references'
import { validateRequest } from '../providers/validate-request'
import type { KeyRecord } from '../secrets/key-vault'
import type { JobRecord, NewJob } from '../store/records'
import type { Store } from '../store/store'

export interface KeyLookup {
  get(id: string): KeyRecord | undefined
  forProvider(provider: string): KeyRecord[]
}

/**
 * Turns a request into queued jobs: validated against the provider's profile, priced, and tied to
 * a key reference (never a secret) before anything is written. One job per size.
 */
export class GenerationService {
  constructor(
    private readonly deps: {
      store: Store
      providers: ProviderRegistry
      keys: KeyLookup
      clock: Clock
      maxAttempts: number
    },
  ) {}

  estimate(req: EstimateRequest): Estimate {
    const { profile } = this.deps.providers.get(req.provider)
    validateRequest(profile, req)
    return estimate(profile, req.sizes, req.n)
  }

  /** `row`: the batch table row the request came from (its SKU and number are kept per job). */
  generate(req: GenerationRequest, row?: { sku: string | null; batchRow: number }): { batchId: string | null; jobs: JobView[]; estimate: Estimate } {
    const { profile } = this.deps.providers.get(req.provider)
    validateRequest(profile, req)
    validateReferences(profile, req.refs, req.mask)
    const cost = estimate(profile, req.sizes, req.n)
    const key = this.resolveKey(req)
    const now = this.deps.clock.now()
    const { key: _omit, sizes, batchId: requestedBatch, ...params } = req
    let batchId = requestedBatch ?? null
    const jobs: NewJob[] = sizes.map((size, i) => ({
      id: `job_${randomUUID()}`,
      batchId: null,
      provider: req.provider,
      params,
      size,
      sizeLabel: sizeLabel(size),
      prompt: req.prompt,
      maxAttempts: this.deps.maxAttempts,
      estimatedCost: priceOf(profile, size, req.n),
      currency: profile.pricing.currency,
      keyId: key.keyId,
      keyEnv: key.keyEnv,
      keyLabel: key.keyLabel,
      baseUrl: req.baseUrl ?? null,
      // Distinct timestamps keep the sizes in the order the user listed them.
      createdAt: now + i,
      ...row,
    }))
    this.deps.store.transaction(() => {
      if (batchId === null && jobs.length > 1) {
        batchId = `batch_${randomUUID()}`
        this.deps.store.insertBatch({ id: batchId, name: req.prompt.slice(0, 80), budget: null, createdAt: now })
      }
      for (const job of jobs) job.batchId = batchId
      this.deps.store.jobs.insertMany(jobs)
    })
    return {
      batchId,
      jobs: jobs.map((j) => this.view(this.deps.store.jobs.get(j.id)!)),
      estimate: cost,
    }
  }

  view(job: JobRecord): JobView {
    const registered = this.deps.providers.has(job.provider) ? this.deps.providers.get(job.provider) : null
    return {
      id: job.id,
      batchId: job.batchId,
      provider: job.provider,
      keyLabel: job.keyLabel,
      prompt: job.prompt,
      size: job.sizeLabel,
      format: job.params.format,
      n: job.params.n,
      status: job.status,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      nextAttemptAt: job.nextAttemptAt,
      error: job.errorKind ? { kind: job.errorKind, code: job.errorCode, message: job.errorMessage ?? '' } : null,
      estimatedCost: job.estimatedCost,
      chargedCost: job.chargedCost,
      usage: job.usage,
      chargeBasis: job.chargeBasis,
      chargeSource: job.chargeSource,
      currency: job.currency,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      typicalLatencyMs: registered?.profile.typicalLatencyMs ?? 30_000,
      imageIds: this.deps.store.images.forJob(job.id).map((i) => i.id),
      heldReason: job.status === 'queued' ? job.holdReason : null,
      polling: job.status === 'running' && job.remoteTaskId !== null,
      sku: job.sku,
      batchRow: job.batchRow,
    }
  }

  /** The key label a request would be queued with; null when it needs none or names none yet. */
  keyLabelFor(req: EstimateRequest): string | null {
    try {
      return this.resolveKey(req).keyLabel
    } catch {
      return null
    }
  }

  private resolveKey(req: GenerationRequest): { keyId: string | null; keyEnv: string | null; keyLabel: string | null } {
    const { profile } = this.deps.providers.get(req.provider)
    if (profile.auth === 'none') return { keyId: null, keyEnv: null, keyLabel: null }
    if (req.key && 'keyEnv' in req.key) return { keyId: null, keyEnv: req.key.keyEnv, keyLabel: `$${req.key.keyEnv}` }
    if (req.key && 'keyId' in req.key) {
      const key = this.deps.keys.get(req.key.keyId)
      if (!key) throw new ApiError('not_found', `No key with id ${req.key.keyId}.`, { field: 'key', fix: 'Pick a key from the key list.' })
      if (key.provider !== req.provider) {
        throw badInput('key', `The key "${key.label}" belongs to ${key.provider}, not ${req.provider}.`, `Pick a ${req.provider} key.`)
      }
      return { keyId: key.id, keyEnv: null, keyLabel: key.label }
    }
    const candidates = this.deps.keys.forProvider(req.provider)
    if (candidates.length === 1) return { keyId: candidates[0]!.id, keyEnv: null, keyLabel: candidates[0]!.label }
    throw badInput(
      'key',
      candidates.length === 0
        ? `${profile.name} needs an API key and none is stored.`
        : `${profile.name} has ${candidates.length} keys; say which one to use.`,
      candidates.length === 0
        ? `Add one with "proofsheet keys add ${req.provider} --label NAME", or pass --key-env VAR.`
        : `Pass --key with one of: ${candidates.map((k) => k.label).join(', ')}.`,
    )
  }
}
