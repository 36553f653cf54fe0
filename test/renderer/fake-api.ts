import {
  ApiError,
  type ApiClient,
  type EventName,
  type Events,
  type ImageView,
  type Input,
  type JobView,
  type Output,
  type ProviderSummary,
  type RouteName,
  parseSizeText,
  sizeLabel,
  type SizeSpec,
} from '../../src/shared/api'

/** Provider sizes as the contract carries them (values), written the way the interface names them. */
export function sizesOf(...labels: string[]): SizeSpec[] {
  return labels.map((label) => {
    const size = parseSizeText(label)
    if (!size) throw new Error(`not a size: ${label}`)
    return size
  })
}

/** A stand-in for the engine behind the renderer: route handlers, a call log, and emit(). */

export type FakeHandlers = { [N in RouteName]?: (input: Input<N>) => Output<N> | Promise<Output<N>> }

export interface FakeApi extends ApiClient {
  calls: Array<{ name: RouteName; input: unknown }>
  emit<E extends EventName>(event: E, data: Events[E]): void
  callsTo(name: RouteName): unknown[]
}

export function createFakeApi(handlers: FakeHandlers): FakeApi {
  const listeners = new Map<string, Set<(data: never) => void>>()
  const calls: FakeApi['calls'] = []
  const defaults: FakeHandlers = {
    'providers.list': () => ({ providers: [demoProvider()] }),
    'keys.list': () => ({ keys: [], status: { backend: 'session', persistent: false, message: 'test' } }),
    'jobs.list': () => ({ jobs: [] }),
    'queue.state': () => queueState(),
    'gallery.list': () => ({ images: [], next: null }),
    'templates.list': () => ({ templates: [] }),
  }
  const all = { ...defaults, ...handlers } as Record<string, ((input: unknown) => unknown) | undefined>

  return {
    calls,
    async call<N extends RouteName>(name: N, input: Input<N>): Promise<Output<N>> {
      calls.push({ name, input })
      const handler = all[name]
      if (!handler) throw new ApiError('internal', `The fake engine has no ${name}.`)
      return (await handler(input)) as Output<N>
    },
    on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (data: never) => void)
      return () => set.delete(listener as (data: never) => void)
    },
    mediaUrl: (rel) => `/media/${rel}`,
    emit(event, data) {
      for (const listener of listeners.get(event) ?? []) listener(data as never)
    },
    callsTo(name) {
      return calls.filter((c) => c.name === name).map((c) => c.input)
    },
  }
}

export function demoProvider(overrides: Partial<ProviderSummary> = {}): ProviderSummary {
  return {
    id: 'demo',
    name: 'Demo',
    dialect: 'demo',
    baseUrl: 'local://demo',
    needsKey: false,
    origin: 'builtin',
    overridden: false,
    sizeMode: 'pixels',
    sizes: sizesOf('1024x1024', '1536x1024', '1024x1536'),
    formats: ['png', 'jpeg', 'webp'],
    maxImagesPerCall: 4,
    currency: 'USD',
    prices: [{ tier: 'image', price: 0.04 }],
    priceSource: 'Test price table, 2026-01',
    typicalLatencyMs: 20_000,
    auth: 'none',
    modelId: 'demo',
    customSizes: null,
    references: { accepts: ['file', 'url'], maxCount: 16, maxFileBytes: 50 * 1024 * 1024, mask: true },
    maxPromptLength: 32000,
    concurrency: 2,
    requestsPerMinute: null,
    timeoutSeconds: 180,
    freeKeyCheck: false,
    settings: null,
    ...overrides,
  }
}

export function queueState(paused = false): Output<'queue.state'> {
  return { paused, counts: { queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0, interrupted: 0 } }
}

export function job(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job_1',
    batchId: null,
    provider: 'demo',
    keyLabel: null,
    prompt: 'A ceramic mug on white',
    size: '1024x1024',
    format: 'png',
    n: 1,
    status: 'queued',
    attempts: 0,
    maxAttempts: 4,
    nextAttemptAt: null,
    error: null,
    estimatedCost: 0.04,
    chargedCost: null,
    currency: 'USD',
    createdAt: 1_700_000_000_000,
    startedAt: null,
    finishedAt: null,
    typicalLatencyMs: 20_000,
    imageIds: [],
    ...overrides,
  }
}

export function image(overrides: Partial<ImageView> = {}): ImageView {
  return {
    id: 'img_1',
    jobId: 'job_1',
    file: 'images/2026/01/img_1.png',
    thumb: 'thumbs/2026/01/img_1.webp',
    format: 'png',
    width: 1024,
    height: 1024,
    bytes: 1234,
    sha256: 'ab'.repeat(32),
    prompt: 'A ceramic mug on white',
    revisedPrompt: null,
    provider: 'demo',
    keyLabel: null,
    favorite: false,
    createdAt: 1_700_000_000_000,
    tags: [],
    groupId: overrides.jobId ?? 'job_1',
    jobCost: { estimated: 0, charged: 0, currency: 'USD' },
    ...overrides,
  }
}

/** An estimate at $0.04 an image, one line per size, as the engine shapes it. */
export function estimateFor(input: Input<'jobs.estimate'>) {
  const lines = input.sizes.map((size) => ({ size: sizeLabel(size), images: 1, unitPrice: 0.04, subtotal: 0.04 }))
  return { provider: input.provider, currency: 'USD', lines, total: 0.04 * lines.length, source: 'Test price table, 2026-01' }
}
