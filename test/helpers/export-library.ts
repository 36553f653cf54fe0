/**
 * A library with real demo images for export tests: the engine through its router, the demo
 * provider rendering real PNGs, session-only secrets (no keychain), no network.
 */
import { readFileSync } from 'node:fs'
import { onTestFinished } from 'vitest'
import type { ApiErrorData, ExportState, Input, Output, Result, RouteName } from '../../src/shared/api'
import { createEngine, type Engine, type EngineOptions } from '../../src/main/core/engine'
import { SessionSecretStore } from '../../src/main/core/secrets'
import { tempDir } from './temp-dir'

export async function exportEngine(options: Partial<EngineOptions> = {}): Promise<Engine> {
  const engine = await createEngine({
    home: tempDir('proofsheet-export-lib-'),
    runQueue: true,
    demoDelayMs: 1,
    pollIntervalMs: 25,
    env: {},
    timeZone: 'UTC',
    fetch: () => Promise.reject(new Error('no network in this test')),
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'test' } }),
    ...options,
  })
  onTestFinished(() => engine.close())
  return engine
}

export async function ok<N extends RouteName>(engine: Engine, name: N, input: Input<N>): Promise<Output<N>> {
  const result = (await engine.router.handle(name, input)) as Result<Output<N>>
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value
}

export async function refusedWith(engine: Engine, name: RouteName, input: unknown): Promise<ApiErrorData> {
  const result = await engine.router.handle(name, input)
  if (result.ok) throw new Error(`${name} was accepted: ${JSON.stringify(result.value)}`)
  return result.error
}

/** Generates demo images (one job per size) and waits for them; returns the batch id and image ids. */
export async function demoImages(engine: Engine, prompt: string, sizes: { width: number; height: number }[]): Promise<{ batchId: string | null; imageIds: string[] }> {
  const queued = await ok(engine, 'jobs.generate', { provider: 'demo', prompt, sizes })
  const jobs = await engine.waitForJobs(queued.jobs.map((j) => j.id))
  return { batchId: queued.batchId, imageIds: jobs.flatMap((j) => j.imageIds) }
}

/** Starts an export and waits for it to finish, collecting its progress events. */
export async function runExport(engine: Engine, input: Input<'exports.start'>): Promise<{ state: ExportState; events: ExportState[] }> {
  const events: ExportState[] = []
  let finished: (state: ExportState) => void = () => undefined
  const done = new Promise<ExportState>((resolve) => (finished = resolve))
  const stop = engine.router.subscribe((message) => {
    if (message.event !== 'export.progress') return
    events.push(message.data)
    if (message.data.status !== 'running') finished(message.data)
  })
  try {
    const started = await ok(engine, 'exports.start', input)
    const state = await done
    if (state.id !== started.id) throw new Error('another export finished')
    return { state, events }
  } finally {
    stop()
  }
}

/** Reads a manifest CSV (RFC 4180 quoting, CRLF, a byte order mark) into objects keyed by its header. */
export function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') {
        quoted = false
      } else {
        field += c
      }
    } else if (c === '"') {
      quoted = true
    } else if (c === ',' || c === '\n') {
      row.push(field)
      field = ''
      if (c === '\n') {
        rows.push(row)
        row = []
      }
    } else if (c !== '\r') {
      field += c
    }
  }
  const [head, ...body] = rows
  return body.map((r) => Object.fromEntries((head ?? []).map((h, i) => [h, r[i] ?? ''])))
}
