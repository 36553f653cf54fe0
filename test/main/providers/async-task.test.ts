/**
 * The async-task dialect against a small local server that answers as ToAPIs documents: submit,
 * hand the task id to the queue before polling, poll on the advised schedule, download at once,
 * and fail in ways the queue can act on. Time is faked; HTTP is real, over 127.0.0.1.
 */
import sharp from 'sharp'
import { beforeAll, describe, expect, it, vi, type Mock } from 'vitest'
import type { Clock } from '../../../src/main/core/clock'
import type { DialectCall } from '../../../src/main/core/providers/dialect'
import { ProviderError } from '../../../src/main/core/providers/provider-error'
import { createAsyncTaskAdapter } from '../../../src/main/core/providers/async-task'
import { dialectCall } from '../../helpers/dialect-call'
import { providerFailure } from '../../helpers/provider-failure'
import { serve, type Answer, type RecordingServer as TestServer } from '../../helpers/recording-server'

// --- a ToAPIs-shaped server ------------------------------------------------------------------

async function toapisServer(script: { submit?: Answer; polls?: (Answer | (() => Promise<Answer>))[] }): Promise<TestServer> {
  let polled = 0
  return serve((req) => {
    if (req.method === 'POST' && req.path === '/v1/images/generations') return script.submit ?? queued('task_1')
    if (req.method === 'GET' && req.path.startsWith('/v1/images/generations/')) {
      const polls = script.polls ?? []
      const next = polls[Math.min(polled++, polls.length - 1)]
      if (!next) return { json: inProgress('task_1') }
      return typeof next === 'function' ? next() : next
    }
    return { status: 404, json: { error: { code: 404, message: 'no such route', type: 'not_found_error' } } }
  })
}

function queued(id: string): Answer {
  return { json: { id, object: 'generation.task', model: 'gpt-image-2', status: 'queued', progress: 0, created_at: 1767000000, metadata: {} } }
}
function inProgress(id: string, status = 'in_progress'): Answer {
  return { json: { id, object: 'generation.task', status, progress: 40 } }
}
function failed(id: string, code: string, message: string): Answer {
  return { json: { id, object: 'generation.task', status: 'failed', error: { code, message } } }
}

/** The three completed shapes the documents show. */
const COMPLETED_SHAPES = {
  'result.data[].url': (id: string, url: string) => ({
    id,
    object: 'generation.task',
    status: 'completed',
    progress: 100,
    result: { type: 'image', data: [{ url }] },
    completed_at: 1767000030,
    expires_at: 1767086430,
  }),
  'top-level url': (id: string, url: string) => ({ id, status: 'completed', url }),
  'images: [{url}]': (id: string, url: string) => ({ id, status: 'completed', images: [{ url }] }),
}

// --- time and calls ----------------------------------------------------------------------------

/**
 * Sleeps finish on the next turn of the event loop and move `now` forward by what was asked, so
 * polling runs instantly while `delays` records the schedule. From sleep number `hangFrom` on, a
 * sleep waits for its signal instead (to test cancel).
 */
class StepClock implements Clock {
  t = 1_767_000_000_000
  readonly delays: number[] = []
  hangFrom = Infinity
  onHang: () => void = () => {}

  now(): number {
    return this.t
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      this.delays.push(ms)
      if (this.delays.length >= this.hangFrom) {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
        return this.onHang()
      }
      const timer = setImmediate(() => {
        signal?.removeEventListener('abort', onAbort)
        this.t += ms
        resolve()
      })
      const onAbort = (): void => {
        clearImmediate(timer)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

function makeCall(base: string, over: { params?: Partial<DialectCall['params']>; size?: DialectCall['size']; count?: number } = {}) {
  const controller = new AbortController()
  const clock = new StepClock()
  const onTaskId = vi.fn<(taskId: string) => void>()
  const call = dialectCall('toapis', `${base}/v1`, {
    secret: 'sk-toapis-secret',
    signal: controller.signal,
    clock,
    onTaskId,
    ...(over.size ? { size: over.size } : {}),
    ...(over.count ? { count: over.count } : {}),
    ...(over.params ? { params: over.params } : {}),
  }) as DialectCall & { onTaskId: Mock<(taskId: string) => void> }
  return { call, clock, controller }
}

let png: Buffer
beforeAll(async () => {
  png = await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer()
})

/** A second host for the images, so the test can see what reached it. */
async function imageHost(): Promise<TestServer> {
  return serve((req) => (req.path.startsWith('/files/') ? { bytes: png, headers: { 'content-type': 'image/png' } } : { status: 404, json: {} }))
}


const failure = providerFailure

// --- tests -------------------------------------------------------------------------------------

describe('ToAPIs async-task adapter', () => {
  it.each(Object.keys(COMPLETED_SHAPES) as (keyof typeof COMPLETED_SHAPES)[])(
    'submits, polls on the advised schedule and downloads the image (completed shape: %s)',
    async (shape) => {
      const images = await imageHost()
      const link = `${images.url}/files/out.png?sig=abc`
      const api = await toapisServer({
        polls: [inProgress('task_1', 'queued'), inProgress('task_1', 'submitted'), inProgress('task_1'), inProgress('task_1', 'upscaling'), { json: COMPLETED_SHAPES[shape]('task_1', link) }],
      })
      const { call, clock } = makeCall(api.url)

      const result = await createAsyncTaskAdapter().generate(call)

      expect(result.chargedCost).toBeNull()
      expect(result.images).toHaveLength(1)
      expect(Buffer.from(result.images[0]!.bytes).equals(png)).toBe(true)
      expect(result.images[0]!.expectedFormat).toBe('png')
      expect(call.onTaskId).toHaveBeenCalledExactlyOnceWith('task_1')
      // First look after 2 s, then every 3 s, through queued, submitted, in_progress and an unknown status.
      expect(clock.delays).toEqual([2000, 3000, 3000, 3000, 3000])

      const [submit, ...polls] = api.seen
      expect(submit).toMatchObject({ method: 'POST', path: '/v1/images/generations' })
      expect(submit!.headers.authorization).toBe('Bearer sk-toapis-secret')
      expect(submit!.body).toEqual({
        model: 'gpt-image-2',
        prompt: 'a white-background packshot of a teapot',
        size: '1:1',
        resolution: '1K',
        n: 1,
        response_format: 'url',
        metadata: { resolution: '1K' },
      })
      expect(polls).toHaveLength(5)
      for (const poll of polls) {
        expect(poll).toMatchObject({ method: 'GET', path: '/v1/images/generations/task_1' })
        expect(poll.headers.authorization).toBe('Bearer sk-toapis-secret')
      }
      // The signed link is fetched without the key.
      expect(images.seen).toHaveLength(1)
      expect(images.seen[0]!.path).toBe('/files/out.png?sig=abc')
      expect(images.seen[0]!.headers.authorization).toBeUndefined()
    },
  )

  it('hands the task id to the queue before the first poll', async () => {
    const images = await imageHost()
    const api = await toapisServer({ polls: [{ json: COMPLETED_SHAPES['top-level url']('task_1', `${images.url}/files/a.png`) }] })
    const { call, clock } = makeCall(api.url)
    const atTaskId: { requests: string[]; sleeps: number }[] = []
    call.onTaskId.mockImplementation(() => atTaskId.push({ requests: api.seen.map((s) => s.method), sleeps: clock.delays.length }))

    await createAsyncTaskAdapter().generate(call)

    expect(atTaskId).toEqual([{ requests: ['POST'], sleeps: 0 }])
    expect(api.seen.map((s) => s.method)).toEqual(['POST', 'GET'])
  })

  it('resumes a task after a restart by polling it, without submitting again', async () => {
    const images = await imageHost()
    const api = await toapisServer({ polls: [inProgress('task_9'), { json: COMPLETED_SHAPES['result.data[].url']('task_9', `${images.url}/files/r.png`) }] })
    const { call, clock } = makeCall(api.url)

    const result = await createAsyncTaskAdapter().resume!(call, 'task_9')

    expect(Buffer.from(result.images[0]!.bytes).equals(png)).toBe(true)
    expect(api.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v1/images/generations/task_9', 'GET /v1/images/generations/task_9'])
    // The task has been running for a while: look at once, then on the usual beat.
    expect(clock.delays).toEqual([3000])
    expect(call.onTaskId).not.toHaveBeenCalled()
  })

  it('turns a failed task into a provider failure the queue may retry, naming the reason and the task', async () => {
    const api = await toapisServer({ polls: [inProgress('task_1'), failed('task_1', 'generation_failed', 'Upstream model error')] })
    const { call } = makeCall(api.url)

    const err = await failure(createAsyncTaskAdapter().generate(call))

    expect(err.kind).toBe('provider_down')
    expect(err.code).toBe('task_failed')
    expect(err.message).toContain('Upstream model error')
    expect(err.message).toContain('task_1')
    expect(api.seen.filter((s) => s.method === 'POST')).toHaveLength(1)
  })

  it.each([
    ['content_policy_violation', 'content_policy'],
    ['insufficient_quota', 'billing'],
    ['rate_limit_exceeded', 'provider_down'],
  ])('gives a failed task with reason %s the kind %s', async (code, kind) => {
    const api = await toapisServer({ polls: [failed('task_1', code, 'Refused upstream')] })
    const { call } = makeCall(api.url)
    const err = await failure(createAsyncTaskAdapter().generate(call))
    expect(err.kind).toBe(kind)
    expect(err.message).toContain('Refused upstream')
    // Whatever the reason, that task is over: a retry must not poll it again.
    expect(err.taskEnded).toBe(true)
  })

  it('gives up on a task stuck in progress at the configured limit, keeping the task for a later look', async () => {
    const api = await toapisServer({ polls: [inProgress('task_1')] })
    const { call, clock } = makeCall(api.url)

    const err = await failure(createAsyncTaskAdapter({ maxPollMs: 30_000 }).generate(call))

    expect(err.kind).toBe('provider_down')
    expect(err.code).toBe('poll_timeout')
    expect(err.message).toContain('task_1')
    expect(call.onTaskId).toHaveBeenCalledExactlyOnceWith('task_1')
    // 2 s, then 3 s steps, and a last look exactly at the limit.
    expect(clock.delays).toEqual([2000, ...Array<number>(9).fill(3000), 1000])
    expect(clock.delays.reduce((a, b) => a + b, 0)).toBe(30_000)
    expect(api.seen.filter((s) => s.method === 'GET')).toHaveLength(11)
    expect(api.seen.filter((s) => s.method === 'POST')).toHaveLength(1)
  })

  it('waits up to 600 s by default, since 4K can be slow', async () => {
    const api = await toapisServer({ polls: [inProgress('task_1')] })
    const { call, clock } = makeCall(api.url, { size: { aspect: '16:9', resolution: '4K' } })
    const err = await failure(createAsyncTaskAdapter().generate(call))
    expect(err.code).toBe('poll_timeout')
    expect(clock.delays.reduce((a, b) => a + b, 0)).toBe(600_000)
    expect(clock.delays.slice(0, 3)).toEqual([2000, 3000, 3000])
  })

  it('waits out the provider back-off before every poll, and reports a Retry-After met while polling', async () => {
    const images = await imageHost()
    const limited = { status: 429, headers: { 'retry-after': '6' }, json: { error: { code: 429, message: 'Too many requests', type: 'rate_limit_exceeded' } } }
    const api = await toapisServer({ polls: [limited, { json: COMPLETED_SHAPES['top-level url']('task_1', `${images.url}/files/a.png`) }] })
    const { call } = makeCall(api.url)
    const order: string[] = []
    const polls = () => api.seen.filter((s) => s.method === 'GET').length
    call.backoff = {
      wait: async () => {
        order.push(`wait before poll ${polls() + 1}`)
      },
      hold: (ms) => order.push(`hold ${ms} after poll ${polls()}`),
    }
    await createAsyncTaskAdapter().generate(call)
    // Other jobs' polls hold too: the 429 went to the shared back-off, not just this loop's wait.
    expect(order).toEqual(['wait before poll 1', 'hold 6000 after poll 1', 'wait before poll 2'])
  })

  it('rides out a passing error while polling, and stops after several in a row', async () => {
    const images = await imageHost()
    const down = { status: 503, json: { error: { code: 503, message: 'busy', type: 'internal_error' } } }
    const recovers = await toapisServer({ polls: [down, down, { json: COMPLETED_SHAPES['top-level url']('task_1', `${images.url}/files/a.png`) }] })
    const first = makeCall(recovers.url)
    await expect(createAsyncTaskAdapter().generate(first.call)).resolves.toMatchObject({ chargedCost: null })

    const staysDown = await toapisServer({ polls: [down] })
    const second = makeCall(staysDown.url)
    const err = await failure(createAsyncTaskAdapter().generate(second.call))
    expect(err.kind).toBe('provider_down')
    expect(staysDown.seen.filter((s) => s.method === 'GET')).toHaveLength(5)
  })

  it('reports a task the provider no longer knows (404 on poll) as gone, not as bad input', async () => {
    const api = await toapisServer({ polls: [{ status: 404, json: { error: { code: 404, message: 'task not found', type: 'not_found_error' } } }] })
    const { call } = makeCall(api.url)
    const err = await failure(createAsyncTaskAdapter().resume!(call, 'task_old'))
    expect(err.kind).toBe('provider_down')
    expect(err.code).toBe('task_not_found')
    expect(err.message).toContain('task_old')
    // Looking again cannot bring it back.
    expect(api.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v1/images/generations/task_old'])
  })

  it('maps a 401 on submit to auth, without a task id or any poll', async () => {
    const api = await toapisServer({ submit: { status: 401, json: { error: { code: 401, message: 'Invalid API key', type: 'authentication_error' } } } })
    const { call } = makeCall(api.url)
    const err = await failure(createAsyncTaskAdapter().generate(call))
    expect(err.kind).toBe('auth')
    expect(err.message).toContain('Invalid API key')
    expect(call.onTaskId).not.toHaveBeenCalled()
    expect(api.seen).toHaveLength(1)
  })

  it('maps a 429 on submit to retryable with the Retry-After delay', async () => {
    const api = await toapisServer({
      submit: { status: 429, headers: { 'retry-after': '7' }, json: { error: { code: 429, message: 'Too many requests', type: 'rate_limit_exceeded' } } },
    })
    const { call } = makeCall(api.url)
    const err = await failure(createAsyncTaskAdapter().generate(call))
    expect(err.kind).toBe('retryable')
    expect(err.code).toBe('rate_limit_exceeded')
    expect(err.retryAfterMs).toBe(7000)
    expect(call.onTaskId).not.toHaveBeenCalled()
  })

  it('stops at once when canceled while waiting between polls', async () => {
    const api = await toapisServer({ polls: [inProgress('task_1')] })
    const { call, clock, controller } = makeCall(api.url)
    const reason = new ProviderError('internal', 'canceled', { code: 'canceled' })
    clock.hangFrom = 2
    clock.onHang = () => controller.abort(reason)

    await expect(createAsyncTaskAdapter().generate(call)).rejects.toBe(reason)
    expect(api.seen.filter((s) => s.method === 'GET')).toHaveLength(1)
  })

  it('stops at once when canceled while a poll is in flight', async () => {
    let pollArrived!: () => void
    const arrived = new Promise<void>((resolve) => (pollArrived = resolve))
    const api = await toapisServer({
      polls: [
        () => {
          pollArrived()
          return new Promise<Answer>(() => {}) // never answers
        },
      ],
    })
    const { call, controller } = makeCall(api.url)
    const reason = new ProviderError('internal', 'canceled', { code: 'canceled' })
    const started = Date.now()

    const outcome = createAsyncTaskAdapter().generate(call)
    await arrived
    controller.abort(reason)

    await expect(outcome).rejects.toBe(reason)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('sends reference images as URLs in reference_images, with the size and tier asked for', async () => {
    const images = await imageHost()
    const api = await toapisServer({ submit: { json: COMPLETED_SHAPES['images: [{url}]']('task_1', `${images.url}/files/a.png`) } })
    const refs = ['https://cdn.example.com/shoe-front.png', 'https://cdn.example.com/shoe-side.jpg']
    const { call } = makeCall(api.url, { params: { refs: refs.map((url) => ({ kind: 'link' as const, url })) }, size: { aspect: '16:9', resolution: '2K' } })

    await createAsyncTaskAdapter().generate(call)

    expect(api.seen[0]!.body).toMatchObject({ size: '16:9', resolution: '2K', metadata: { resolution: '2K' }, reference_images: refs })
    expect(api.seen[0]!.body).not.toHaveProperty('image_urls')
    // A reply that is already completed needs no poll.
    expect(api.seen.map((s) => s.method)).toEqual(['POST'])
  })

  it('refuses a local file reference and a pixel size before sending anything', async () => {
    const api = await toapisServer({})
    const local = makeCall(api.url, { params: { refs: [{ kind: 'file', path: '/home/me/shoe.png' }] } })
    const localErr = await failure(createAsyncTaskAdapter().generate(local.call))
    expect(localErr.kind).toBe('input')
    expect(localErr.message).toMatch(/needs reference images as public URLs/)

    const pixels = makeCall(api.url, { size: { width: 1024, height: 1024 } })
    const pixelErr = await failure(createAsyncTaskAdapter().generate(pixels.call))
    expect(pixelErr.kind).toBe('input')
    expect(pixelErr.message).toContain('aspect ratio')

    expect(api.seen).toHaveLength(0)
  })
})
