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
import type { ReferenceAccess } from '../media/reference-access'
import { estimate } from '../pricing/estimate'
import type { ProviderRegistry } from '../providers/registry'
import { validateReferences } from '../providers/references'
import { validateRequest } from '../providers/validate-request'
import { keyEndpointProblem } from '../secrets/key-endpoint'
import type { KeyRecord } from '../store/records'
import type { JobOrigin, JobRecord, NewJob } from '../store/records'
import type { Store } from '../store/store'
import { failedTaskNote } from '../queue/failed-task'
import { checkRequest, type CheckedRequest } from './checked-request'
import { generationGroupId } from '../../../shared/gallery/generation-group'
import { GenerationRequest as GenerationRequestSchema } from '../../../shared/api'

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
      /** Which local files this door's requests may name as references (the CLI: any). */
      references: ReferenceAccess
    },
  ) {}

  estimate(req: EstimateRequest): Estimate {
    const { profile } = this.deps.providers.get(req.provider)
    validateRequest(profile, req)
    // An estimate promises the job can be queued: unusable references are refused here too.
    validateReferences(profile, req.refs, req.mask, this.deps.references)
    return estimate(profile, req.sizes, req.n)
  }

  /** Checks and prices the request, then queues it: the door for requests from outside. */
  generate(req: GenerationRequest): { batchId: string | null; jobs: JobView[]; estimate: Estimate } {
    return this.queueChecked(checkRequest(this.deps.providers.get(req.provider).profile, req, this.deps.references))
  }

  /**
   * Queues a job again with its own settings: its one size and count, options, references, mask,
   * key (stored key or environment variable), base URL and template, checked and priced like a new
   * request (a reference file gone from the library, or a key removed since, is refused with why).
   * The new job is a generation of its own that records which job and generation it repeats.
   */
  rerun(job: JobRecord): { batchId: string | null; jobs: JobView[]; estimate: Estimate } {
    const { rerunOf: _earlier, ...settings } = job.params
    const key = job.keyId !== null ? { key: { keyId: job.keyId } } : job.keyEnv !== null ? { key: { keyEnv: job.keyEnv } } : {}
    // Settings stored by an older version may no longer pass today's rules: said, not half-queued.
    const parsed = GenerationRequestSchema.safeParse({ ...settings, ...key, sizes: [job.size] })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw badInput(issue?.path.join('.') || 'id', `This job's settings cannot be queued again: ${issue?.message ?? 'they do not pass the current rules'}.`, 'Start a new request from its settings and correct them.')
    }
    const checked = checkRequest(this.deps.providers.get(job.provider).profile, parsed.data, this.deps.references)
    return this.queueChecked(checked, undefined, { rerunOf: { jobId: job.id, groupId: generationGroupId(job) } })
  }

  /**
   * Queues a request already checked and priced (a batch plan's row), without reading its
   * reference files or pricing it again. `row`: the batch and table row it came from (kept per job).
   */
  queueChecked(
    checked: CheckedRequest,
    row?: { batchId: string; sku: string | null; batchRow: number },
    origin: JobOrigin = {},
  ): { batchId: string | null; jobs: JobView[]; estimate: Estimate } {
    const req = checked.request
    const { profile } = this.deps.providers.get(req.provider)
    const key = this.resolveKey(req)
    const now = this.deps.clock.now()
    // Provider, prompt and base URL are stored in their own columns, not again in params.
    const { key: _omit, sizes, batchId: requestedBatch, provider: _provider, prompt: _prompt, baseUrl: _baseUrl, ...params } = req
    const { batchId: rowBatch, ...placement } = row ?? {}
    let batchId = rowBatch ?? requestedBatch ?? null
    const jobs: NewJob[] = sizes.map((size, i) => ({
      id: `job_${randomUUID()}`,
      batchId: null,
      provider: req.provider,
      params: { ...params, ...origin },
      size,
      prompt: req.prompt,
      maxAttempts: this.deps.maxAttempts,
      estimatedCost: checked.estimate.lines[i]!.subtotal,
      currency: profile.pricing.currency,
      keyId: key.keyId,
      keyEnv: key.keyEnv,
      keyLabel: key.keyLabel,
      baseUrl: req.baseUrl ?? null,
      // Distinct timestamps keep the sizes in the order the user listed them.
      createdAt: now + i,
      ...placement,
    }))
    this.deps.store.transaction(() => {
      if (batchId === null && jobs.length > 1) {
        batchId = `batch_${randomUUID()}`
        this.deps.store.batches.insert({ id: batchId, name: req.prompt.slice(0, 80), budget: null, createdAt: now })
      }
      for (const job of jobs) job.batchId = batchId
      this.deps.store.jobs.insertMany(jobs)
    })
    return {
      batchId,
      jobs: jobs.map((j) => this.view(this.deps.store.jobs.get(j.id)!)),
      estimate: checked.estimate,
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
      size: sizeLabel(job.size),
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
      rerunOf: job.params.rerunOf ?? null,
      failedTasks: failedTasksOf(job, registered?.profile.name ?? job.provider),
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

  /**
   * Why the stored key a request would use may not go to its base URL, or null: for a batch, said
   * once in its preview and before any row is queued. (Other key problems surface per row.)
   */
  storedKeyElsewhere(req: Pick<GenerationRequest, 'provider' | 'key' | 'baseUrl'>): ApiError | null {
    const { profile } = this.deps.providers.get(req.provider)
    if (profile.auth === 'none' || (req.key && 'keyEnv' in req.key)) return null
    const key = req.key && 'keyId' in req.key ? this.deps.keys.get(req.key.keyId) : this.soleKey(req.provider)
    return key && key.provider === req.provider ? hostProblem(key, req, profile.baseUrl) : null
  }

  private soleKey(provider: string): KeyRecord | undefined {
    const candidates = this.deps.keys.forProvider(provider)
    return candidates.length === 1 ? candidates[0] : undefined
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
      const problem = hostProblem(key, req, profile.baseUrl)
      if (problem) throw problem
      return { keyId: key.id, keyEnv: null, keyLabel: key.label }
    }
    const candidates = this.deps.keys.forProvider(req.provider)
    if (candidates.length === 1) {
      const problem = hostProblem(candidates[0]!, req, profile.baseUrl)
      if (problem) throw problem
      return { keyId: candidates[0]!.id, keyEnv: null, keyLabel: candidates[0]!.label }
    }
    throw badInput(
      'key',
      candidates.length === 0
        ? `${profile.name} needs an API key and none is stored.`
        : `${profile.name} has ${candidates.length} keys; say which one to use.`,
      candidates.length === 0 ? { code: 'add_key', provider: req.provider } : { code: 'choose_key', provider: req.provider, labels: candidates.map((k) => k.label) },
    )
  }
}

function failedTasksOf(job: JobRecord, providerName: string): JobView['failedTasks'] {
  if (job.failedTasks === 0) return null
  const facts = { providerName, failedTasks: job.failedTasks, resubmits: job.taskResubmits, possibleCost: job.failedTasksCost, currency: job.currency }
  return { count: job.failedTasks, resubmitted: job.taskResubmits, possibleCost: job.failedTasksCost, note: failedTaskNote(facts) }
}

/**
 * A stored key goes only to the host it was stored for (secrets/key-endpoint.ts); the job runner
 * checks again right before sending, for jobs queued earlier. A per-job base URL is what the
 * person chose (field baseUrl); otherwise the profile moved since the key was stored (field key).
 */
function hostProblem(key: KeyRecord, req: Pick<GenerationRequest, 'baseUrl'>, profileBaseUrl: string): ApiError | null {
  const field = req.baseUrl !== undefined ? 'baseUrl' : 'key'
  const problem = keyEndpointProblem(key, req.baseUrl ?? profileBaseUrl, { perJob: field === 'baseUrl' })
  return problem ? badInput(field, problem.message, problem.remedy) : null
}
