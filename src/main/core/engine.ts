import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError, neutralFix, TERMINAL_STATUSES, type Dialect, type JobView, type KeyCheckResult, type Router } from '../../shared/api'
import { systemClock, type Clock } from './clock'
import { EventHub } from './events/event-hub'
import { GalleryService } from './gallery/gallery-service'
import { createFolderTrash, type Trash } from './gallery/trash'
import { batchRowMetadata, ExportService, type EncodeStep, type ImageMetadataSource } from './export/export-service'
import { GenerationService } from './generation/generation-service'
import { sweepTempFiles } from './files/atomic-write'
import { checkStorage, storageProblemOf } from './files/storage-check'
import { DEFAULT_SWEEP_MIN_AGE_MS, MediaStore } from './media/media-store'
import { PartialPreviews } from './media/partial-previews'
import { createReferenceAccess, type LocalReferencePaths } from './media/reference-access'
import { createDemoAdapter, demoProfile } from './providers/demo'
import type { DialectAdapter } from './providers/dialect'
import { ProviderError } from './providers/provider-error'
import { createGetimgAdapter } from './providers/getimg'
import { createOpenAiSyncAdapter } from './providers/openai-sync'
import { createAsyncTaskAdapter, type AsyncTaskOptions } from './providers/async-task'
import { builtinProfiles } from './providers/builtin-profiles'
import { ProviderCatalog } from './providers/catalog'
import { ProviderRegistry } from './providers/registry'
import { checkKey } from './providers/key-check'
import { defaultRetryPolicy, type RetryPolicy } from './queue/retry-policy'
import { acquireRunnerLock, describeLockHolder, peekRunnerLock, type LockHolder, type RunnerLock } from './queue/runner-lock'
import { JobQueue } from './queue/job-queue'
import type { Log } from './logs'
import { createHandlers } from './handlers'
import { WorkspaceMemoryStore } from './workspace/workspace-memory'
import { singleLibrary, type LibrarySwitch } from './library/library-handlers'
import { createRouter } from './router'
import { Calendar } from './spend/calendar'
import { chooseSecretStore, KeyVault, type ChosenSecretStore, type Encryptor } from './secrets'
import { keyEndpointProblem } from './secrets/key-endpoint'
import { Store } from './store/store'
import { TemplateLibrary } from './templates/template-library'
import type { JobRecord } from './store/records'

export type { Encryptor } from './secrets'
export type { Trash } from './gallery/trash'

export interface EngineOptions {
  /** The library folder: database, images, thumbnails. Created if missing. */
  home: string
  /** Electron passes safeStorage here; plain Node passes nothing. */
  encryptor?: Encryptor | null
  /** Replaces the keychain probe (tests; a CLI that must not touch the keychain). */
  secrets?: () => Promise<ChosenSecretStore>
  clock?: Clock
  fetch?: typeof fetch
  /** Try to become this library's queue runner at once (the app and browser mode: yes). */
  runQueue?: boolean
  /** Delay of the offline demo provider, in ms. */
  demoDelayMs?: number
  env?: Record<string, string | undefined>
  retry?: RetryPolicy
  pollIntervalMs?: number
  /** IANA time zone whose calendar days spend and daily budgets use (default: the system's). */
  timeZone?: string
  /** Polling pace for async-task providers (tests shorten it; defaults follow ToAPIs' advice). */
  asyncTaskPolling?: AsyncTaskOptions
  /** Where deleted images go: Electron passes the OS trash; otherwise the library's trash folder. */
  trash?: Trash
  /** Where exports find {sku} and {name}; empty until batches record them. */
  imageMetadata?: ImageMetadataSource
  /** Replaces the export's conversion step (tests that cancel in the middle of a file). */
  exportEncode?: EncodeStep
  /** Export conversions at once (default: os.availableParallelism()). */
  exportConversionsAtOnce?: number
  /**
   * Which local files a request may name as reference images or masks. The interface doors
   * (Electron IPC, the browser bridge) keep the default, 'library-only': references stored by
   * refs.import, or https links. Only the CLI, the user's own shell, passes 'any'.
   */
  localReferencePaths?: LocalReferencePaths
  /**
   * Where the engine's warnings and errors go: each door passes its log file (logs/file-log.ts),
   * which also learns every key the engine resolves so none is ever written. Default: console.
   */
  log?: EngineLog
  /** Switching to another library: given by the library host; without one the engine serves only `home`. */
  library?: LibrarySwitch
}

/** A log, and optionally the redaction it applies: told each key before the key is used. */
export interface EngineLog extends Log {
  rememberSecret?(secret: string): void
}

export interface Engine {
  readonly home: string
  readonly router: Router
  /** Another live process that runs this library's queue, or null (none, or this one). */
  runnerElsewhere(): LockHolder | null
  /** Becomes the queue runner if no other live process is; true on success. */
  startQueue(): boolean
  /** Why `startQueue` was refused: who holds the queue and, where this machine cannot tell, how to clear it. */
  queueHolderNote(): string
  /** Resolves when each job is finished, failed, canceled, interrupted or held by a budget. */
  waitForJobs(ids: readonly string[], signal?: AbortSignal): Promise<JobView[]>
  /** Runs until nothing is queued or running (the CLI's `run`). Requires the runner role. */
  runUntilIdle(signal?: AbortSignal): Promise<void>
  /** Jobs this process is running now (a library switch would interrupt them). */
  runningJobs(): number
  /** `drain`: let calls in flight finish instead of aborting them (and recovering them later). */
  close(options?: { drain?: boolean }): Promise<void>
}

const DEFAULT_DEMO_DELAY_MS = 1200

/**
 * Builds the engine for one library folder: store, media, providers, keys and queue, behind the
 * router. Plain Node only; Electron, the browser bridge and the CLI are adapters around this.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const home = options.home
  try {
    mkdirSync(home, { recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      // The user named a file (or a path through one): a wrong input, not a disk that is down.
      throw new ApiError('bad_input', `The library folder ${home} is a file, or inside one, not a folder.`, {
        field: 'home',
        remedy: { code: 'library', problem: 'not_a_folder' },
      })
    }
    throw new ApiError('unavailable', `Cannot create the library folder ${home}: ${(err as Error).message}`, {
      field: 'home',
      remedy: { code: 'library', problem: 'cannot_create' },
    })
  }
  const clock = options.clock ?? systemClock
  const calendar = new Calendar(options.timeZone)
  const env = options.env ?? process.env
  const store = Store.open(join(home, 'library.sqlite'))
  const media = new MediaStore({ home })
  const log: EngineLog = options.log ?? console
  const hub = new EventHub((...args) => log.error(...args))

  const providers = new ProviderRegistry()
  const demoDelay = options.demoDelayMs ?? (Number(env.PROOFSHEET_DEMO_DELAY_MS) || DEFAULT_DEMO_DELAY_MS)
  providers.register(demoProfile, createDemoAdapter({ delayMs: demoDelay }))
  // One adapter per dialect; profiles (built-in and the user's own) pick theirs by dialect.
  const adapters = {
    'openai-sync': createOpenAiSyncAdapter(),
    'async-task': createAsyncTaskAdapter(options.asyncTaskPolling),
    'getimg-v2': createGetimgAdapter(),
  } satisfies Record<Exclude<Dialect, 'demo'>, DialectAdapter>
  const catalog = new ProviderCatalog({
    registry: providers,
    profiles: store.profiles,
    builtins: builtinProfiles,
    adapters,
    hasPendingJobs: (id) => store.jobs.hasPending(id),
    now: () => clock.now(),
    warn: (m) => log.warn(m),
  })
  catalog.reload()

  // The keychain is probed on first use only: listing the gallery must not wait on D-Bus.
  let vault: Promise<KeyVault> | null = null
  const getVault = (): Promise<KeyVault> =>
    (vault ??= (
      options.secrets ??
      (() => chooseSecretStore({ encryptor: options.encryptor ?? null, sealedFile: join(home, 'secrets.sealed.json') }))
    )().then(({ store: secretStore, status }) => new KeyVault({ metadata: store.keys, store: secretStore, status })))

  const retry = options.retry ?? defaultRetryPolicy
  const references = createReferenceAccess(home, options.localReferencePaths ?? 'library-only')
  const generation = new GenerationService({
    references,
    store,
    providers,
    clock,
    maxAttempts: retry.maxAttempts,
    keys: {
      get: (id) => store.keys.get(id),
      forProvider: (provider) => store.keys.list().filter((k) => k.provider === provider),
    },
  })

  const resolveSecret = async (job: JobRecord, baseUrl: string): Promise<string | null> => {
    if (job.keyEnv) {
      const value = env[job.keyEnv]
      if (!value) {
        throw new ApiError('bad_input', `The environment variable ${job.keyEnv} is not set in this process.`, {
          field: 'key',
          remedy: { code: 'set_key_env', env: job.keyEnv },
        })
      }
      log.rememberSecret?.(value)
      return value
    }
    if (job.keyId) {
      const vault = await getVault()
      refuseKeyElsewhere(vault.recordOf(job.keyId), job, baseUrl)
      const secret = await vault.resolveSecret(job.keyId)
      log.rememberSecret?.(secret)
      return secret
    }
    return null
  }

  const fetchImpl = options.fetch ?? globalThis.fetch
  const testKey = async (id: string): Promise<KeyCheckResult> => {
    const vault = await getVault()
    // The key's row alone says which provider to ask: no need to read every secret, as list() does.
    const provider = vault.providerOf(id)
    if (!provider) throw new ApiError('not_found', `There is no key with id "${id}".`, { field: 'id', fix: 'List the keys and pick one of them.' })
    const { profile } = providers.get(provider)
    // A check sends the key too: only to the host it was stored for.
    const problem = keyEndpointProblem(vault.recordOf(id)!, profile.baseUrl)
    if (problem) return { outcome: 'unreachable', message: `${problem.message} ${neutralFix(problem.remedy)}` }
    const secret = await vault.resolveSecret(id)
    log.rememberSecret?.(secret)
    return checkKey(profile, secret, { fetch: fetchImpl, clock })
  }

  const partials = new PartialPreviews({ emit: hub.emit, warn: (m) => log.warn(m) })
  const queue = new JobQueue({
    store,
    media,
    partials,
    providers,
    clock,
    retry,
    fetch: fetchImpl,
    emit: hub.emit,
    toView: (job) => generation.view(job),
    pollIntervalMs: options.pollIntervalMs,
    calendar,
    storage: { check: (bytes) => checkStorage(home, bytes), problemOf: (err) => storageProblemOf(err, home) },
    resolveSecret: async (job, baseUrl) => {
      try {
        return await resolveSecret(job, baseUrl)
      } catch (err) {
        if (err instanceof ProviderError) throw err
        throw new ProviderError('auth', (err as Error).message, { code: 'key_unavailable' })
      }
    },
  })

  const templates = new TemplateLibrary({ store, now: () => clock.now() })
  templates.seedBuiltins()

  const gallery = new GalleryService({ store, media, trash: options.trash ?? createFolderTrash(home), emit: hub.emit })
  const exports = new ExportService({
    home,
    store,
    clock,
    calendar,
    emit: hub.emit,
    metadata: options.imageMetadata ?? batchRowMetadata,
    ...(options.exportEncode ? { encode: options.exportEncode } : {}),
    ...(options.exportConversionsAtOnce !== undefined ? { conversionsAtOnce: options.exportConversionsAtOnce } : {}),
  })

  const router = createRouter(
    createHandlers({
      providers: { store, providers, catalog },
      keys: { providers, getVault, testKey },
      refs: {
        home,
        imageFile: (id) => {
          const image = store.images.get(id)
          return image ? { path: media.absolutePath(image.file), name: `Image ${id}.${image.format === 'jpeg' ? 'jpg' : image.format}` } : null
        },
      },
      jobs: { store, generation, queue, partials, emit: hub.emit, clock, calendar },
      queue: { store, queue },
      batches: { store, providers, generation, queue, clock, calendar, emit: hub.emit, references },
      gallery,
      templates,
      spend: { store, clock, calendar },
      budgets: { store, clock, calendar, budgetsChanged: () => queue.poke() },
      exports,
      workspace: new WorkspaceMemoryStore(store),
      prompts: { store },
      library: {
        home,
        figures: { imageTotals: () => store.images.totals() },
        runningJobs: () => queue.activeCount,
        library: options.library ?? singleLibrary,
      },
    }),
    (listener) => hub.subscribe(listener),
    (message, err) => log.error(message, err),
  )

  let lock: RunnerLock | null = null
  let refusedBy: LockHolder | null = null
  let started: Promise<void> = Promise.resolve()

  const startQueue = (): boolean => {
    if (lock) return true
    const result = acquireRunnerLock(home, clock.now())
    if (!result.ok) {
      refusedBy = result.holder
      return false
    }
    lock = result.lock
    // A pause an earlier runner recorded for a full or read-only disk is rechecked, not inherited:
    // this runner checks the disk again before it sends anything. Cleared now, not when the queue
    // starts after the sweep, so a caller waiting for the queue does not see the old pause.
    queue.forgetStoragePause()
    // Only the runner may sweep: another process could be between writing a file and its row.
    // The sweep finishes before the queue writes anything of its own.
    const known = store.images.allFiles()
    started = media
      // No age margin needed: only the lock holder writes images, and that is now us.
      .sweepOrphans((rel) => known.has(rel), { minAgeMs: 0 })
      // Other processes write into refs/ and the library folder itself too: only old leftovers go.
      .then(() => Promise.all([home, join(home, 'refs')].map((dir) => sweepTempFiles(dir, { minAgeMs: DEFAULT_SWEEP_MIN_AGE_MS }))))
      .catch((err: unknown) => log.error('orphan sweep failed:', err))
      .then(() => queue.start())
      // Recovery reads every interrupted job: on a damaged database it fails, and the queue stays
      // stopped; each call then names the damage (router), instead of an unhandled rejection.
      .catch((err: unknown) => {
        const problem = storageProblemOf(err, home)
        if (!problem) throw err
        log.error(`The queue did not start: ${problem.message}`)
      })
    return true
  }

  if (options.runQueue) startQueue()

  const engine: Engine = {
    home,
    router,
    runnerElsewhere: () => (lock ? null : peekRunnerLock(home)),
    startQueue,
    runningJobs: () => queue.activeCount,
    queueHolderNote: () => {
      const holder = refusedBy ?? peekRunnerLock(home)
      return holder ? describeLockHolder(home, holder) : 'Another Proofsheet process runs this library\'s queue.'
    },
    async waitForJobs(ids, signal) {
      for (;;) {
        const jobs = ids.map((id) => store.jobs.get(id)).filter((j): j is JobRecord => j !== undefined)
        // A held job waits for a person (a budget), not for the queue: waiting longer would hang.
        const settled = (j: JobRecord): boolean =>
          TERMINAL_STATUSES.includes(j.status) || j.status === 'interrupted' || (j.status === 'queued' && j.holdReason !== null)
        // A queue that paused itself (full or read-only disk) takes no more work until resumed.
        const stuck = queue.pauseReason() !== null && queue.activeCount === 0
        if (stuck || jobs.every(settled)) {
          return jobs.map((j) => generation.view(j))
        }
        await clock.sleep(150, signal)
      }
    },
    async runUntilIdle(signal) {
      if (!lock) throw new ApiError('conflict', 'This process does not run the queue.')
      await queue.whenIdle(signal)
    },
    async close(closeOptions = {}) {
      await started
      await exports.shutdown()
      await queue.shutdown(closeOptions)
      lock?.release()
      lock = null
      store.close()
    },
  }
  return engine
}

/**
 * The run-time half of the key binding (secrets/key-endpoint.ts), for jobs queued before it
 * existed or before their profile moved: the key is not read, let alone sent. Not retried: the
 * job fails with the reason and the fix.
 */
function refuseKeyElsewhere(record: { label: string; provider: string; host: string | null } | null, job: JobRecord, baseUrl: string): void {
  if (!record) return // resolveSecret says the key is gone
  const problem = keyEndpointProblem(record, baseUrl, { perJob: job.baseUrl !== null })
  if (problem) throw new ProviderError('auth', `${problem.message} ${neutralFix(problem.remedy)}`, { code: 'key_other_host' })
}
