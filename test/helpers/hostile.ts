/**
 * The shared assertions of the hostile-input suites (test/main/hostile, test/web, test/cli): a
 * bad input gets a clear refusal, the library is left exactly as it was, and the door still
 * answers a good call afterwards. Tables of inputs drive these; each row only says what it sends.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, expect } from 'vitest'
import type { ApiErrorCode, ApiErrorData, Result } from '../../src/shared/api'
import { createEngine, type Engine, type EngineOptions } from '../../src/main/core/engine'
import { testEngineOptions } from './engine'
import { userTables } from './sqlite'

/** Files the engine keeps open while it runs; their bytes change without any record being written. */
const LIVE_FILES = new Set(['library.sqlite', 'library.sqlite-wal', 'library.sqlite-shm', 'queue.lock'])

export interface LibrarySnapshot {
  /** Row count of every ordinary table. */
  rows: Record<string, number>
  /** Every other file under the library folder, relative, sorted. */
  files: string[]
}

export function librarySnapshot(home: string): LibrarySnapshot {
  const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const rows: Record<string, number> = {}
    for (const t of userTables(db)) rows[t.name] = (db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n
    return { rows, files: filesUnder(home).filter((f) => !LIVE_FILES.has(f)) }
  } finally {
    db.close()
  }
}

export function filesUnder(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else out.push(relative(root, path).split('\\').join('/'))
    }
  }
  walk(root)
  return out.sort()
}

export interface Refusal {
  /** The field the error must name (exactly, or a pattern for paths such as `sizes.0.width`). */
  field: string | RegExp
  code?: ApiErrorCode
  /** Something the message must say, beyond naming the field. */
  says?: RegExp
}

/** What every refusal owes a user: a code, the field at fault, a short message and a fix. */
export function expectClearError(error: ApiErrorData, want: Refusal): void {
  expect(error.code).toBe(want.code ?? 'bad_input')
  if (typeof want.field === 'string') expect(error.field).toBe(want.field)
  else expect(error.field).toMatch(want.field)
  expect(error.message.trim().length).toBeGreaterThan(5)
  // A 10 MB input must not come back as a 10 MB message.
  expect(error.message.length).toBeLessThan(1200)
  expect(error.fix?.trim()).toBeTruthy()
  if (want.says) expect(error.message).toMatch(want.says)
}

export function expectRefused(result: Result<unknown>, want: Refusal): ApiErrorData {
  if (result.ok) throw new Error(`expected a refusal naming ${String(want.field)}, got ${JSON.stringify(result.value).slice(0, 300)}`)
  expectClearError(result.error, want)
  return result.error
}

/** A library folder and its engine shared by every row of one file, closed when the file ends. */
export function useSharedEngine(options: Partial<EngineOptions> = {}): { readonly engine: Engine; readonly home: string } {
  let engine: Engine | null = null
  let home = ''
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'proofsheet-hostile-'))
    engine = await createEngine(testEngineOptions(home, options))
  })
  afterAll(async () => {
    await engine?.close()
    rmSync(home, { recursive: true, force: true })
  })
  return {
    get engine() {
      if (!engine) throw new Error('the shared engine is not open yet')
      return engine
    },
    get home() {
      return home
    },
  }
}

/** A good call that must still succeed after any refusal: the door and the engine kept working. */
export type Send = (name: unknown, input: unknown) => Promise<Result<unknown>>

export async function expectStillWorking(send: Send): Promise<void> {
  const result = await send('jobs.estimate', { provider: 'demo', prompt: 'still here', sizes: [{ width: 64, height: 64 }] })
  expect(result).toMatchObject({ ok: true, value: { provider: 'demo', total: 0 } })
}

/**
 * Sends one hostile input through `send` and checks the whole promise: a clear refusal, the
 * library untouched (row counts and files), and a good call answered afterwards.
 */
export async function expectCleanRefusal(
  home: string,
  send: Send,
  name: unknown,
  input: unknown,
  want: Refusal,
): Promise<ApiErrorData> {
  const before = librarySnapshot(home)
  const error = expectRefused(await send(name, input), want)
  expect(librarySnapshot(home)).toEqual(before)
  await expectStillWorking(send)
  return error
}
