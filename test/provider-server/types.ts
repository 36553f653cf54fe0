/**
 * The public vocabulary of the fake provider server: which providers it mounts, what a test can
 * inject, and what it records. Everything a test sees is defined here; the provider modules only
 * add behaviour behind these types.
 */

export const PROVIDER_IDS = ['openai', 'gettoken', 'tokenhub', 'tokensmart', 'toapis', 'getimg'] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

/** What kind of endpoint a request hit. `file` is an image URL this server handed out. */
export type RouteName = 'generations' | 'edits' | 'poll' | 'models' | 'file'

/** Which requests a fault may be consumed by: one route, or `api` for any route except `file`. */
export type FaultTarget = RouteName | 'api'

export type StatusFault =
  | { status: 429; retryAfterSeconds?: number }
  | { status: 500 | 502 | 503 }
  /** 402 billing / balance; 403 no access to the model; 404 model not found. */
  | { status: 402 | 403 | 404 }

export type NamedFault =
  /** Write the headers and part of the body, then destroy the socket. */
  | 'reset'
  /** The normal reply, sent after `delayMs` (inject option, default 2000). */
  | 'slow'
  /** A 502 HTML page from a "proxy" in front of the API. */
  | 'html'
  /** Base64 (or, for URL providers, the downloaded file) cut to half its length. */
  | 'truncated-base64'
  /** Base64 with characters outside the alphabet in the middle (only where base64 is returned). */
  | 'invalid-base64'
  /** Well-formed base64 (or a file) whose bytes are not an image. */
  | 'not-an-image'
  /** 200 with `data: []` (ToAPIs: a completed task with no images). */
  | 'empty-data'
  /**
   * OpenAI only, for a streamed request (`stream: true`): the partial images arrive, then the
   * connection closes cleanly halfway through the final event. A plain request gets half its JSON.
   */
  | 'stream-cut'
  /** The provider's safety refusal (see README for the status and code per provider). */
  | 'content-policy'
  /** OpenAI's exhausted-billing 429 (`code: "insufficient_quota"`), also passed on by its resellers. */
  | 'insufficient-quota'
  /** Tokensmart only: 400 `no_image_generated`. */
  | 'no-image-generated'
  /** ToAPIs only: the task ends `failed` with `error.code = "generation_failed"`. */
  | 'task-failed'
  /** ToAPIs only: the task stays `in_progress` for `polls` (inject option, default 3) extra polls. */
  | 'task-stuck'

export type Fault = StatusFault | NamedFault

export interface InjectOptions {
  /** How many matching requests get this fault (default 1). */
  times?: number
  /** Which requests may consume it (default: any route the fault makes sense on, never `file`). */
  on?: FaultTarget
  /** For `slow`: how long to hold the reply. */
  delayMs?: number
  /** For `task-stuck`: extra polls that answer `in_progress`. */
  polls?: number
  /**
   * For status faults: the error message the provider sends instead of its documented one, in its
   * own envelope (tests of what a client stores and prints, e.g. a proxy that echoes the key).
   */
  message?: string
}

/** How a request authenticated. The secret itself is never recorded. */
export interface AuthSeen {
  /** Which header carried a credential, if any. */
  scheme: 'bearer' | 'x-api-key' | 'other' | 'none'
  /** Whether the credential is a key this provider accepts (over a header it accepts). */
  matched: boolean
  /** Which of the provider's keys matched: 0 for `validKey`, then `addKey` order. */
  keyIndex?: number
}

export interface LoggedFile {
  field: string
  filename: string
  /** The content type the client declared for the part. */
  type: string
  size: number
}

export type LoggedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid-json'; text: string }
  | { kind: 'multipart'; fields: Record<string, string[]>; files: LoggedFile[] }
  | { kind: 'other'; contentType: string | null; size: number }

export interface LoggedRequest {
  /** 1-based order of arrival. */
  seq: number
  /** null when the path is under no provider's prefix. */
  provider: ProviderId | null
  route: RouteName | null
  method: string
  /** Path and query as received. */
  path: string
  /** Lower-case header names; `authorization` and `x-api-key` values replaced by `[REDACTED]`. */
  headers: Record<string, string>
  auth: AuthSeen
  body: LoggedBody
  /** The status of the reply this server started, null if none was started. */
  status: number | null
  /** True when the server destroyed the socket part-way through the reply (`reset` fault). */
  reset: boolean
  /** The fault this request consumed, if any. */
  fault: Fault | null
  /** True when the request passed auth and validation (so it could have been billed). */
  accepted: boolean
  /** When the request arrived, in ms on this process's monotonic clock (`performance.now()`). */
  receivedAt: number
  /** When the reply was sent whole, cut off, or the client hung up; null while still open. */
  endedAt: number | null
}

/** A fault chosen while a request is being served, for requests no queued fault fits. */
export type FaultSource = (request: { provider: ProviderId; route: RouteName }) => { fault: Fault; options?: Omit<InjectOptions, 'times' | 'on'> } | null

/** How many requests to one provider were open at once (file downloads included). */
export interface InFlightView {
  now: number
  /** The most at any moment since the server started or was last reset. */
  peak: number
}

export interface Charge {
  provider: ProviderId
  /** `seq` of the request that caused the charge (for ToAPIs: the poll that saw completion). */
  requestSeq: number
  taskId?: string
  images: number
  /** US dollars from the provider's documents; null where no document gives a price. */
  usd: number | null
  /** OpenAI bills tokens: the `usage.total_tokens` of the reply. */
  tokens?: number
  basis: string
}

export interface BilledSummary {
  charges: number
  images: number
  usd: number
  tokens: number
}

export type TaskStatus = 'queued' | 'submitted' | 'in_progress' | 'completed' | 'failed'

export interface TaskView {
  id: string
  prompt: string
  size: string
  resolution: string
  /** `seq` of the submission request. */
  submittedBy: number
  polls: number
  status: TaskStatus
  billed: boolean
}

/** Where an image is in a sync reply. */
export type ImageDelivery = 'b64_json' | 'data-uri' | 'file-url'

export interface ProviderSettings {
  tokenhub: {
    /** `data[].url` as a `data:` URI (the page's example) or a URL on this server (`/files/...`). */
    delivery: 'data-uri' | 'file-url'
  }
  tokensmart: {
    /** `b64_json` (the API page) or `data[].url` (the blog post) as a data URI or a file URL. */
    delivery: ImageDelivery
    /** The page says "fixed price per image, see Pricing" without a number. */
    unitPriceUsd: number | null
  }
  toapis: {
    /** The status the submit reply carries (one doc version says `submitted`). */
    submitStatus: 'queued' | 'submitted'
    /** What polls answer before the task completes, one entry per poll. */
    statusesBeforeCompletion: Array<'queued' | 'submitted' | 'in_progress'>
    /** Where a completed task puts its image URLs: `result.data[].url`, top-level `url`, or `images[].url`. */
    resultShape: 'result.data' | 'url' | 'images'
    /** The page says `invalid_request_error`, the API notes say `invalid_request`. */
    invalidRequestType: 'invalid_request_error' | 'invalid_request'
    /**
     * Whether a task that fails upstream (`generation_failed`) is billed. The page does not promise
     * a refund ("the final price is confirmed at submission"), so a client must assume it may be:
     * `'billed'` charges its images at the tier price when it fails; `'free'` (default) does not.
     */
    failedTaskBilling: 'free' | 'billed'
  }
  getimg: {
    /** Error body shape is undocumented: `{error: {message}}` or a top-level `{message}`. */
    errorShape: 'nested' | 'top-level'
  }
}

export type SettingsPatch = { [P in keyof ProviderSettings]?: Partial<ProviderSettings[P]> }

export interface ProviderServerOptions {
  /** Added before every reply (API and files). */
  latencyMs?: number
  settings?: SettingsPatch
}

export interface ProviderServer {
  /** `http://127.0.0.1:PORT/`, without a trailing slash. */
  readonly origin: string
  readonly port: number
  /** The provider's base URL on this server; a client appends `/images/generations` etc. */
  baseUrl(provider: ProviderId): string
  /** The first key this provider accepts. A key it does not know gets the provider's 401. */
  validKey(provider: ProviderId): string
  /** Makes another key this provider accepts, and returns it (its `keyIndex` is 1, 2, ...). */
  addKey(provider: ProviderId): string
  /** Requests open at this provider now, and the most at once. */
  inFlight(provider: ProviderId): InFlightView
  /**
   * Faults for requests no injected fault fits: called for each such request that passed auth and
   * validation; the fault it returns applies to that request only (null: none). Null turns it off.
   */
  setFaultSource(source: FaultSource | null): void
  /** Every fault the provider can produce on this route (statuses without Retry-After). */
  possibleFaults(provider: ProviderId, route: RouteName): Fault[]
  /** Every request received, in order (live; do not mutate). */
  readonly requests: readonly LoggedRequest[]
  /** `requests` narrowed to one provider and optionally one route. */
  requestsTo(provider: ProviderId, route?: RouteName): LoggedRequest[]
  /** Accepted generation/edit requests (or ToAPIs submissions) carrying this exact prompt. */
  submissionsFor(provider: ProviderId, prompt: string): number
  /** Queue a fault for the next matching request(s). Throws when the provider cannot produce it. */
  inject(provider: ProviderId, fault: Fault, options?: InjectOptions): void
  /** Faults queued and not yet consumed. */
  pendingFaults(provider?: ProviderId): Array<{ provider: ProviderId; fault: Fault; remaining: number }>
  /** What each provider billed, per charge (snapshot). */
  readonly charges: Readonly<Record<ProviderId, readonly Charge[]>>
  billed(provider: ProviderId): BilledSummary
  /** ToAPIs tasks, in submission order (snapshot). */
  readonly tasks: readonly TaskView[]
  /** Current settings (snapshot) and a way to change them between requests. */
  readonly settings: ProviderSettings
  configure(patch: SettingsPatch): void
  /** Exceptions inside the server itself (each also answered with a 500); empty in a healthy run. */
  readonly internalErrors: readonly string[]
  /**
   * Holds every streamed reply before its final event until the returned function is called, so
   * a test can look at the partial images while the image is still "being drawn". Releasing also
   * lets later streams through; `reset` and `close` release too.
   */
  holdStreams(): () => void
  /** Forget requests, charges, tasks, files and queued faults; keep keys and settings. */
  reset(): void
  close(): Promise<void>
}
