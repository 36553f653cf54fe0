/**
 * A provider under the test's control: each call to generate() (or resume()) takes the next
 * scripted step, or succeeds by default. Steps return real image bytes made with sharp at the
 * size the call asked for, so everything after the dialect (media store, rows) is the real thing.
 */
import sharp from 'sharp'
import type { OutputFormat } from '../../src/shared/api'
import type { CallResult, DialectAdapter, DialectCall } from '../../src/main/core/providers/dialect'
import type { ProviderProfile } from '../../src/main/core/providers/profile'

export type Step = (call: DialectCall) => Promise<CallResult>

/** A profile for the scripted provider: a priced, keyed, pixel-size provider. Override per test. */
export function testProfile(overrides: Partial<ProviderProfile> = {}): ProviderProfile {
  return {
    id: 'scripted',
    name: 'Scripted test provider',
    dialect: 'openai-sync',
    baseUrl: 'http://127.0.0.1:9/v1',
    auth: 'bearer',
    modelId: 'test-image-1',
    sizes: { kind: 'pixels', suggested: ['64x64', '96x64'], custom: { min: 16, max: 512, multipleOf: 16 } },
    formats: ['png', 'jpeg', 'webp'],
    refs: null,
    maxImagesPerCall: 4,
    maxImagesPerJob: 10,
    maxPromptLength: 4000,
    pricing: { currency: 'USD', tiers: [{ tier: 'image', price: 0.04 }], source: 'test price table, 2025-03' },
    typicalLatencyMs: 1000,
    concurrency: 2,
    safeToResubmit: false,
    ...overrides,
  }
}

const imageCache = new Map<string, Promise<Buffer>>()

/** A real, decodable image of the given size and format. */
export function imageBytes(width: number, height: number, format: OutputFormat = 'png'): Promise<Buffer> {
  const key = `${width}x${height}.${format}`
  let found = imageCache.get(key)
  if (!found) {
    const base = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 30 } } })
    found = (format === 'png' ? base.png() : format === 'jpeg' ? base.jpeg() : base.webp()).toBuffer()
    imageCache.set(key, found)
  }
  return found
}

async function imagesFor(call: DialectCall, count: number): Promise<CallResult['images']> {
  if (!('width' in call.size)) throw new Error('the scripted dialect renders pixel sizes only')
  const bytes = await imageBytes(call.size.width, call.size.height, call.params.format)
  return Array.from({ length: count }, (_, i) => ({
    bytes: new Uint8Array(bytes),
    revisedPrompt: `revised ${call.firstIndex + i}`,
  }))
}

/** Returns `call.count` images. `taskId` makes it behave like an async API that reports one. */
export function succeed(opts: { chargedCost?: number | null; taskId?: string; count?: number } = {}): Step {
  return async (call) => {
    call.signal.throwIfAborted()
    if (opts.taskId) call.onTaskId(opts.taskId)
    return { images: await imagesFor(call, opts.count ?? call.count), chargedCost: opts.chargedCost ?? null }
  }
}

export function fail(error: Error): Step {
  return async (call) => {
    call.signal.throwIfAborted()
    throw error
  }
}

/**
 * A call that stays at the "provider" until the test releases it. It rejects with the signal's
 * reason when aborted, unless `ignoreAbort` (a provider that answers anyway).
 */
export class Hold {
  readonly step: Step
  call: DialectCall | null = null
  sawAbort = false
  readonly #entered: Promise<DialectCall>
  #onEnter!: (call: DialectCall) => void
  #release!: (step: Step) => void

  constructor(opts: { ignoreAbort?: boolean } = {}) {
    this.#entered = new Promise((r) => (this.#onEnter = r))
    const released = new Promise<Step>((r) => (this.#release = r))
    this.step = async (call) => {
      this.call = call
      this.#onEnter(call)
      const aborted = new Promise<never>((_, reject) => {
        const onAbort = (): void => {
          this.sawAbort = true
          if (!opts.ignoreAbort) reject(call.signal.reason)
        }
        if (call.signal.aborted) onAbort()
        else call.signal.addEventListener('abort', onAbort, { once: true })
      })
      aborted.catch(() => undefined)
      const next = await Promise.race([released, aborted])
      return next(call)
    }
  }

  /** Resolves once the queue has made this call. */
  entered(): Promise<DialectCall> {
    return this.#entered
  }

  /** Lets the call finish with `step` (default: success). */
  release(step: Step = succeedIgnoringAbort()): void {
    this.#release(step)
  }
}

function succeedIgnoringAbort(): Step {
  return async (call) => ({ images: await imagesFor(call, call.count), chargedCost: null })
}

export class ScriptedDialect {
  readonly calls: DialectCall[] = []
  readonly resumes: { call: DialectCall; taskId: string }[] = []
  readonly adapter: DialectAdapter
  /** Calls at the provider right now, and the most there ever were at once. */
  active = 0
  maxActive = 0
  /** What each remote task produced: polling a finished task again returns it again. */
  readonly tasks = new Map<string, CallResult>()
  readonly #steps: Step[] = []
  readonly #resumeSteps: Step[] = []

  constructor(opts: { resumable?: boolean } = {}) {
    const generate = (call: DialectCall): Promise<CallResult> => {
      this.calls.push(call)
      return this.#run(call, this.#steps.shift() ?? succeed())
    }
    const resume = (call: DialectCall, taskId: string): Promise<CallResult> => {
      this.resumes.push({ call, taskId })
      const finished = this.tasks.get(taskId)
      const fallback: Step = finished ? async () => finished : succeed()
      return this.#run(call, this.#resumeSteps.shift() ?? fallback, taskId)
    }
    this.adapter = opts.resumable ? { generate, resume } : { generate }
  }

  /** Steps for the next generate() calls, in order. */
  script(...steps: Step[]): this {
    this.#steps.push(...steps)
    return this
  }

  /** Steps for the next resume() calls, in order. */
  scriptResume(...steps: Step[]): this {
    this.#resumeSteps.push(...steps)
    return this
  }

  async #run(call: DialectCall, step: Step, resumedTask?: string): Promise<CallResult> {
    this.active++
    this.maxActive = Math.max(this.maxActive, this.active)
    let taskId = resumedTask
    const seen: DialectCall = {
      ...call,
      onTaskId: (t) => {
        taskId = t
        call.onTaskId(t)
      },
    }
    try {
      const result = await step(seen)
      if (taskId !== undefined) this.tasks.set(taskId, result)
      return result
    } finally {
      this.active--
    }
  }
}
