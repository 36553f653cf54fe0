/**
 * ToAPIs (`https://toapis.com/v1`): asynchronous. A submit answers a task id; each poll of
 * `/images/generations/{id}` moves the task one step (queued → in_progress → completed), and a
 * completed task carries image URLs (served by this server) in one of three documented shapes.
 * A task is billed once, when it completes (and, with `failedTaskBilling: 'billed'`, when it fails
 * upstream: the page promises no refund). Size is an aspect ratio plus a resolution tier, with
 * the page's validity matrix; reference images must be http(s) URLs.
 */
import { randomBytes } from 'node:crypto'
import { checkFields, describeProblem, isPlainObject, type FieldTable, type FieldValues } from '../field-rules'
import { isHttpUrl, produceImages } from '../images'
import { billImages } from '../pricing'
import { parseAspect, pixelsForAspect, TIER_LONG_SIDE } from '../sizes'
import type { ProviderSettings } from '../types'
import { generationsRoute, refuse, unixSeconds, type ErrorSpec, type Prepared, type ProviderModule, type RunInput, type ServerState } from './provider'
import type { Task } from './task-store'

/** Valid aspect ratios per resolution tier, from the page's parameter table. */
export const TOAPIS_MATRIX: Readonly<Record<string, readonly string[]>> = {
  '1K': ['1:1', '3:2', '2:3'],
  '2K': ['1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'],
  '4K': ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'],
}

/** The ToAPIs listed per-image rates ("final billing follows account pricing"). */
export const TOAPIS_PRICES: Readonly<Record<string, number>> = { '1K': 0.015, '2K': 0.02, '4K': 0.025 }

const URL_LIFETIME_SECONDS = 24 * 60 * 60
/** Stands for whichever invalid-request type the settings choose (the documents disagree). */
const INVALID = 'invalid_request_error'

const FIELDS: FieldTable = {
  model: { required: true, rule: { type: 'string', enum: ['gpt-image-2'] } },
  prompt: { required: true, rule: { type: 'string', nonEmpty: true } },
  size: { rule: { type: 'string' } },
  resolution: { rule: { type: 'string', enum: Object.keys(TOAPIS_MATRIX) } },
  reference_images: { rule: { type: 'any' } },
  image_urls: { rule: { type: 'any' } },
  response_format: { rule: { type: 'string', enum: ['url', 'b64_json'] } },
  n: { rule: { type: 'integer', min: 1, max: 10 } },
  metadata: { rule: { type: 'object' } },
}

/** The envelope's `code` is the HTTP status itself, so only the status and type are kept. */
function error(status: number, type: string, message: string): ErrorSpec {
  return { status, type, message }
}

const invalid = (message: string) => error(400, INVALID, message)

function checkReferences(values: FieldValues): ErrorSpec | null {
  for (const field of ['reference_images', 'image_urls']) {
    const value = values[field]
    if (value === undefined) continue
    if (!Array.isArray(value)) return error(400, 'invalid_reference_images', `${field} must be an array of image URLs.`)
    const bad = value.find((item) => typeof item !== 'string' || !isHttpUrl(item))
    if (bad !== undefined) {
      return error(400, 'invalid_reference_images', `${field} must hold http(s) URLs; upload local files first (base64 and paths are not accepted).`)
    }
  }
  return null
}

function progressOf(task: Task): number {
  if (task.status === 'completed') return 100
  if (task.status !== 'in_progress') return task.status === 'failed' ? Math.min(95, task.polls * 10) : 0
  return Math.min(95, Math.round((100 * task.polls) / (task.plan.length + 1)))
}

function taskBody(task: Task, settings: ProviderSettings['toapis']): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: task.id,
    object: 'generation.task',
    model: task.model,
    status: task.status,
    progress: progressOf(task),
    created_at: task.createdAt,
    metadata: task.metadata,
  }
  if (task.status === 'failed') {
    const refund = settings.failedTaskBilling === 'free' ? ' No charge was made for this task.' : ''
    body.error = { code: 'generation_failed', message: `Image generation failed.${refund}` }
  }
  if (task.status === 'completed' && task.urls && task.completedAt !== null) {
    const expiresAt = task.completedAt + URL_LIFETIME_SECONDS
    if (settings.resultShape === 'result.data') {
      body.result = { type: 'image', data: task.urls.map((url) => ({ url })), completed_at: task.completedAt, expires_at: expiresAt }
    } else if (settings.resultShape === 'url') {
      body.url = task.urls[0] ?? null
    } else {
      body.images = task.urls.map((url) => ({ url }))
    }
  }
  return body
}

/** Renders, hosts and bills a task's images: once, whoever gets there first (a poll or a lost submit). */
async function complete(task: Task, state: ServerState, seq: number): Promise<void> {
  if (task.status === 'completed' || task.urls) return
  const images = await produceImages(task.job, task.payloadFault)
  task.urls = images.map((image) => state.files.put('toapis', image.bytes, image.format, image.mime))
  task.completedAt = unixSeconds(state.now())
  task.status = 'completed'
  billImages(state.ledger, {
    provider: 'toapis',
    seq,
    images: images.length,
    unitUsd: TOAPIS_PRICES[task.resolution] ?? null,
    basis: `${task.resolution} per image, on completion`,
    taskId: task.id,
  })
  task.billed = images.length > 0
}

/** A task that failed upstream: billed only where the settings say ToAPIs keeps the money. */
function fail(task: Task, state: ServerState, seq: number): void {
  if (task.status === 'failed') return
  task.status = 'failed'
  if (state.settings.toapis.failedTaskBilling !== 'billed' || task.billed) return
  billImages(state.ledger, {
    provider: 'toapis',
    seq,
    images: task.job.count,
    unitUsd: TOAPIS_PRICES[task.resolution] ?? null,
    basis: `${task.resolution} per image, a task that failed upstream (no refund)`,
    taskId: task.id,
  })
  task.billed = true
}

async function advance(task: Task, state: ServerState, seq: number): Promise<void> {
  if (task.status === 'completed' || task.status === 'failed') return
  task.polls += 1
  const step = task.plan[task.polls - 1]
  if (step) task.status = step
  else if (task.outcome === 'failed') fail(task, state, seq)
  else await complete(task, state, seq)
}

export const toapis: ProviderModule = {
  id: 'toapis',
  basePath: '/toapis/v1',
  keyPrefix: 'sk-toapis-test-',
  authHeaders: ['bearer'],
  errorBody: (spec, settings) => ({
    error: {
      code: spec.status,
      message: spec.message,
      type: spec.type === INVALID ? settings.toapis.invalidRequestType : (spec.type ?? null),
    },
  }),
  unauthorized: () => error(401, 'authentication_error', 'Missing Authorization header or invalid API key.'),
  notFound: (method, path) => error(404, 'not_found_error', `No route for ${method} ${path}.`),
  unreadable: (reason) => invalid(reason),
  faultErrors: {
    '402': error(402, 'insufficient_quota', 'Insufficient credits. Please top up your account.'),
    '403': error(403, 'permission_error', 'This API key cannot use gpt-image-2.'),
    '404': error(404, 'not_found_error', 'Model gpt-image-2 not found.'),
    '429': error(429, 'rate_limit_exceeded', 'Rate limit exceeded. Back off and retry.'),
    '500': error(500, 'internal_error', 'Internal error.'),
    '502': error(502, 'upstream_error', 'Upstream error.'),
    '503': error(503, 'service_unavailable', 'Service temporarily unavailable.'),
    'content-policy': error(422, 'content_policy_violation', 'The prompt violates the content policy.'),
  },
  payloadFaults: ['truncated-base64', 'not-an-image', 'empty-data', 'task-failed', 'task-stuck'],
  routes: [
    generationsRoute(async (values) => {
      const problem = checkFields(values, FIELDS)
      if (problem) return refuse(invalid(describeProblem(problem)))
      const metadata = isPlainObject(values.metadata) ? values.metadata : {}
      const nested = metadata.resolution
      if (nested !== undefined && (typeof nested !== 'string' || !Object.hasOwn(TOAPIS_MATRIX, nested))) {
        return refuse(invalid(`metadata.resolution must be one of ${Object.keys(TOAPIS_MATRIX).join(', ')}.`))
      }
      const resolution = (values.resolution as string | undefined) ?? (nested as string | undefined) ?? '1K'
      const size = (values.size as string | undefined) ?? '1:1'
      const allowed = TOAPIS_MATRIX[resolution] ?? []
      const aspect = parseAspect(size)
      if (!aspect || !allowed.includes(size)) {
        return refuse(invalid(`size '${size}' is not supported at resolution ${resolution}; supported: ${allowed.join(', ')}.`))
      }
      const references = checkReferences(values)
      if (references) return refuse(references)
      const longSide = TIER_LONG_SIDE[resolution]
      if (longSide === undefined) throw new Error(`no pixel size for tier ${resolution}`)
      const n = (values.n as number | undefined) ?? 1
      return {
        ok: true,
        async run({ state, seq, fault }: RunInput) {
          const settings = state.settings.toapis
          const stuck = fault?.cls.kind === 'task' && fault.cls.which === 'task-stuck' ? fault.polls : 0
          const task: Task = {
            id: `task_${randomBytes(12).toString('hex')}`,
            model: values.model as string,
            prompt: values.prompt as string,
            size,
            resolution,
            metadata,
            createdAt: unixSeconds(state.now()),
            submittedBy: seq,
            polls: 0,
            plan: [...settings.statusesBeforeCompletion, ...Array.from({ length: stuck }, () => 'in_progress' as const)],
            outcome: fault?.cls.kind === 'task' && fault.cls.which === 'task-failed' ? 'failed' : 'completed',
            status: settings.submitStatus,
            job: { ...pixelsForAspect(aspect, longSide), format: 'png', alpha: false, count: n },
            payloadFault: fault?.cls.kind === 'payload' ? fault.cls.which : null,
            urls: null,
            completedAt: null,
            billed: false,
          }
          state.tasks.add(task)
          return {
            reply: { kind: 'json', status: 200, body: taskBody(task, settings) },
            // The client never saw the id, but the provider still runs (and bills) the task.
            onLost: async () => {
              if (task.outcome === 'completed') await complete(task, state, seq)
              else fail(task, state, seq)
            },
          }
        },
      }
    }),
    {
      name: 'poll',
      method: 'GET',
      path: '/images/generations/:id',
      accepts: [],
      async prepare({ params, state }): Promise<Prepared> {
        const task = state.tasks.get(params.id ?? '')
        if (!task) return refuse(error(404, 'not_found_error', `Task '${params.id ?? ''}' not found.`))
        return {
          ok: true,
          async run({ seq }) {
            await advance(task, state, seq)
            return { reply: { kind: 'json', status: 200, body: taskBody(task, state.settings.toapis) } }
          },
        }
      },
    },
  ],
}
