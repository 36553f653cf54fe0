/**
 * The shape of one provider on the fake server. A provider is mostly data (base path, auth
 * headers, field tables, error tables); its routes split into `prepare` (validate, refuse with the
 * provider's documented error) and `run` (make the images, bill, shape the reply), so the server
 * can put faults between the two.
 */
import type { AuthHeader } from '../auth'
import type { ErrorFaultKey, QueuedFault, TaskFault } from '../fault-queue'
import type { FieldValues } from '../field-rules'
import type { FileHost } from '../file-host'
import type { Reply, RequestBody } from '../http-io'
import type { PayloadFault } from '../images'
import type { Ledger } from '../ledger'
import type { AuthSeen, ProviderId, ProviderSettings, RouteName } from '../types'
import type { TaskStore } from './task-store'

/** A provider error before it is wrapped in the provider's envelope. */
export interface ErrorSpec {
  status: number
  message: string
  code?: string | null
  type?: string | null
  param?: string | null
  headers?: Record<string, string>
}

export interface ServerState {
  readonly origin: string
  readonly settings: ProviderSettings
  readonly files: FileHost
  readonly ledger: Ledger
  readonly tasks: TaskStore
  now(): Date
  validKey(provider: ProviderId): string
}

export interface RouteInput {
  /** Already known to be JSON or multipart, as the route accepts. */
  body: Extract<RequestBody, { kind: 'json' } | { kind: 'multipart' } | { kind: 'none' }>
  params: Readonly<Record<string, string>>
  state: ServerState
  seq: number
}

export interface RunInput {
  state: ServerState
  seq: number
  /** A payload or task fault this request consumed; error and transport faults never get here. */
  fault: QueuedFault | null
}

export interface RunResult {
  reply: Reply
  /** Called when the reply never reached the client (reset, or the client hung up first). */
  onLost?: () => Promise<void>
}

export type Prepared = { ok: false; error: ErrorSpec } | { ok: true; run(input: RunInput): Promise<RunResult> }

export type BodyType = 'application/json' | 'multipart/form-data'

export interface RouteSpec {
  name: Exclude<RouteName, 'file'>
  method: 'GET' | 'POST'
  /** Below the provider's base path, e.g. `/images/generations/:id`. */
  path: string
  /** Request bodies the route reads; empty for GET. */
  accepts: readonly BodyType[]
  prepare(input: RouteInput): Promise<Prepared>
}

export interface ProviderModule {
  id: ProviderId
  /** Mirrors the path of the real base URL, under `/{id}`. */
  basePath: string
  keyPrefix: string
  authHeaders: readonly AuthHeader[]
  routes: readonly RouteSpec[]
  errorBody(spec: ErrorSpec, settings: ProviderSettings): unknown
  unauthorized(seen: AuthSeen): ErrorSpec
  notFound(method: string, path: string): ErrorSpec
  /** A body the route cannot read: wrong content type, malformed JSON or form, not an object. */
  unreadable(reason: string): ErrorSpec
  /** What error faults look like here; a missing key means this provider has no such error. */
  faultErrors: Readonly<Partial<Record<ErrorFaultKey, ErrorSpec>>>
  /** Payload and task faults this provider can produce. */
  payloadFaults: readonly (PayloadFault | TaskFault)[]
}

export const refuse = (error: ErrorSpec): Prepared => ({ ok: false, error })

/** The route every provider has: a JSON POST to `/images/generations`, read as a field object. */
export function generationsRoute(prepare: (values: FieldValues) => Promise<Prepared>): RouteSpec {
  return {
    name: 'generations',
    method: 'POST',
    path: '/images/generations',
    accepts: ['application/json'],
    prepare: ({ body }) => prepare((body.kind === 'json' ? body.value : {}) as FieldValues),
  }
}

/** The payload fault (if any) a run should apply to its images. */
export function payloadFaultOf(fault: QueuedFault | null): PayloadFault | null {
  return fault?.cls.kind === 'payload' ? fault.cls.which : null
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}
