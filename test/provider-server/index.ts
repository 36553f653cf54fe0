/**
 * A fake but faithful server for the six hosted image APIs Proofsheet speaks, for adapter and CLI
 * tests. It listens on 127.0.0.1 only, mounts each provider under a prefix that mirrors its real
 * base URL, refuses what each provider's document says it refuses, and lets a test inject faults.
 * It is test infrastructure: never point it at a real key, and never import it from src/.
 */
import { randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkAuth, redactHeaders } from './auth'
import { classify, describeFault, FaultQueue, fitsRoute, oneOffFault, type QueuedFault } from './fault-queue'
import { FileHost } from './file-host'
import { BodyTooLarge, mediaType, parseBody, PROXY_502_HTML, readRaw, send, sendEventStream, sendThenReset, type Reply, type RequestBody } from './http-io'
import { Ledger } from './ledger'
import { getimg } from './providers/getimg'
import { gettoken } from './providers/gettoken'
import { openai } from './providers/openai'
import type { ErrorSpec, ProviderModule, RouteSpec, RunResult, ServerState } from './providers/provider'
import { TaskStore } from './providers/task-store'
import { toapis } from './providers/toapis'
import { tokenhub } from './providers/tokenhub'
import { tokensmart } from './providers/tokensmart'
import {
  PROVIDER_IDS,
  type Charge,
  type Fault,
  type FaultSource,
  type InFlightView,
  type InjectOptions,
  type LoggedBody,
  type LoggedRequest,
  type ProviderId,
  type ProviderServer,
  type ProviderServerOptions,
  type ProviderSettings,
  type RouteName,
  type SettingsPatch,
  type TaskView,
} from './types'

export type * from './types'
export { PROVIDER_IDS } from './types'

export const PROVIDERS: Readonly<Record<ProviderId, ProviderModule>> = { openai, gettoken, tokenhub, tokensmart, toapis, getimg }

export const DEFAULT_SETTINGS: ProviderSettings = {
  tokenhub: { delivery: 'data-uri' },
  tokensmart: { delivery: 'b64_json', unitPriceUsd: null },
  toapis: {
    submitStatus: 'queued',
    statusesBeforeCompletion: ['in_progress'],
    resultShape: 'result.data',
    invalidRequestType: 'invalid_request_error',
    failedTaskBilling: 'free',
  },
  getimg: { errorShape: 'nested' },
}

export async function startProviderServer(options: ProviderServerOptions = {}): Promise<ProviderServer> {
  const http = createServer()
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(0, '127.0.0.1', () => {
      http.off('error', reject)
      resolve()
    })
  })
  return new FakeProviderServer(http, options)
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? ''
    if (part.startsWith(':')) {
      if (actual === '') return null
      try {
        params[part.slice(1)] = decodeURIComponent(actual)
      } catch {
        return null
      }
    } else if (part !== actual) {
      return null
    }
  }
  return params
}

function logBody(body: RequestBody): LoggedBody {
  switch (body.kind) {
    case 'multipart':
      return {
        kind: 'multipart',
        fields: Object.fromEntries(body.fields),
        files: body.files.map((f) => ({ field: f.field, filename: f.filename, type: f.type, size: f.bytes.length })),
      }
    case 'invalid-multipart':
      return { kind: 'other', contentType: 'multipart/form-data', size: -1 }
    default:
      return body
  }
}

function promptOf(body: LoggedBody): string | null {
  if (body.kind === 'json' && typeof body.value === 'object' && body.value !== null && 'prompt' in body.value) {
    const prompt = (body.value as { prompt: unknown }).prompt
    return typeof prompt === 'string' ? prompt : null
  }
  if (body.kind === 'multipart') return body.fields.prompt?.at(-1) ?? null
  return null
}

function mergeSettings(base: ProviderSettings, patch: SettingsPatch = {}): ProviderSettings {
  return {
    tokenhub: { ...base.tokenhub, ...patch.tokenhub },
    tokensmart: { ...base.tokensmart, ...patch.tokensmart },
    toapis: { ...base.toapis, ...patch.toapis },
    getimg: { ...base.getimg, ...patch.getimg },
  }
}

class FakeProviderServer implements ProviderServer {
  readonly origin: string
  readonly port: number
  readonly requests: LoggedRequest[] = []
  readonly internalErrors: string[] = []
  /** Keys each provider accepts; the first is `validKey`. */
  private readonly keys: Record<ProviderId, string[]>
  private readonly open = Object.fromEntries(PROVIDER_IDS.map((id) => [id, { now: 0, peak: 0 }])) as Record<ProviderId, InFlightView>
  private faultSource: FaultSource | null = null
  private readonly faults = new FaultQueue()
  private readonly ledger = new Ledger()
  private readonly taskStore = new TaskStore()
  private readonly files: FileHost
  private readonly latencyMs: number
  private readonly closing = new AbortController()
  private current: ProviderSettings
  private seq = 0
  private closed: Promise<void> | null = null
  private readonly state: ServerState
  /** Set while `holdStreams` holds final stream events back. */
  private streamHold: { released: Promise<void>; release: () => void } | null = null

  constructor(
    private readonly http: Server,
    options: ProviderServerOptions,
  ) {
    this.port = (http.address() as AddressInfo).port
    this.origin = `http://127.0.0.1:${this.port}`
    this.latencyMs = options.latencyMs ?? 0
    this.current = mergeSettings(structuredClone(DEFAULT_SETTINGS), options.settings)
    this.files = new FileHost(this.origin)
    this.keys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, [newKey(id)]])) as Record<ProviderId, string[]>
    const liveSettings = () => this.current
    this.state = {
      origin: this.origin,
      get settings() {
        return liveSettings()
      },
      files: this.files,
      ledger: this.ledger,
      tasks: this.taskStore,
      now: () => new Date(),
      validKey: (provider) => this.keys[provider][0]!,
    }
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err)
        this.internalErrors.push(message)
        send(res, { kind: 'json', status: 500, body: { error: { message: `provider-server internal error: ${message}` } } })
      })
    })
  }

  baseUrl(provider: ProviderId): string {
    return `${this.origin}${this.module(provider).basePath}`
  }

  validKey(provider: ProviderId): string {
    this.module(provider)
    return this.keys[provider][0]!
  }

  addKey(provider: ProviderId): string {
    this.module(provider)
    const key = newKey(provider)
    this.keys[provider].push(key)
    return key
  }

  inFlight(provider: ProviderId): InFlightView {
    this.module(provider)
    return { ...this.open[provider] }
  }

  setFaultSource(source: FaultSource | null): void {
    this.faultSource = source
  }

  possibleFaults(provider: ProviderId, route: RouteName): Fault[] {
    const module = this.module(provider)
    const errors = Object.keys(module.faultErrors).map((key): Fault => (/^\d+$/.test(key) ? ({ status: Number(key) } as Fault) : (key as Fault)))
    // A stream cut needs a streamed request, which a fault drawn at random cannot count on.
    const all: Fault[] = ['reset', 'slow', 'html', ...errors, ...module.payloadFaults.filter((f) => f !== 'stream-cut')]
    return all.filter((fault) => fitsRoute(fault, route) && this.producible(module, fault, route === 'file') === null)
  }

  holdStreams(): () => void {
    if (!this.streamHold) {
      let release = (): void => {}
      const released = new Promise<void>((resolve) => (release = resolve))
      this.streamHold = { released, release }
    }
    const hold = this.streamHold
    return () => {
      hold.release()
      if (this.streamHold === hold) this.streamHold = null
    }
  }

  requestsTo(provider: ProviderId, route?: RouteName): LoggedRequest[] {
    return this.requests.filter((r) => r.provider === provider && (route === undefined || r.route === route))
  }

  submissionsFor(provider: ProviderId, prompt: string): number {
    return this.requestsTo(provider).filter(
      (r) => r.accepted && (r.route === 'generations' || r.route === 'edits') && promptOf(r.body) === prompt,
    ).length
  }

  inject(provider: ProviderId, fault: Fault, options: InjectOptions = {}): void {
    const module = this.module(provider)
    const on = options.on
    if (on !== undefined && on !== 'api' && on !== 'file' && !module.routes.some((r) => r.name === on)) {
      throw new Error(`inject: ${provider} has no '${on}' route (it has: ${module.routes.map((r) => r.name).join(', ')})`)
    }
    const problem = this.producible(module, fault, on === 'file')
    if (problem) throw new Error(`inject: ${problem}`)
    this.faults.add(provider, fault, options)
  }

  /** Why this provider cannot produce the fault (null when it can). The file host can send any status. */
  private producible(module: ProviderModule, fault: Fault, onFile: boolean): string | null {
    const cls = classify(fault)
    if (cls.kind === 'error' && !onFile && !module.faultErrors[cls.key]) {
      return `${module.id} documents no ${describeFault(fault)}; it can produce: ${this.supported(module).join(', ')}`
    }
    if ((cls.kind === 'payload' || cls.kind === 'task') && !module.payloadFaults.includes(cls.which)) {
      return `${module.id} cannot produce ${describeFault(fault)}; it can produce: ${this.supported(module).join(', ')}`
    }
    return null
  }

  /** The queued fault for this request, else one from the fault source (checked like `inject`). */
  private takeFault(module: ProviderModule, route: RouteName): QueuedFault | null {
    const queued = this.faults.take(module.id, route)
    if (queued || !this.faultSource) return queued
    const chosen = this.faultSource({ provider: module.id, route })
    if (!chosen) return null
    const problem = this.producible(module, chosen.fault, route === 'file')
    if (problem) throw new Error(`fault source: ${problem}`)
    return oneOffFault(module.id, route, chosen.fault, chosen.options)
  }

  private ownerOf(pathname: string): ProviderId | null {
    if (pathname.startsWith('/files/')) {
      const owner = FileHost.providerOf(pathname)
      return PROVIDER_IDS.find((id) => id === owner) ?? null
    }
    return PROVIDER_IDS.find((id) => pathname === PROVIDERS[id].basePath || pathname.startsWith(`${PROVIDERS[id].basePath}/`)) ?? null
  }

  /** Counts a request as open at its provider until its reply ends (or the client hangs up). */
  private track(entry: LoggedRequest, res: ServerResponse, provider: ProviderId): void {
    const open = this.open[provider]
    open.now += 1
    open.peak = Math.max(open.peak, open.now)
    const done = () => {
      if (entry.endedAt !== null) return
      entry.endedAt = performance.now()
      open.now -= 1
    }
    res.once('finish', done)
    res.once('close', done)
  }

  pendingFaults(provider?: ProviderId) {
    return this.faults.pending(provider)
  }

  get charges(): Readonly<Record<ProviderId, readonly Charge[]>> {
    return this.ledger.byProvider()
  }

  billed(provider: ProviderId) {
    return this.ledger.summary(provider)
  }

  get tasks(): readonly TaskView[] {
    return this.taskStore.views()
  }

  get settings(): ProviderSettings {
    return structuredClone(this.current)
  }

  configure(patch: SettingsPatch): void {
    this.current = mergeSettings(this.current, patch)
  }

  reset(): void {
    this.requests.length = 0
    this.internalErrors.length = 0
    this.faults.clear()
    this.ledger.clear()
    this.taskStore.clear()
    this.files.clear()
    this.faultSource = null
    this.streamHold?.release()
    this.streamHold = null
    for (const id of PROVIDER_IDS) this.open[id].peak = this.open[id].now
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.closing.abort()
      this.http.close(() => resolve())
      this.http.closeAllConnections()
    })
    return this.closed
  }

  private module(provider: ProviderId): ProviderModule {
    const module = PROVIDERS[provider]
    if (!module) throw new Error(`unknown provider '${String(provider)}'; known: ${PROVIDER_IDS.join(', ')}`)
    return module
  }

  private supported(module: ProviderModule): string[] {
    const errors = Object.keys(module.faultErrors).map((key) => (/^\d+$/.test(key) ? `{status: ${key}}` : `'${key}'`))
    return ["'reset'", "'slow'", "'html'", ...errors, ...module.payloadFaults.map((f) => `'${f}'`)]
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closing.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.closing.signal.addEventListener('abort', done, { once: true })
    })
  }

  private errorReply(module: ProviderModule, spec: ErrorSpec): Reply {
    return { kind: 'json', status: spec.status, body: module.errorBody(spec, this.current), ...(spec.headers ? { headers: spec.headers } : {}) }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let clientGone = false
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true
    })
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const pathname = new URL(path, this.origin).pathname
    const entry: LoggedRequest = {
      seq: ++this.seq,
      provider: null,
      route: null,
      method,
      path,
      headers: redactHeaders(req.headers),
      auth: checkAuth(req.headers, [], []),
      body: { kind: 'none' },
      status: null,
      reset: false,
      fault: null,
      accepted: false,
      receivedAt: performance.now(),
      endedAt: null,
    }
    this.requests.push(entry)
    // Open from the moment it arrives, before its body is read, so the count never flatters a client.
    const owner = this.ownerOf(pathname)
    if (owner) this.track(entry, res, owner)

    let body: RequestBody
    try {
      body = await parseBody(await readRaw(req), req.headers['content-type'])
    } catch (err) {
      // Anything else here is the client hanging up mid-upload: nothing to answer, nothing wrong.
      if (!(err instanceof BodyTooLarge)) return
      return this.deliver(entry, res, { kind: 'json', status: 413, body: { error: { message: err.message } } }, null, null, () => clientGone)
    }
    entry.body = logBody(body)

    if (pathname.startsWith('/files/')) return this.serveFile(entry, req, res, pathname, () => clientGone)

    const module = PROVIDER_IDS.map((id) => PROVIDERS[id]).find(
      (m) => pathname === m.basePath || pathname.startsWith(`${m.basePath}/`),
    )
    if (!module) {
      const prefixes = PROVIDER_IDS.map((id) => PROVIDERS[id].basePath).join(', ')
      const reply: Reply = { kind: 'json', status: 404, body: { error: { message: `No provider is mounted at ${pathname}; prefixes: ${prefixes}` } } }
      return this.deliver(entry, res, reply, null, null, () => clientGone)
    }
    entry.provider = module.id
    entry.auth = checkAuth(req.headers, module.authHeaders, this.keys[module.id])
    const rest = pathname.slice(module.basePath.length)
    let route: RouteSpec | undefined
    let params: Record<string, string> = {}
    for (const candidate of module.routes) {
      const matched = candidate.method === method ? matchPath(candidate.path, rest) : null
      if (matched) {
        route = candidate
        params = matched
        break
      }
    }
    const refuse = (spec: ErrorSpec) => this.deliver(entry, res, this.errorReply(module, spec), null, null, () => clientGone)
    if (!route) return refuse(module.notFound(method, pathname))
    entry.route = route.name
    if (!entry.auth.matched) return refuse(module.unauthorized(entry.auth))

    const unreadable = this.unreadable(route, body, req.headers['content-type'])
    if (unreadable) return refuse(module.unreadable(unreadable))
    const prepared = await route.prepare({
      body: body as Extract<RequestBody, { kind: 'json' | 'multipart' | 'none' }>,
      params,
      state: this.state,
      seq: entry.seq,
    })
    if (!prepared.ok) return refuse(prepared.error)
    entry.accepted = true

    const queued = this.takeFault(module, route.name)
    entry.fault = queued?.fault ?? null
    if (queued?.cls.kind === 'error') {
      const documented = module.faultErrors[queued.cls.key]
      if (!documented) throw new Error(`fault ${describeFault(queued.fault)} was queued for ${module.id} without an error body`)
      const spec = queued.message === null ? documented : { ...documented, message: queued.message }
      const retry = queued.cls.retryAfterSeconds
      const withRetry = retry === undefined ? spec : { ...spec, headers: { ...spec.headers, 'retry-after': String(retry) } }
      return this.deliver(entry, res, this.errorReply(module, withRetry), queued, null, () => clientGone)
    }
    if (queued?.cls.kind === 'transport' && queued.cls.which === 'html') {
      return this.deliver(entry, res, htmlReply(), queued, null, () => clientGone)
    }
    const passOn = queued?.cls.kind === 'payload' || queued?.cls.kind === 'task' ? queued : null
    const result = await prepared.run({ state: this.state, seq: entry.seq, fault: passOn })
    return this.deliver(entry, res, result.reply, queued, result, () => clientGone)
  }

  /** Why the route cannot read this body, or null. */
  private unreadable(route: RouteSpec, body: RequestBody, contentType: string | undefined): string | null {
    if (route.accepts.length === 0) return null
    const expected = route.accepts.join(' or ')
    switch (body.kind) {
      case 'none':
        return `The request body is empty; this endpoint expects ${expected}.`
      case 'invalid-json':
        return 'We could not parse the JSON body of your request. (HINT: send a JSON object with Content-Type: application/json.)'
      case 'invalid-multipart':
        return 'The multipart/form-data body could not be parsed.'
      case 'json':
        if (!route.accepts.includes('application/json')) break
        return typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value)
          ? null
          : 'The request body must be a JSON object.'
      case 'multipart':
        if (!route.accepts.includes('multipart/form-data')) break
        return null
      case 'other':
        break
    }
    return `Unsupported Content-Type '${mediaType(contentType) ?? '(none)'}'; this endpoint expects ${expected}.`
  }

  private async serveFile(
    entry: LoggedRequest,
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    gone: () => boolean,
  ): Promise<void> {
    entry.route = 'file'
    const owner = FileHost.providerOf(pathname)
    const provider = PROVIDER_IDS.find((id) => id === owner) ?? null
    entry.provider = provider
    // Which key a client sent to the file host: `matched` true means it leaked its API key there.
    if (provider) entry.auth = checkAuth(req.headers, ['bearer', 'x-api-key'], this.keys[provider])
    const file = this.files.get(pathname)
    if (entry.method !== 'GET' || !file || !provider) {
      const status = entry.method !== 'GET' ? 405 : 404
      return this.deliver(entry, res, textReply(status), null, null, gone)
    }
    entry.accepted = true
    const queued = this.takeFault(PROVIDERS[provider], 'file')
    entry.fault = queued?.fault ?? null
    if (queued?.cls.kind === 'error') return this.deliver(entry, res, textReply(Number(queued.cls.key)), queued, null, gone)
    if (queued?.cls.kind === 'transport' && queued.cls.which === 'html') return this.deliver(entry, res, htmlReply(), queued, null, gone)
    const reply: Reply = { kind: 'bytes', status: 200, body: file.bytes, contentType: file.contentType, headers: { 'cache-control': 'private, max-age=86400' } }
    return this.deliver(entry, res, reply, queued, null, gone)
  }

  /** Latency, then the reply: whole, slow, or cut off; a reply nobody received is reported lost. */
  private async deliver(
    entry: LoggedRequest,
    res: ServerResponse,
    reply: Reply,
    queued: QueuedFault | null,
    result: RunResult | null,
    gone: () => boolean,
  ): Promise<void> {
    const transport = queued?.cls.kind === 'transport' ? queued.cls.which : null
    await this.sleep(this.latencyMs + (transport === 'slow' ? queued?.delayMs ?? 0 : 0))
    if (gone() || res.destroyed || this.closing.signal.aborted) {
      await result?.onLost?.()
      return
    }
    entry.status = reply.status
    if (transport === 'reset') {
      entry.reset = true
      sendThenReset(res, reply)
      await result?.onLost?.()
      return
    }
    if (reply.kind === 'event-stream') {
      await sendEventStream(res, reply, () => Promise.race([this.streamHold?.released ?? Promise.resolve(), this.closingPromise()]))
      return
    }
    send(res, reply)
  }

  private closingPromise(): Promise<void> {
    const signal = this.closing.signal
    return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
  }
}

function newKey(provider: ProviderId): string {
  return `${PROVIDERS[provider].keyPrefix}${randomBytes(12).toString('hex')}`
}

function htmlReply(): Reply {
  return { kind: 'bytes', status: 502, body: Buffer.from(PROXY_502_HTML), contentType: 'text/html' }
}

function textReply(status: number): Reply {
  return { kind: 'bytes', status, body: Buffer.from(`${status} ${STATUS_CODES[status] ?? ''}\n`), contentType: 'text/plain; charset=utf-8' }
}
