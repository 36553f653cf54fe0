/**
 * One memory measurement, in a process of its own so that one batch's heap and allocator state
 * cannot pollute the next: a real engine (temp library, SQLite, media store, queue) generates N
 * images at concurrency C from bench/fake-openai-server.ts (~4 MB base64 per image), while this
 * process samples its own RSS. Prints one JSON line (WorkerResult) on stdout; logs go to stderr.
 *
 * Run: node --expose-gc --import tsx bench/memory-worker.ts --images 100 --concurrency 4
 *      [--per-call K] [--latency-ms 300] [--sample-ms 20] [--home-root DIR] [--timeline FILE.csv]
 *      [--heap-snapshot-at MB] [--sharp-cache off] [--gc-after-each (with node --expose-gc)]
 *      [--wait poll|events] [--poll-ms 50]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { writeHeapSnapshot } from 'node:v8'
import sharp from 'sharp'
import type { EventMessage, JobView } from '../src/shared/api'
import { openBenchEngine, queueBenchJobs } from './bench-engine'
import { startBenchServer } from './bench-server'

export interface WorkerResult {
  images: number
  concurrency: number
  /** Images per job and per provider call. */
  perCall: number
  /** Images stored. */
  succeeded: number
  /** Jobs that did not succeed. */
  failed: number
  firstError: string | null
  /** RSS just before the queue starts: engine open, jobs queued, a full GC run (with --expose-gc). */
  baselineRssMb: number
  /** Highest RSS seen by the 20 ms sampler while the batch ran. */
  peakRssMb: number
  /** Peak RSS while the first / last quarter of the images were being produced. */
  peakRssFirstQuarterMb: number
  peakRssLastQuarterMb: number
  /** Median of the RSS samples in the last quarter: the level a long batch settles at, unlike a peak. */
  medianRssLastQuarterMb: number
  /** The same median for each quarter of the images, first to last: a leak climbs, warm-up levels off. */
  rssLevelByQuarterMb: number[]
  /** RSS when the last job finished. */
  endRssMb: number
  /** After the batch and a full GC, minus the same before it (null without --expose-gc). */
  retainedHeapMb: number | null
  retainedExternalMb: number | null
  afterGcRssMb: number | null
  /** The kernel's high-water mark for the whole process life (getrusage ru_maxrss). */
  maxRssMb: number
  /** Other parts of memoryUsage() at their own peaks. */
  peakHeapUsedMb: number
  peakHeapTotalMb: number
  peakExternalMb: number
  peakArrayBuffersMb: number
  wallSeconds: number
  imagesPerSecond: number
  replyBytes: number
  latencyMs: number
  samples: number
  /** The glibc malloc variables this process started with (bench/memory.ts sets them per case). */
  mallocEnv: Record<string, string>
}

const MB = 1024 * 1024
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

interface Sample {
  t: number
  done: number
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  arrayBuffers: number
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '25' },
      concurrency: { type: 'string', default: '4' },
      'latency-ms': { type: 'string', default: '300' },
      'sample-ms': { type: 'string', default: '20' },
      'home-root': { type: 'string', default: tmpdir() },
      timeline: { type: 'string' },
      'heap-snapshot-at': { type: 'string' },
      // Images per job and per provider call (the profile's maxImagesPerCall); 1 as GPT-Image-2 resellers do.
      'per-call': { type: 'string', default: '1' },
      // Diagnostics: sharp's operation cache off; a full GC after every finished job (needs --expose-gc).
      'sharp-cache': { type: 'string', default: 'on' },
      'gc-after-each': { type: 'boolean', default: false },
      // How the end of the batch is noticed: engine.waitForJobs (polls every job row every 150 ms,
      // as the CLI's --wait does) or the engine's job events only (as the app does).
      wait: { type: 'string', default: 'poll' },
      // The queue's idle poll (engine default 2000 ms); each pump reads up to 500 queued rows.
      'poll-ms': { type: 'string', default: '50' },
    },
  })
  const images = Number(values.images)
  const concurrency = Number(values.concurrency)
  const latencyMs = Number(values['latency-ms'])
  const sampleMs = Number(values['sample-ms'])
  const snapshotAtMb = values['heap-snapshot-at'] ? Number(values['heap-snapshot-at']) : null
  const perCall = Number(values['per-call'])
  if (!Number.isInteger(images / perCall)) throw new Error('--images must be a multiple of --per-call')
  const gc = (globalThis as { gc?: () => void }).gc
  if (values['gc-after-each'] && !gc) throw new Error('--gc-after-each needs node --expose-gc')
  if (values['sharp-cache'] === 'off') sharp.cache(false)

  const server = await startBenchServer(latencyMs)
  const home = mkdtempSync(join(values['home-root'], 'proofsheet-bench-'))
  const engine = await openBenchEngine({ home, server, concurrency, perCall, pollIntervalMs: Number(values['poll-ms']) })
  try {
    const ids = await queueBenchJobs(engine, images / perCall, perCall)

    let done = 0
    let finishedJobs = 0
    let allFinished: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (allFinished = resolve))
    engine.router.subscribe((message: EventMessage) => {
      if (message.event === 'job.updated' && (message.data.status === 'succeeded' || message.data.status === 'failed')) {
        if (++finishedJobs === ids.length) allFinished()
      }
      if (message.event === 'gallery.changed') {
        done += message.data.added.length
        if (values['gc-after-each']) setImmediate(() => gc?.())
      }
    })

    gc?.()
    const before = process.memoryUsage()
    const baseline = before.rss
    const samples: Sample[] = []
    let snapshotTaken = false
    const t0 = performance.now()
    const sample = (): void => {
      const m = process.memoryUsage()
      samples.push({ t: performance.now() - t0, done, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })
      if (snapshotAtMb !== null && !snapshotTaken && m.rss > snapshotAtMb * MB) {
        snapshotTaken = true
        process.stderr.write(`heap snapshot at ${mb(m.rss)} MB RSS: ${writeHeapSnapshot(join(tmpdir(), `proofsheet-bench-${process.pid}.heapsnapshot`))}\n`)
      }
    }
    const timer = setInterval(sample, sampleMs)
    sample()

    if (!engine.startQueue()) throw new Error('another process holds the runner lock of the temp library')
    if (values.wait === 'events') await finished
    let views: JobView[] | null = await engine.waitForJobs(ids)
    const wallMs = performance.now() - t0
    clearInterval(timer)
    sample()

    const peak = (pick: (s: Sample) => number, within: (s: Sample) => boolean = () => true): number =>
      mb(samples.filter(within).reduce((max, s) => Math.max(max, pick(s)), 0))
    const quarter = Math.ceil(images / 4)
    const failed = views.filter((v) => v.status !== 'succeeded')
    const measured = {
      images,
      concurrency,
      perCall,
      succeeded: views.reduce((n, v) => n + v.imageIds.length, 0),
      failed: failed.length,
      firstError: failed[0]?.error?.message ?? null,
      baselineRssMb: mb(baseline),
      peakRssMb: peak((s) => s.rss),
      peakRssFirstQuarterMb: peak((s) => s.rss, (s) => s.done < quarter),
      peakRssLastQuarterMb: peak((s) => s.rss, (s) => s.done >= images - quarter),
      medianRssLastQuarterMb: mb(median(samples.filter((s) => s.done >= images - quarter).map((s) => s.rss))),
      rssLevelByQuarterMb: [0, 1, 2, 3].map((q) =>
        mb(median(samples.filter((s) => s.done >= q * quarter && s.done < (q + 1) * quarter).map((s) => s.rss))),
      ),
      endRssMb: mb(samples.at(-1)!.rss),
      maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
      peakHeapUsedMb: peak((s) => s.heapUsed),
      peakHeapTotalMb: peak((s) => s.heapTotal),
      peakExternalMb: peak((s) => s.external),
      peakArrayBuffersMb: peak((s) => s.arrayBuffers),
      wallSeconds: Math.round(wallMs) / 1000,
      imagesPerSecond: Math.round((images / (wallMs / 1000)) * 100) / 100,
      replyBytes: server.replyBytes,
      latencyMs,
      samples: samples.length,
      mallocEnv: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('MALLOC_') && e[1] !== undefined)),
    }
    if (values.timeline) {
      const rows = samples.map((s) => [Math.round(s.t), s.done, mb(s.rss), mb(s.heapUsed), mb(s.heapTotal), mb(s.external), mb(s.arrayBuffers)].join(','))
      writeFileSync(values.timeline, `ms,done,rss_mb,heap_used_mb,heap_total_mb,external_mb,array_buffers_mb\n${rows.join('\n')}\n`)
    }

    // What the batch left behind once garbage is gone: a leak shows up here, growing with N. Drop
    // this harness's own per-image data (samples, job views) first so that only the engine's counts.
    samples.length = 0
    views = null
    failed.length = 0
    gc?.()
    const after = process.memoryUsage()
    const result: WorkerResult = {
      ...measured,
      retainedHeapMb: gc ? mb(after.heapUsed - before.heapUsed) : null,
      retainedExternalMb: gc ? mb(after.external - before.external) : null,
      afterGcRssMb: gc ? mb(after.rss) : null,
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await engine.close()
    server.stop()
    rmSync(home, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`memory-worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
