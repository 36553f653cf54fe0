/**
 * What bench/run.ts expects of a benchmark module. A benchmark measures and reports; it never
 * fails the run because a figure is worse than hoped (machines differ), only when it could not
 * measure at all. Add a benchmark by exporting one of these and listing it in bench/run.ts.
 */
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os'

export interface BenchmarkOptions {
  /** How many times each measurement is repeated (fresh processes each time). */
  repeats: number
  /** Progress lines while measuring. */
  log(line: string): void
}

export interface BenchmarkResult {
  /** Verdicts and headline figures, one sentence each. */
  summary: string[]
  table: { head: string[]; rows: string[][] }
  /** How the figures were obtained and how to read them. */
  notes: string[]
  /** Every individual measurement, for anyone who wants more than the table. */
  raw: unknown
}

export interface Benchmark {
  /** Short id, used on the command line and as the BENCHMARKS.md section marker. */
  name: string
  title: string
  run(options: BenchmarkOptions): Promise<BenchmarkResult>
}

export interface Machine {
  cpu: string
  cores: number
  ramGb: number
  node: string
  os: string
}

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  }
}

/** Rejects if `promise` has not settled within `ms`: a benchmark must end by itself, never hang. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}
