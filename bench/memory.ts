/**
 * Memory benchmark for the provider issue: "peak RSS while 100 images of about 4 MB base64 each
 * are processed at concurrency 4, and the same with 25: goal under 400 MB and no growth with batch
 * size". Every measurement runs bench/memory-worker.ts in a fresh Node process (a real engine
 * against bench/fake-openai-server.ts), so one batch's heap and allocator state never pollute the
 * next; repeats are interleaved across cases so a slow moment of the machine hits them all alike.
 * The batches at concurrency 4 run under three malloc settings side by side: glibc's defaults, the
 * arena cap alone, and what the launchers set (bin/malloc-tuning.js); the goals are judged on the
 * launchers' setting, the one a user runs.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MALLOC_TUNING } from '../bin/malloc-tuning.js'
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from './benchmark'
import type { WorkerResult } from './memory-worker'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '..')

export const GOAL_MB = 400
/** Flat with batch length: peak RSS of 100 images at most 15% over 25's, and 400's within 10% of 100's, in every run. */
const GOAL_LARGE_OVER_SMALL = 1.15
const GOAL_HUGE_OVER_LARGE = 1.1
/** The RSS level may rise this much from the 2nd to the 4th quarter of a batch before we call it growth. */
const GROWTH_TOLERANCE = 0.1
/** Heap still held after 400 images versus after 25, beyond which we call it a leak (~13 KB per image). */
const LEAK_TOLERANCE_MB = 5

/** A malloc setting a worker process starts with (glibc reads these variables only at start). */
interface Allocator {
  name: string
  env: Readonly<Record<string, string>>
}

const GLIBC_DEFAULTS: Allocator = { name: 'glibc defaults', env: {} }
const ARENA_CAP_ONLY: Allocator = { name: `MALLOC_ARENA_MAX=${MALLOC_TUNING.MALLOC_ARENA_MAX} only`, env: { MALLOC_ARENA_MAX: MALLOC_TUNING.MALLOC_ARENA_MAX } }
/** What bin/proofsheet.js and `npm run web` give the engine's process. */
const LAUNCHERS: Allocator = { name: 'launchers', env: MALLOC_TUNING }
const ALLOCATORS: readonly Allocator[] = [GLIBC_DEFAULTS, ARENA_CAP_ONLY, LAUNCHERS]

interface Case {
  images: number
  concurrency: number
  perCall: number
  allocator: Allocator
  why: string
}

/** The batch-length cases under every setting, side by side; the rest as the launchers run them. */
export const CASES: readonly Case[] = [
  ...ALLOCATORS.flatMap((allocator) => [
    { images: 25, concurrency: 4, perCall: 1, allocator, why: 'the issue, small batch' },
    { images: 100, concurrency: 4, perCall: 1, allocator, why: 'the issue, large batch' },
    { images: 400, concurrency: 4, perCall: 1, allocator, why: '16x the small batch: does memory keep rising?' },
  ]),
  { images: 100, concurrency: 1, perCall: 1, allocator: LAUNCHERS, why: 'dependence on concurrency' },
  { images: 100, concurrency: 8, perCall: 1, allocator: LAUNCHERS, why: 'dependence on concurrency' },
  { images: 100, concurrency: 3, perCall: 10, allocator: LAUNCHERS, why: 'the 10 per call TokenHub and OpenAI allow (built-in profiles send at most 4), 3 calls at once' },
]

/** This process's environment without any malloc setting of its own, plus the case's. */
function workerEnv(allocator: Allocator): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_') && name !== 'GLIBC_TUNABLES'))
  return { ...env, ...allocator.env }
}

function runWorker(c: Case): Promise<WorkerResult> {
  // --expose-gc only lets the worker collect before the baseline and after the batch (retained memory).
  const args = ['--expose-gc', '--import', 'tsx', join(here, 'memory-worker.ts')]
  args.push('--images', String(c.images), '--concurrency', String(c.concurrency), '--per-call', String(c.perCall))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: workerEnv(c.allocator), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? ''
      if (code !== 0 || !last.startsWith('{')) {
        return reject(new Error(`memory-worker ${args.slice(4).join(' ')} (${c.allocator.name}) exited with ${code}:\n${err.trim()}`))
      }
      resolve(JSON.parse(last) as WorkerResult)
    })
  })
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : Math.round(((s[mid - 1]! + s[mid]!) / 2) * 10) / 10
}
const fmt = (x: number): string => x.toFixed(0)
const fmt1 = (x: number): string => x.toFixed(1)

function label(c: Case): string {
  return `${c.images} @ ${c.concurrency}${c.perCall > 1 ? ` (${c.perCall}/call)` : ''}, ${c.allocator.name}`
}

export const memoryBenchmark: Benchmark = {
  name: 'memory',
  title: 'Memory: peak RSS while ~4 MB base64 images are generated',
  async run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
    const runs = new Map<Case, WorkerResult[]>(CASES.map((c) => [c, []]))
    for (let r = 1; r <= repeats; r++) {
      for (const c of CASES) {
        const result = await runWorker(c)
        if (result.failed > 0) throw new Error(`${label(c)}: ${result.failed} jobs failed, first: ${result.firstError}`)
        runs.get(c)!.push(result)
        log(`memory ${label(c)} run ${r}/${repeats}: peak ${result.peakRssMb} MB, maxRSS ${result.maxRssMb} MB, ${result.imagesPerSecond} img/s`)
      }
    }

    const med = (c: Case, pick: (w: WorkerResult) => number): number => median(runs.get(c)!.map(pick))
    const rows = CASES.map((c) => {
      const rs = runs.get(c)!
      const maxes = rs.map((w) => w.maxRssMb)
      return [
        String(c.images),
        String(c.concurrency),
        String(c.perCall),
        c.allocator.name,
        fmt(med(c, (w) => w.baselineRssMb)),
        fmt(med(c, (w) => w.peakRssMb)),
        `${fmt(med(c, (w) => w.maxRssMb))} (${fmt(Math.min(...maxes))}-${fmt(Math.max(...maxes))})`,
        fmt(med(c, (w) => w.medianRssLastQuarterMb)),
        [0, 1, 2, 3].map((q) => fmt(med(c, (w) => w.rssLevelByQuarterMb[q] ?? 0))).join(' / '),
        fmt1(med(c, (w) => w.retainedHeapMb ?? 0)),
        fmt(med(c, (w) => w.peakHeapUsedMb)),
        fmt(med(c, (w) => w.peakExternalMb)),
        med(c, (w) => w.wallSeconds).toFixed(1),
        med(c, (w) => w.imagesPerSecond).toFixed(2),
        c.why,
      ]
    })

    const find = (images: number, concurrency: number, perCall = 1, allocator = LAUNCHERS): Case =>
      CASES.find((c) => c.images === images && c.concurrency === concurrency && c.perCall === perCall && c.allocator === allocator)!
    const worst = (c: Case): number => Math.max(...runs.get(c)!.map((w) => w.maxRssMb))
    const typical = (c: Case): number => med(c, (w) => w.maxRssMb)
    const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${fmt((ratio - 1) * 100)}%`
    const retained = (c: Case): number => med(c, (w) => w.retainedHeapMb ?? 0)
    // Repeats are interleaved, so run r of each case saw the same moment of the machine: pair them.
    const ratios = (over: Case, under: Case): number[] => runs.get(over)!.map((w, r) => w.maxRssMb / runs.get(under)![r]!.maxRssMb)
    const spread = (xs: number[]): string => `median ${median(xs).toFixed(2)} (runs ${xs.map((x) => x.toFixed(2)).join(', ')})`

    /** The batch-length verdicts for one malloc setting. */
    const batchLength = (allocator: Allocator) => {
      const small = find(25, 4, 1, allocator)
      const large = find(100, 4, 1, allocator)
      const huge = find(400, 4, 1, allocator)
      const largeOverSmall = ratios(large, small)
      const hugeOverLarge = ratios(huge, large)
      // A leak, in the heap or anywhere else, keeps climbing through a long batch: judge on levels and
      // on what stays after a full GC, not on peaks, whose maximum creeps up with the number of samples.
      const leakedMb = retained(huge) - retained(small)
      const levels = [0, 1, 2, 3].map((q) => med(huge, (w) => w.rssLevelByQuarterMb[q] ?? 0))
      // Quarter 1 holds the warm-up (V8 heap and malloc arenas fill during the first ~100 images), so a
      // leak is judged from quarter 2 to quarter 4 of the longest batch.
      const drift = levels[3]! / levels[1]!
      return {
        small,
        large,
        huge,
        largeOverSmall,
        hugeOverLarge,
        levels,
        drift,
        grows: leakedMb > LEAK_TOLERANCE_MB || drift > 1 + GROWTH_TOLERANCE,
        flat: largeOverSmall.every((x) => x <= GOAL_LARGE_OVER_SMALL) && hugeOverLarge.every((x) => x <= GOAL_HUGE_OVER_LARGE),
      }
    }
    const shipped = batchLength(LAUNCHERS)
    const { small, large, huge } = shipped
    const goalMet = worst(small) < GOAL_MB && worst(large) < GOAL_MB
    const perCall = find(100, 3, 10)
    const sideBySide = ALLOCATORS.map((allocator) => {
      const b = batchLength(allocator)
      return `${allocator.name}${Object.keys(allocator.env).length ? ` (${Object.entries(allocator.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}: max RSS ${[b.small, b.large, b.huge].map((c) => `${fmt(typical(c))}`).join(' / ')} MB for 25 / 100 / 400; 100/25 ${spread(b.largeOverSmall)}, 400/100 ${spread(b.hugeOverLarge)}; RSS level by quarter of 400: ${b.levels.map(fmt).join(', ')} MB -> ${b.flat ? 'flat' : 'NOT flat'}.`
    })

    return {
      summary: [
        `Goal "under ${GOAL_MB} MB at concurrency 4": ${goalMet ? 'MET' : 'NOT MET'}; worst max RSS ${fmt(worst(small))} MB with 25 images, ${fmt(worst(large))} MB with 100.`,
        `Goal "flat with batch length" (max RSS, every run: 100 images at most ${GOAL_LARGE_OVER_SMALL}x 25, 400 at most ${GOAL_HUGE_OVER_LARGE}x 100), judged as the launchers run the engine: ${shipped.flat ? 'MET' : 'NOT MET'}; 100/25 ${spread(shipped.largeOverSmall)}, 400/100 ${spread(shipped.hugeOverLarge)}.`,
        ...sideBySide.map((line) => `Side by side, ${line}`),
        `Growth with batch size (a leak), launchers: ${shipped.grows ? 'YES' : 'NONE'}. Heap left after the batch and a full GC: ${[small, large, huge].map((c) => `${fmt1(retained(c))} MB after ${c.images}`).join(', ')}; RSS level per quarter of the ${huge.images}-image batch: ${shipped.levels.map(fmt).join(', ')} MB (quarter 2 to 4: ${pct(shipped.drift)}).`,
        `Peak (max RSS, median) at concurrency 4, launchers: ${[small, large, huge].map((c) => `${fmt(typical(c))} MB for ${c.images}`).join(', ')} (${pct(typical(large) / typical(small))}, then ${pct(typical(huge) / typical(large))}).`,
        `Concurrency, 100 images: ${[1, 4, 8].map((c) => `${c} -> ${fmt(typical(find(100, c)))} MB`).join(', ')} (median max RSS).`,
        `10 images per call (the APIs' maximum; built-in profiles now send at most 4) at concurrency 3: ${fmt(typical(perCall))} MB median, ${fmt(worst(perCall))} MB worst${worst(perCall) >= GOAL_MB ? ` (over ${GOAL_MB} MB)` : ''}.`,
      ],
      table: {
        head: [
          'Images',
          'Concurrency',
          'Images/call',
          'Malloc',
          'Baseline RSS',
          'Peak RSS (sampled)',
          'Max RSS (range)',
          'Level, last 1/4',
          'Level by quarter',
          'Heap left after GC',
          'Peak heap used',
          'Peak external',
          'Wall s',
          'Images/s',
          'Why',
        ],
        rows,
      },
      notes: [
        `Medians of ${repeats} run(s) per row, each in a fresh process; memory in MB of 2^20 bytes. "Max RSS" is the kernel's high-water mark (getrusage) and catches spikes inside synchronous work (JSON.parse, base64 decode) that the 20 ms "Peak RSS" sampler can miss; the goal is judged on the worst Max RSS.`,
        '"Baseline" is RSS with the engine open and the jobs queued, before the queue starts. "Level, last 1/4" is the median RSS sample while the last quarter of the images was produced: where a long batch settles, and what a leak would push up. "Heap left after GC" is heap used after the batch and a full GC minus the same before it: per-image retention shows up here. Peak heap used and peak external (Buffers, ArrayBuffers) are the peaks of process.memoryUsage().',
        `"Malloc": the glibc settings the worker process started with. "glibc defaults" has none (up to 8 arenas per core, a dynamic mmap threshold); "launchers" is what bin/proofsheet.js and npm run web set (bin/malloc-tuning.js: ${Object.entries(MALLOC_TUNING).map(([k, v]) => `${k}=${v}`).join(', ')}). "Level by quarter" is the median RSS sample while each quarter of the images was produced, first to last.`,
        'Server: bench/fake-openai-server.ts in its own process, 300 ms latency, replying {data:[{b64_json}]} with a 1024x1024 random-noise PNG (3.15 million bytes; 4.2 million bytes of base64). Engine: real SQLite, media store (decode check, thumbnail, fsync) and queue in a temp library on the OS temp folder; custom OpenAI-compatible profile with the given concurrency and no request-rate cap.',
      ],
      raw: CASES.map((c) => ({ case: { ...c, allocator: c.allocator.name, mallocEnv: c.allocator.env }, runs: runs.get(c) })),
    }
  },
}
