/**
 * Queued faults. A fault waits for the next request that (a) goes to its provider, (b) hits a route
 * the fault makes sense on, and (c) passes authentication and validation, i.e. a request that would
 * otherwise have succeeded. So `inject` then one good call always meets the fault, and a refused
 * request never uses one up.
 */
import type { PayloadFault } from './images'
import type { Fault, FaultTarget, InjectOptions, ProviderId, RouteName } from './types'

/** Faults answered with the provider's own error body, keyed for the providers' error tables. */
export type ErrorFaultKey =
  | '402'
  | '403'
  | '404'
  | '429'
  | '500'
  | '502'
  | '503'
  | 'content-policy'
  | 'insufficient-quota'
  | 'no-image-generated'

export type TaskFault = 'task-failed' | 'task-stuck'

export type FaultClass =
  | { kind: 'error'; key: ErrorFaultKey; retryAfterSeconds?: number }
  | { kind: 'transport'; which: 'reset' | 'slow' | 'html' }
  | { kind: 'payload'; which: PayloadFault }
  | { kind: 'task'; which: TaskFault }

export interface QueuedFault {
  provider: ProviderId
  fault: Fault
  cls: FaultClass
  remaining: number
  routes: ReadonlySet<RouteName>
  delayMs: number
  polls: number
  /** Replaces the error body's message (status faults only). */
  message: string | null
}

const API_ROUTES: readonly RouteName[] = ['generations', 'edits', 'poll', 'models']
const IMAGE_ROUTES: readonly RouteName[] = ['generations', 'edits']

export const DEFAULT_SLOW_MS = 2000
export const DEFAULT_STUCK_POLLS = 3

export function classify(fault: Fault): FaultClass {
  if (typeof fault === 'object') {
    const key = String(fault.status) as ErrorFaultKey
    return fault.status === 429 && fault.retryAfterSeconds !== undefined
      ? { kind: 'error', key, retryAfterSeconds: fault.retryAfterSeconds }
      : { kind: 'error', key }
  }
  switch (fault) {
    case 'reset':
    case 'slow':
    case 'html':
      return { kind: 'transport', which: fault }
    case 'truncated-base64':
    case 'invalid-base64':
    case 'not-an-image':
    case 'empty-data':
    case 'stream-cut':
      return { kind: 'payload', which: fault }
    case 'task-failed':
    case 'task-stuck':
      return { kind: 'task', which: fault }
    case 'content-policy':
    case 'insufficient-quota':
    case 'no-image-generated':
      return { kind: 'error', key: fault }
  }
}

/** Routes a fault can meaningfully hit before `on` narrows them. */
function naturalRoutes(cls: FaultClass): readonly RouteName[] {
  switch (cls.kind) {
    case 'transport':
      return [...API_ROUTES, 'file']
    case 'payload':
    case 'task':
      return IMAGE_ROUTES
    case 'error':
      // A bare status can also come from the file host (an expired link, a CDN hiccup); a
      // "model not found" cannot come from a poll, and refusals only answer image requests.
      if (cls.key === '404') return [...IMAGE_ROUTES, 'file']
      if (/^\d+$/.test(cls.key)) return [...API_ROUTES, 'file']
      return cls.key === 'insufficient-quota' ? API_ROUTES : IMAGE_ROUTES
  }
}

/** Whether a fault can meaningfully hit this route (transport faults: file downloads too). */
export function fitsRoute(fault: Fault, route: RouteName): boolean {
  return naturalRoutes(classify(fault)).includes(route)
}

function queuedFault(provider: ProviderId, fault: Fault, times: number, routes: readonly RouteName[], options: InjectOptions): QueuedFault {
  return {
    provider,
    fault,
    cls: classify(fault),
    remaining: times,
    routes: new Set(routes),
    delayMs: options.delayMs ?? DEFAULT_SLOW_MS,
    polls: options.polls ?? DEFAULT_STUCK_POLLS,
    message: options.message ?? null,
  }
}

/** A fault for one request only (from a fault source): it fits that request's route or throws. */
export function oneOffFault(provider: ProviderId, route: RouteName, fault: Fault, options: InjectOptions = {}): QueuedFault {
  if (!fitsRoute(fault, route)) {
    throw new Error(`fault source: ${describeFault(fault)} cannot happen on ${route} requests (it fits: ${naturalRoutes(classify(fault)).join(', ')})`)
  }
  return queuedFault(provider, fault, 1, [route], options)
}

export function describeFault(fault: Fault): string {
  return typeof fault === 'object' ? `{status: ${fault.status}}` : `'${fault}'`
}

export class FaultQueue {
  private queue: QueuedFault[] = []

  add(provider: ProviderId, fault: Fault, options: InjectOptions = {}): void {
    const cls = classify(fault)
    const times = options.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error(`inject: times must be a positive integer (got ${times})`)
    const natural = naturalRoutes(cls)
    const on: FaultTarget | undefined = options.on
    // Transport faults reach a file download only when asked to; everything else never does.
    const wanted = on === undefined || on === 'api' ? API_ROUTES : [on]
    const routes = natural.filter((route) => wanted.includes(route))
    if (routes.length === 0) {
      throw new Error(`inject: ${describeFault(fault)} cannot happen on ${on ?? 'api'} requests (it fits: ${natural.join(', ')})`)
    }
    this.queue.push(queuedFault(provider, fault, times, routes, options))
  }

  /** Consumes one use of the first queued fault that fits this request. */
  take(provider: ProviderId, route: RouteName): QueuedFault | null {
    const index = this.queue.findIndex((q) => q.provider === provider && q.routes.has(route))
    const entry = this.queue[index]
    if (!entry) return null
    entry.remaining -= 1
    if (entry.remaining === 0) this.queue.splice(index, 1)
    return entry
  }

  pending(provider?: ProviderId): Array<{ provider: ProviderId; fault: Fault; remaining: number }> {
    return this.queue
      .filter((q) => provider === undefined || q.provider === provider)
      .map((q) => ({ provider: q.provider, fault: q.fault, remaining: q.remaining }))
  }

  clear(): void {
    this.queue = []
  }
}
