import type { SecretBackend } from '../../../shared/api/keys'
import type { ChargeBasis, ErrorKind, GenerationParams, JobStatus, OutputFormat, RerunOrigin, SizeSpec, TokenUsage } from '../../../shared/api'

/**
 * The part of a job's settings kept in its params JSON: provider, prompt and base URL have their
 * own columns, which are the one place they are stored (rows written before this still carry a
 * copy in the JSON, and it is ignored).
 */
export type StoredJobParams = Omit<GenerationParams, 'key' | 'provider' | 'prompt' | 'baseUrl'> & JobOrigin

/** Where a job came from besides a request: the job it reruns (never part of a request a door sends). */
export interface JobOrigin {
  rerunOf?: RerunOrigin
}

/** A job as stored. `params` never holds a secret: keys are referenced by id or env var name. */
export interface JobRecord {
  id: string
  batchId: string | null
  provider: string
  /** The settings as asked; provider, prompt and baseUrl are read from their columns. */
  params: Omit<GenerationParams, 'key'> & JobOrigin
  size: SizeSpec
  prompt: string
  status: JobStatus
  attempts: number
  maxAttempts: number
  nextAttemptAt: number | null
  remoteTaskId: string | null
  errorKind: ErrorKind | null
  errorCode: string | null
  errorMessage: string | null
  /** Null when the profile had no price for this size. */
  estimatedCost: number | null
  /** Null before any charge, or when a call's charge is unknown. */
  chargedCost: number | null
  /** Token counts the provider reported, summed over the job's calls; null when none did. */
  usage: TokenUsage | null
  /** How the charge was found; null before any call was charged. */
  chargeBasis: ChargeBasis | null
  /** The token prices' source behind a 'tokens' charge. */
  chargeSource: string | null
  currency: string
  keyId: string | null
  keyEnv: string | null
  keyLabel: string | null
  baseUrl: string | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  updatedAt: number
  /** Why the queue does not start this queued job (a budget), and that budget's id. */
  holdReason: string | null
  heldBy: string | null
  /** For a job from a batch table: the row's SKU (may be null) and row number. */
  sku: string | null
  batchRow: number | null
  /** Tasks the provider failed upstream (each may have been billed), and what they may have cost (null: unknown or none). */
  failedTasks: number
  failedTasksCost: number | null
  /** How often the queue resubmitted on its own after a failed task (at most once per job). */
  taskResubmits: number
}

export type NewJob = Pick<
  JobRecord,
  | 'id'
  | 'batchId'
  | 'provider'
  | 'size'
  | 'prompt'
  | 'maxAttempts'
  | 'estimatedCost'
  | 'currency'
  | 'keyId'
  | 'keyEnv'
  | 'keyLabel'
  | 'baseUrl'
  | 'createdAt'
> &
  Partial<Pick<JobRecord, 'sku' | 'batchRow'>> & { params: StoredJobParams }

/** A task the provider failed upstream: what it may have cost, and whether the queue sends it again. */
export interface FailedTask {
  error: JobError
  /** The table price of the failed task's images; null when the profile has no price. */
  possibleCost: number | null
  /** When to resubmit (the queue's one resubmission), or null to fail the job. */
  resubmitAt: number | null
}

/** What one provider call cost and what it reported, recorded with its images. */
export interface CallCharge {
  amount: number | null
  basis: ChargeBasis
  source: string | null
  usage: TokenUsage | null
}

export interface ImageRecord {
  id: string
  jobId: string
  seq: number
  file: string
  thumb: string
  format: OutputFormat
  width: number
  height: number
  bytes: number
  sha256: string
  prompt: string
  revisedPrompt: string | null
  provider: string
  keyLabel: string | null
  favorite: boolean
  createdAt: number
}

export interface JobError {
  kind: ErrorKind
  code: string | null
  message: string
}

/** A stored key's metadata (the `keys` table). Never the secret itself. */
export interface KeyRecord {
  id: string
  provider: string
  label: string
  last4: string
  /** Where the secret was put when the key was added. */
  backend: SecretBackend
  createdAt: number
  /**
   * The host+port (`endpointHostOf`, shared/api/keys.ts) of the provider's base URL when the key was entered: the
   * only place the key is sent. Null when unknown; such a key is sent nowhere until entered again.
   */
  host: string | null
}
