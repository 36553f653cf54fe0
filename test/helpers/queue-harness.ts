/**
 * A JobQueue over real parts (SQLite file, MediaStore, GenerationService) in a temp library,
 * with only time and the provider faked. Everything is closed when the test finishes.
 */
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { GenerationRequest, type EventMessage, type GenerationRequestInput, type JobView } from '../../src/shared/api'
import { GenerationService } from '../../src/main/core/generation/generation-service'
import { MediaStore } from '../../src/main/core/media/media-store'
import { createReferenceAccess } from '../../src/main/core/media/reference-access'
import type { ProviderProfile } from '../../src/main/core/providers/profile'
import { ProviderRegistry } from '../../src/main/core/providers/registry'
import type { RetryPolicy } from '../../src/main/core/queue/retry-policy'
import { JobQueue } from '../../src/main/core/queue/job-queue'
import type { ImageSink } from '../../src/main/core/queue/job-runner'
import type { StorageProbe } from '../../src/main/core/queue/storage-guard'
import { Calendar } from '../../src/main/core/spend/calendar'
import { Store } from '../../src/main/core/store/store'
import { FakeClock } from './fake-clock'
import { ScriptedDialect, testProfile } from './scripted-dialect'
import { tempDir } from './temp-dir'

export const SCRIPTED_SECRET = 'sk-test-0123456789abcdef'

export interface QueueHarnessOptions {
  home?: string
  profile?: Partial<ProviderProfile>
  resumable?: boolean
  retry?: RetryPolicy
  clock?: FakeClock
  /** The time zone of daily budgets (default: the system's). */
  timeZone?: string
  /** The library folder's health as the queue sees it (default: failed writes mapped, no checks). */
  storage?: StorageProbe
  /** Wraps the real media store (e.g. to hold writes back); default: the store itself. */
  wrapMedia?: (media: MediaStore) => ImageSink
  /** Images stored at once (the queue's default otherwise). */
  storeSlots?: number
}

export type QueueHarness = ReturnType<typeof queueHarness>

export function queueHarness(opts: QueueHarnessOptions = {}) {
  const home = opts.home ?? tempDir('proofsheet-queue-')
  const store = Store.open(join(home, 'library.sqlite'))
  const media = new MediaStore({ home })
  const clock = opts.clock ?? new FakeClock()
  const profile = testProfile(opts.profile)
  const dialect = new ScriptedDialect({ resumable: opts.resumable ?? false })
  const providers = new ProviderRegistry()
  providers.register(profile, dialect.adapter)
  const retry = opts.retry ?? { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }
  const generation = new GenerationService({
    store,
    providers,
    clock,
    maxAttempts: retry.maxAttempts,
    keys: { get: () => undefined, forProvider: () => [] },
    // The scripted tests name their own files, as the command line may.
    references: createReferenceAccess(home, 'any'),
  })
  const events: EventMessage[] = []
  const queue = new JobQueue({
    store,
    media: opts.wrapMedia ? opts.wrapMedia(media) : media,
    storeSlots: opts.storeSlots,
    providers,
    clock,
    retry,
    // The full upper half of the jitter range, so backoff is deterministic.
    random: () => 1,
    fetch: () => Promise.reject(new Error('tests never reach the network')),
    emit: (m) => events.push(m),
    toView: (job) => generation.view(job),
    calendar: opts.timeZone ? new Calendar(opts.timeZone) : undefined,
    storage: opts.storage,
    resolveSecret: async (job) => (job.keyEnv === 'SCRIPTED_KEY' ? SCRIPTED_SECRET : null),
  })
  onTestFinished(async () => {
    await queue.shutdown()
    store.close()
  })

  /** Queues a request the way the app does (parsed, validated, priced) and wakes the queue. */
  const submit = (req: Partial<GenerationRequestInput> = {}): JobView[] => {
    // Real time passes between two submissions; jobs created in the same millisecond would run
    // in id order, which would make "the first job" a coin toss.
    clock.advance(1)
    const parsed = GenerationRequest.parse({
      provider: profile.id,
      prompt: 'white sneaker on a white background',
      sizes: [{ width: 64, height: 64 }],
      key: { keyEnv: 'SCRIPTED_KEY' },
      ...req,
    })
    const { jobs } = generation.generate(parsed)
    queue.poke()
    return jobs
  }

  const job = (id: string) => {
    const found = store.jobs.get(id)
    if (!found) throw new Error(`no job ${id}`)
    return found
  }

  return { home, store, media, clock, profile, dialect, providers, generation, queue, events, submit, job }
}
