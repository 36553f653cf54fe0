import type { GenerationParams, OutputFormat, SizeSpec, TokenUsage } from '../../../shared/api'
import type { Clock } from '../clock'
import type { ProviderProfile } from './profile'

/**
 * A dialect is code: how one family of APIs is spoken. The queue hands it one call at a time
 * and gets image bytes back; it never sees the queue, the database or the file system.
 */
export interface DialectCall {
  jobId: string
  profile: ProviderProfile
  baseUrl: string
  secret: string | null
  params: Omit<GenerationParams, 'key'>
  size: SizeSpec
  /** Images wanted from this call (already capped to the profile's per-call limit). */
  count: number
  /** Index of this call's first image within the job, for naming and seeds. */
  firstIndex: number
  signal: AbortSignal
  clock: Clock
  fetch: typeof fetch
  /** Async dialects call this with the remote task id before polling; the queue persists it. */
  onTaskId(taskId: string): void
  /**
   * The provider's back-off, shared by every job of the profile. A request the queue's limiter did
   * not start (a status poll) waits on it first, and a Retry-After met there is reported to it, so
   * one job's 429 holds the whole profile instead of the others polling on through it.
   */
  backoff: ProviderBackoff
  /**
   * A streaming provider sent a partial image of this call's image (partials never reach the
   * library). Called in order; must not throw or block: the stream is read on meanwhile.
   */
  onPartialImage?(partial: PartialImage): void
  /**
   * Where a reply reader may borrow the buffers it decodes images into (the queue lends them and
   * takes them back once the images are stored; see queue/image-buffers.ts). Absent: it allocates.
   */
  imageBuffers?: ImageBufferSource
}

/** Borrowing only: a dialect never gives a buffer back, the queue does once the image is stored. */
export interface ImageBufferSource {
  /** A buffer of at least `bytes` bytes; its contents are left over from earlier use. */
  take(bytes: number): Buffer
}

export interface PartialImage {
  bytes: Uint8Array
  /** The provider's 0-based `partial_image_index`. */
  index: number
}

export interface ProviderBackoff {
  /** Resolves once no Retry-After holds the provider (at once when none does). */
  wait(): Promise<void>
  /** The provider asked to come back in `ms`. */
  hold(ms: number): void
}

export interface GeneratedImage {
  bytes: Uint8Array
  revisedPrompt: string | null
  expectedFormat?: OutputFormat
}

export interface CallResult {
  images: GeneratedImage[]
  /** What the provider says it charged for this call, when it says; else the table price applies. */
  chargedCost: number | null
  /**
   * Token counts the provider reported for this call (OpenAI's `usage`), absent or null when it
   * reported none. With the profile's token prices they give the charged amount.
   */
  usage?: TokenUsage | null
}

export interface DialectAdapter {
  generate(call: DialectCall): Promise<CallResult>
  /** Continue a task submitted before a restart, without submitting again. */
  resume?(call: DialectCall, taskId: string): Promise<CallResult>
}
