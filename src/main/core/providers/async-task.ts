/**
 * The async-task dialect (ToAPIs): a submit returns a task id, the image appears later at a status
 * URL. The id goes to the queue (`onTaskId`) before the first poll, so a restart or a retry resumes
 * polling instead of paying for a second submission: never `generate` again for a known task id.
 */
import type { OutputFormat } from '../../../shared/api'
import { probeImage } from '../media/image-probe'
import type { CallResult, DialectAdapter, DialectCall, GeneratedImage } from './dialect'
import { ProviderError } from './provider-error'
import { aspectSize, publicReferenceUrls } from './call-shape'
import { errorFromReply, readErrorBody } from './http/error-mapping'
import { imageFromItem } from './http/image-payload'
import { readJson, send } from './http/provider-http'

export interface AsyncTaskOptions {
  /** Wait before the first status check after submitting. ToAPIs advises 2 s. */
  firstPollMs?: number
  /** Wait between later status checks. ToAPIs advises 3 s. */
  pollEveryMs?: number
  /** Give up polling (for this attempt) after this long. ToAPIs advises 120 s; 4K can take longer. */
  maxPollMs?: number
}

export const ASYNC_TASK_DEFAULTS: Readonly<Required<AsyncTaskOptions>> = { firstPollMs: 2_000, pollEveryMs: 3_000, maxPollMs: 600_000 }

/** Status checks that fail in a row (network, 5xx, 429) before the attempt gives up; the task id stays with the queue. */
const MAX_POLL_FAILURES_IN_A_ROW = 5

type Reply = Record<string, unknown>

export function createAsyncTaskAdapter(options: AsyncTaskOptions = {}): DialectAdapter {
  const timing: Required<AsyncTaskOptions> = {
    firstPollMs: options.firstPollMs ?? ASYNC_TASK_DEFAULTS.firstPollMs,
    pollEveryMs: options.pollEveryMs ?? ASYNC_TASK_DEFAULTS.pollEveryMs,
    maxPollMs: options.maxPollMs ?? ASYNC_TASK_DEFAULTS.maxPollMs,
  }
  return {
    async generate(call) {
      const body = submitBody(call)
      const res = await send(call, { method: 'POST', path: 'images/generations', json: body })
      const reply = asReply(call, await readJson(call, res))
      const taskId = taskIdOf(reply)
      // Persisted by the queue before anything else can go wrong: from here on, this call is paid for.
      if (taskId) call.onTaskId(taskId)
      const status = statusOf(reply)
      if (status === 'completed') return collect(call, reply, taskId ?? '(none)')
      if (status === 'failed') throw taskFailed(call, reply, taskId ?? '(none)')
      if (!taskId) {
        throw new ProviderError('provider_down', `${call.profile.name} accepted the request but sent no task id to follow.`, { code: 'no_task_id' })
      }
      return poll(call, taskId, timing.firstPollMs, timing)
    },

    /** After a restart or a retry: the task was submitted already, so look at once and keep polling. */
    async resume(call, taskId) {
      return poll(call, taskId, 0, timing)
    },
  }
}

/** The documented request, checked before anything is sent. */
function submitBody(call: DialectCall): Reply {
  const size = aspectSize(call)
  const refs = publicReferenceUrls(call)
  const body: Reply = {
    model: call.profile.modelId,
    prompt: call.params.prompt,
    size: size.aspect,
    // The field table documents a top-level `resolution`; the page's example request puts it under
    // metadata. Both are sent so either reading of the API gets the tier the price was shown for.
    resolution: size.resolution,
    n: call.count,
    response_format: 'url',
    metadata: { resolution: size.resolution },
  }
  if (refs.length > 0) body.reference_images = refs
  return body
}

async function poll(call: DialectCall, taskId: string, firstWaitMs: number, timing: Required<AsyncTaskOptions>): Promise<CallResult> {
  const started = call.clock.now()
  let wait = firstWaitMs
  let failuresInARow = 0
  for (;;) {
    if (wait > 0) await call.clock.sleep(wait, call.signal)
    // Another job's 429 may hold the provider: a poll is a request like any other.
    await call.backoff.wait()
    call.signal.throwIfAborted()
    let reply: Reply | null = null
    let retryAfterMs: number | null = null
    try {
      reply = await fetchTask(call, taskId)
      failuresInARow = 0
    } catch (err) {
      if (call.signal.aborted) throw call.signal.reason
      // A blip while looking at a task that is still running is no reason to drop it.
      if (!(err instanceof ProviderError) || !isTransient(err) || ++failuresInARow >= MAX_POLL_FAILURES_IN_A_ROW) throw err
      retryAfterMs = err.retryAfterMs
      if (retryAfterMs !== null) call.backoff.hold(retryAfterMs)
    }
    if (reply) {
      const status = statusOf(reply)
      if (status === 'completed') return collect(call, reply, taskId)
      if (status === 'failed') throw taskFailed(call, reply, taskId)
      // queued, submitted, in_progress, or anything new: keep waiting.
    }
    const remaining = timing.maxPollMs - (call.clock.now() - started)
    if (remaining <= 0) {
      throw new ProviderError(
        'provider_down',
        `${call.profile.name} has not finished task ${taskId} after ${Math.round(timing.maxPollMs / 1000)} s. ` +
          'It may still finish and be billed, so Proofsheet keeps the task and looks again instead of submitting a new one.',
        { code: 'poll_timeout' },
      )
    }
    wait = Math.min(Math.max(timing.pollEveryMs, retryAfterMs ?? 0), remaining)
  }
}

async function fetchTask(call: DialectCall, taskId: string): Promise<Reply> {
  let status = 0
  // The status code, seen on the way past: a 404 here means the task, not the request, is wrong.
  const watched: DialectCall = {
    ...call,
    fetch: async (input, init) => {
      const res = await call.fetch(input, init)
      status = res.status
      return res
    },
  }
  try {
    const res = await send(watched, { method: 'GET', path: `images/generations/${encodeURIComponent(taskId)}` })
    return asReply(call, await readJson(call, res))
  } catch (err) {
    if (err instanceof ProviderError && (status === 404 || status === 410)) {
      throw new ProviderError(
        'provider_down',
        `${call.profile.name} no longer knows task ${taskId} (HTTP ${status}): it expired or was removed, and its image cannot be fetched.`,
        { code: 'task_not_found', taskEnded: true },
      )
    }
    throw err
  }
}

/** Trouble reaching the status URL, not news about the task: worth another look. */
function isTransient(err: ProviderError): boolean {
  return (err.kind === 'retryable' || err.kind === 'provider_down') && err.code !== 'task_not_found'
}

/** A finished task: download every image at once, since the links expire (24 h). */
async function collect(call: DialectCall, reply: Reply, taskId: string): Promise<CallResult> {
  const items = imageItems(reply).slice(0, call.count)
  if (items.length === 0) {
    throw new ProviderError('provider_down', `${call.profile.name} says task ${taskId} is completed but sent no image link.`, { code: 'no_image_data' })
  }
  const images = await Promise.all(
    items.map(async (item): Promise<GeneratedImage> => {
      const bytes = await imageFromItem(call, item)
      return { bytes, revisedPrompt: revisedPromptOf(item), expectedFormat: formatOfBytes(bytes) }
    }),
  )
  // ToAPIs bills per image by account pricing and reports no amount: the table price applies.
  return { images, chargedCost: null }
}

/** `result.data[].url` (current docs), a top-level `url` (older docs), or `images: [{url}]` (an integration note). */
function imageItems(reply: Reply): unknown[] {
  const result = reply.result
  if (result && typeof result === 'object') {
    const data = (result as Reply).data
    if (Array.isArray(data) && data.length > 0) return data
  }
  if (typeof reply.url === 'string' && reply.url.length > 0) return [{ url: reply.url }]
  if (Array.isArray(reply.images) && reply.images.length > 0) return reply.images
  return []
}

/**
 * A task that failed upstream. `generation_failed` is not the user's fault, so it is a provider
 * failure (code `task_failed`: the task is over, a retry must submit again); the queue resubmits it
 * once per job at most and says what it did, since the failed task may be billed. A reason the error
 * map knows to be final (content policy, quota, a bad request) keeps its own kind and is not retried.
 */
function taskFailed(call: DialectCall, reply: Reply, taskId: string): ProviderError {
  const body = { error: reply.error ?? {} }
  const mapped = errorFromReply({ status: 502, headers: new Headers(), body, providerName: call.profile.name, now: call.clock.now() })
  // Final reasons keep their kind, but the task is over all the same: a Retry submits anew.
  if (mapped.kind !== 'provider_down' && mapped.kind !== 'retryable') return new ProviderError(mapped.kind, mapped.message, { code: mapped.code, taskEnded: true })
  const { code, message } = readErrorBody(body)
  const reason = message ? (/[.!?]$/.test(message) ? message : `${message}.`) : 'no reason given.'
  return new ProviderError(
    'provider_down',
    `${call.profile.name} failed the task upstream (task ${taskId}, ${code ?? 'failed'}): ${reason}`,
    { code: 'task_failed', taskEnded: true },
  )
}

function taskIdOf(reply: Reply): string | null {
  const id = reply.id ?? reply.task_id
  return typeof id === 'string' && id.trim() ? id.trim() : typeof id === 'number' ? String(id) : null
}

function statusOf(reply: Reply): string {
  return typeof reply.status === 'string' ? reply.status.trim().toLowerCase() : ''
}

function revisedPromptOf(item: unknown): string | null {
  const value = item && typeof item === 'object' ? (item as Reply).revised_prompt : undefined
  return typeof value === 'string' && value ? value : null
}

/**
 * ToAPIs documents no output-format field, so the format is whatever its bytes are; recording that
 * keeps a paid-for image from being refused for not being the format the user picked.
 */
function formatOfBytes(bytes: Uint8Array): OutputFormat | undefined {
  try {
    return probeImage(bytes).format
  } catch {
    return undefined // the media store refuses it with the precise reason
  }
}

function asReply(call: DialectCall, value: unknown): Reply {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Reply
  throw new ProviderError('provider_down', `${call.profile.name} sent a reply that is not a JSON object.`, { code: 'bad_reply' })
}

/** Aspect-mode providers take `{aspect, resolution}`; validation refuses pixels before this point. */
