/**
 * Queue throughput for issue #6: 200 jobs against a server with 200 ms latency at concurrency 8.
 * Eight slots each send 25 requests one after another, so the ideal makespan is 25 x 200 ms = 5 s;
 * the goal (issue 15) is to stay within 1.25x of it, or where that is out of reach on the machine,
 * to show the physical limit: the CPU the replies cannot do without, over the cores. A job gives
 * its provider slot back once its reply is read (storing the image runs beside the next request),
 * so what is left over the ideal is the queue's own overhead plus whatever storing cannot keep up
 * with. Everything is the product's own: a temp library with real
 * SQLite, the engine's JobQueue and media store, real HTTP to bench/fake-openai-server.ts in its
 * own process. Only fetch is wrapped, to note when each call leaves and when its reply headers
 * arrive, so the time of every job can be split into what the queue, the network and the media
 * store spent on it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks'
import sharp from 'sharp'
import { stageFile } from '../src/main/core/files/atomic-write'
import { THUMBNAIL_MAX_SIDE, THUMBNAIL_WEBP } from '../src/main/core/media/media-store'
import { Store } from '../src/main/core/store/store'
import type { EventMessage } from '../src/shared/api'
import { within, type Benchmark, type BenchmarkOptions, type BenchmarkResult } from './benchmark'
import { openBenchEngine, queueBenchJobs } from './bench-engine'
import { startBenchServer } from './bench-server'
import { FAN_OUT_IMAGES, FAN_OUT_TASK_MS, measureFanOut, measureSyncFanOut, SYNC_CALL_MS, type FanOutRun, type SyncFanOutRun } from './fan-out'
import { samplePng, type SampleKind } from './sample-png'
import { mean, median, ms, p95 } from './stats'
import { readThreadCpu, threadCpuSince, type ThreadGroup } from './thread-cpu'

export const QUEUE_JOBS = 200
export const QUEUE_CONCURRENCY = 8
export const QUEUE_LATENCY_MS = 200
/** Issue 15: within 1.25x of the ideal with realistic replies. */
const GOAL_RATIO = 1.25
/** Jobs each slot runs one after another. */
const ROUNDS = Math.ceil(QUEUE_JOBS / QUEUE_CONCURRENCY)
const IDEAL_MS = ROUNDS * QUEUE_LATENCY_MS

interface Case {
  image: SampleKind
  why: string
}

const CASES: readonly Case[] = [
  { image: 'flat', why: 'the least work per image: a 1024x1024 PNG of a few KB (its pixels are still decoded and thumbnailed)' },
  { image: 'noise', why: 'a realistic reply: 1024x1024 noise PNG, 3.1 MB (4.2 MB base64), verified, thumbnailed and fsynced' },
]

/** Times of one job, in ms since the queue was started. */
interface JobTimes {
  claimed: number
  sent: number
  answered: number
  recorded: number
  finished: number
}

interface QueueRun {
  image: SampleKind
  makespanMs: number
  /** From startQueue() to the first job claimed: the orphan sweep and the first pump. */
  firstClaimMs: number
  failed: number
  /** Per job: claimed -> request sent (rate limiter, secret lookup, building the call). */
  toSendMs: number[]
  /** Request sent -> reply headers (the server's latency plus loopback HTTP). */
  httpMs: number[]
  /** Reply headers -> images recorded (body read and base64 decode, writeImage, the DB row). */
  storeMs: number[]
  /** Images recorded -> job finished (the succeeded row and its event). */
  finishMs: number[]
  /** Claimed -> finished. */
  jobMs: number[]
  /** A slot's idle time: a job's claim minus the last reply before it (jobs after the first round). */
  gapMs: number[]
  /** When the last reply's headers arrived: the requests' own makespan. */
  lastReplyMs: number
  /** One read of the runnable rows as the pump makes it, with every job still queued. */
  pumpReadMs: number
  replyBytes: number
  /** CPU time (every thread) the engine's process and the bench server's process spent in the run. */
  engineCpuMs: number
  serverCpuMs: number
  /** The engine's CPU by kind of thread (Linux), and V8's pauses of the main thread. */
  threadCpuMs: Partial<Record<ThreadGroup, number>>
  gcPauseMs: number
  majorGcs: number
}

/** CPU time (every thread) of the bench server's process so far. */
async function serverCpuMs(baseUrl: string): Promise<number> {
  const res = await fetch(new URL('/stats', baseUrl))
  return ((await res.json()) as { cpuMs: number }).cpuMs
}

/**
 * CPU time (every thread) of the work the engine cannot skip for one reply of this kind, one reply
 * at a time in this process: decoding the base64 reply, the thumbnail (the one decode), sha256, and
 * the original's durable write. Times 200 replies over the cores, it is the least the batch can take.
 */
async function unavoidableCpuMs(image: SampleKind, home: string): Promise<number> {
  const png = await samplePng(image)
  const base64 = png.toString('base64')
  const samples: number[] = []
  for (let i = 0; i < 7; i++) {
    const before = process.cpuUsage()
    const bytes = Buffer.from(base64, 'base64')
    await sharp(bytes, { failOn: 'error', autoOrient: true })
      .resize({ width: THUMBNAIL_MAX_SIDE, height: THUMBNAIL_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp(THUMBNAIL_WEBP)
      .toBuffer()
    createHash('sha256').update(bytes).digest('hex')
    const staged = await stageFile(join(home, 'cpu-floor', `${i}.png`), bytes)
    const used = process.cpuUsage(before)
    await staged.discard()
    if (i >= 2) samples.push((used.user + used.system) / 1000)
  }
  return median(samples)
}

/** What one pump wake-up reads: JobsRepo.runnable with the queue's own limit of 500 rows. */
function timePumpRead(home: string): number {
  const store = Store.open(join(home, 'library.sqlite'))
  try {
    const samples: number[] = []
    for (let i = 0; i < 22; i++) {
      const start = performance.now()
      store.jobs.runnable(Date.now(), 500)
      if (i >= 2) samples.push(performance.now() - start)
    }
    return median(samples)
  } finally {
    store.close()
  }
}

async function measure(c: Case): Promise<QueueRun> {
  const server = await startBenchServer(QUEUE_LATENCY_MS, c.image)
  const home = mkdtempSync(join(tmpdir(), 'proofsheet-bench-queue-'))
  let t0 = 0
  const now = (): number => performance.now() - t0
  const sentAt = new Map<string, { sent: number; answered: number }>()
  // Only a stopwatch around the real fetch: the prompt names the job the call belongs to.
  const timedFetch: typeof fetch = async (input, init) => {
    const sent = now()
    const res = await fetch(input, init)
    const prompt = typeof init?.body === 'string' ? (JSON.parse(init.body) as { prompt?: string }).prompt : undefined
    if (prompt) sentAt.set(prompt, { sent, answered: now() })
    return res
  }
  // The engine's own idle poll (2 s): the queue is driven by its wake-ups, as in the app.
  const engine = await openBenchEngine({ home, server, concurrency: QUEUE_CONCURRENCY, perCall: 1, fetch: timedFetch })
  try {
    const ids = await queueBenchJobs(engine, QUEUE_JOBS, 1)
    const pumpReadMs = timePumpRead(home)
    const promptOf = new Map(ids.map((id, i) => [id, `benchmark job ${i + 1} of ${QUEUE_JOBS}`]))
    const times = new Map<string, Partial<JobTimes>>(ids.map((id) => [id, {}]))
    let finished = 0
    let failed = 0
    let allDone: () => void = () => undefined
    const done = new Promise<void>((resolve) => (allDone = resolve))
    engine.router.subscribe((message: EventMessage) => {
      if (message.event !== 'job.updated') return
      const t = times.get(message.data.id)
      if (!t || t.finished !== undefined) return
      const { status, imageIds } = message.data
      if (status === 'running') t.claimed ??= now()
      if (imageIds.length > 0) t.recorded ??= now()
      if (status === 'succeeded' || status === 'failed' || status === 'canceled' || status === 'interrupted') {
        t.finished = now()
        if (status !== 'succeeded') failed++
        if (++finished === ids.length) allDone()
      }
    })

    const serverCpuBefore = await serverCpuMs(server.baseUrl)
    let gcPauseMs = 0
    let majorGcs = 0
    const gcs = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gcPauseMs += entry.duration
        if (((entry as { detail?: { kind?: number } }).detail)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++
      }
    })
    gcs.observe({ entryTypes: ['gc'] })
    const threadsBefore = readThreadCpu()
    const cpuBefore = process.cpuUsage()
    t0 = performance.now()
    if (!engine.startQueue()) throw new Error('another process holds the runner lock of the temp library')
    await within(done, 600_000, `the ${QUEUE_JOBS} queue jobs`)
    const cpuUsed = process.cpuUsage(cpuBefore)
    const threadCpuMs = threadCpuSince(threadsBefore)
    gcs.disconnect()
    const serverCpu = (await serverCpuMs(server.baseUrl)) - serverCpuBefore
    const jobs = ids.map((id) => {
      const t = times.get(id)!
      const call = sentAt.get(promptOf.get(id)!)
      return { claimed: t.claimed ?? NaN, sent: call?.sent ?? NaN, answered: call?.answered ?? NaN, recorded: t.recorded ?? NaN, finished: t.finished ?? NaN }
    })
    const finishes = jobs.map((j) => j.finished).sort((a, b) => a - b)
    const replies = jobs.map((j) => j.answered).sort((a, b) => a - b)
    const byClaim = [...jobs].sort((a, b) => a.claimed - b.claimed)
    // A slot frees when a reply has been read, so a freed slot's wait is measured from the reply.
    const gapMs = byClaim.slice(QUEUE_CONCURRENCY).map((j) => {
      const before = replies.filter((f) => f <= j.claimed)
      return before.length > 0 ? j.claimed - before.at(-1)! : NaN
    })
    return {
      image: c.image,
      makespanMs: Math.max(...finishes),
      firstClaimMs: byClaim[0]!.claimed,
      failed,
      toSendMs: jobs.map((j) => j.sent - j.claimed),
      httpMs: jobs.map((j) => j.answered - j.sent),
      storeMs: jobs.map((j) => j.recorded - j.answered),
      finishMs: jobs.map((j) => j.finished - j.recorded),
      jobMs: jobs.map((j) => j.finished - j.claimed),
      gapMs: gapMs.filter(Number.isFinite),
      lastReplyMs: replies.at(-1)!,
      pumpReadMs,
      replyBytes: server.replyBytes,
      engineCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      serverCpuMs: serverCpu,
      threadCpuMs,
      gcPauseMs,
      majorGcs,
    }
  } finally {
    await engine.close()
    server.stop()
    rmSync(home, { recursive: true, force: true })
  }
}

const seconds = (x: number): string => (x / 1000).toFixed(2)
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`

export const queueBenchmark: Benchmark = {
  name: 'queue',
  title: `Queue: ${QUEUE_JOBS} jobs at concurrency ${QUEUE_CONCURRENCY} against ${QUEUE_LATENCY_MS} ms latency`,
  async run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
    const runs = new Map<Case, QueueRun[]>(CASES.map((c) => [c, []]))
    const cores = availableParallelism()
    const floorHome = mkdtempSync(join(tmpdir(), 'proofsheet-bench-queue-floor-'))
    const unavoidable = new Map<Case, number>()
    try {
      for (const c of CASES) unavoidable.set(c, await unavoidableCpuMs(c.image, floorHome))
    } finally {
      rmSync(floorHome, { recursive: true, force: true })
    }
    // The least the batch can take on these cores: every reply's unavoidable CPU plus the bench
    // server's own (it shares the machine), spread over every core; never less than the ideal.
    const limitMs = (c: Case, run: QueueRun): number => Math.max(IDEAL_MS, (unavoidable.get(c)! * QUEUE_JOBS + run.serverCpuMs) / cores)
    for (let r = 1; r <= repeats; r++) {
      for (const c of CASES) {
        const run = await measure(c)
        if (run.failed > 0) throw new Error(`queue ${c.image}: ${run.failed} jobs did not succeed`)
        runs.get(c)!.push(run)
        log(`queue ${c.image} run ${r}/${repeats}: makespan ${seconds(run.makespanMs)} s (ideal ${seconds(IDEAL_MS)} s)`)
      }
    }
    // Issue 15: one split job against as many single jobs, side by side in each run.
    const fanOut: FanOutRun[] = []
    for (let r = 1; r <= repeats; r++) {
      const run = await measureFanOut()
      fanOut.push(run)
      log(`queue fan-out run ${r}/${repeats}: n=${FAN_OUT_IMAGES} ${seconds(run.splitMs)} s, ${FAN_OUT_IMAGES} x n=1 ${seconds(run.singlesMs)} s`)
    }
    const syncFanOut: SyncFanOutRun[] = []
    for (let r = 1; r <= repeats; r++) {
      const run = await measureSyncFanOut()
      syncFanOut.push(run)
      log(`queue sync fan-out run ${r}/${repeats}: GetToken n=${FAN_OUT_IMAGES} ${seconds(run.splitMs)} s, ${FAN_OUT_IMAGES} x n=1 ${seconds(run.singlesMs)} s`)
    }
    const syncTypical = [...syncFanOut].sort((a, b) => a.splitMs / a.singlesMs - b.splitMs / b.singlesMs)[Math.floor((syncFanOut.length - 1) / 2)]!
    const syncRatio = syncTypical.splitMs / syncTypical.singlesMs
    const fanOutTypical = [...fanOut].sort((a, b) => a.splitMs / a.singlesMs - b.splitMs / b.singlesMs)[Math.floor((fanOut.length - 1) / 2)]!
    const fanOutRatio = fanOutTypical.splitMs / fanOutTypical.singlesMs
    // A goal is met only if every run met it; each run's figure is printed beside the verdict.
    const ratios = (xs: { splitMs: number; singlesMs: number }[]): number[] => xs.map((x) => x.splitMs / x.singlesMs)
    const within10 = (xs: number[]): string => `${xs.every((x) => x <= 1.1) ? 'MET' : 'MISSED'} within 10% on every run: ${xs.map((x) => x.toFixed(2)).join(', ')}`
    const makespanMet = (c: Case): boolean => runs.get(c)!.every((r) => r.makespanMs <= IDEAL_MS * GOAL_RATIO)
    const makespanRuns = (c: Case): string => runs.get(c)!.map((r) => `${(r.makespanMs / IDEAL_MS).toFixed(2)}x`).join(', ')
    // The run with the median makespan stands for its case, so its breakdown adds up to its makespan.
    const typical = (c: Case): QueueRun => {
      const sorted = [...runs.get(c)!].sort((a, b) => a.makespanMs - b.makespanMs)
      return sorted[Math.floor((sorted.length - 1) / 2)]!
    }
    const rows = CASES.map((c) => {
      const run = typical(c)
      const all = runs.get(c)!.map((x) => x.makespanMs)
      return [
        c.image,
        `${seconds(run.makespanMs)} (${seconds(Math.min(...all))}-${seconds(Math.max(...all))})`,
        pct(run.makespanMs / IDEAL_MS - 1),
        makespanMet(c) ? 'MET' : 'MISSED',
        `${seconds(run.engineCpuMs)} + ${seconds(run.serverCpuMs)}`,
        ms(unavoidable.get(c)!),
        `${seconds(limitMs(c, run))} (${(limitMs(c, run) / IDEAL_MS).toFixed(2)}x)`,
        ms(run.firstClaimMs),
        `${ms(median(run.toSendMs))} / ${ms(p95(run.toSendMs))}`,
        `${ms(median(run.httpMs))} / ${ms(p95(run.httpMs))}`,
        `${ms(median(run.storeMs))} / ${ms(p95(run.storeMs))}`,
        `${ms(median(run.finishMs))} / ${ms(p95(run.finishMs))}`,
        `${ms(median(run.gapMs))} / ${ms(p95(run.gapMs))}`,
        c.why,
      ]
    })
    const verdict = (c: Case): string => {
      const run = typical(c)
      const extra = run.makespanMs - IDEAL_MS
      const tail = run.makespanMs - run.lastReplyMs
      const limit = limitMs(c, run)
      const reach =
        makespanMet(c)
          ? ''
          : limit > IDEAL_MS * GOAL_RATIO
            ? ` Out of reach on ${cores} cores: the physical limit is ${seconds(limit)} s (${(limit / IDEAL_MS).toFixed(2)}x the ideal), from ${ms(unavoidable.get(c)!)} ms of unavoidable CPU per reply (base64 decode, the thumbnail's decode, sha256, the original's durable write) x ${QUEUE_JOBS} plus the bench server's ${seconds(run.serverCpuMs)} s, over ${cores} cores.`
            : ` The physical limit is ${seconds(limit)} s (${(limit / IDEAL_MS).toFixed(2)}x the ideal): ${seconds(run.makespanMs - limit)} s over it.`
      return `${makespanMet(c) ? 'MET' : 'MISSED'} with the ${c.image} image (every run: ${makespanRuns(c)}): the median run ${seconds(run.makespanMs)} s, ${pct(extra / IDEAL_MS)} over the ideal; the last reply arrived at ${seconds(run.lastReplyMs)} s (${pct(run.lastReplyMs / IDEAL_MS - 1)}) and the last image was recorded ${ms(tail)} ms after it. The run's CPU: engine ${seconds(run.engineCpuMs)} s + bench server ${seconds(run.serverCpuMs)} s = ${seconds((run.engineCpuMs + run.serverCpuMs) / cores)} s over ${cores} cores.${reach}`
    }
    // The scheduler's own share per slot: the first pump, then per job the claim-to-send time.
    const ownMs = (run: QueueRun): number => run.firstClaimMs + ROUNDS * mean(run.toSendMs)
    // Per slot: from each reply's headers to the slot's next claim (reading the body, then the pump).
    const turnMs = (run: QueueRun): number => (ROUNDS - 1) * mean(run.gapMs)
    // Which threads the engine's CPU went to: where the cost over the unavoidable work lives.
    const byThread = (run: QueueRun): string => {
      const t = run.threadCpuMs
      if (t.main === undefined) return ''
      const part = (group: ThreadGroup, what: string): string => `${what} ${seconds(t[group] ?? 0)} s`
      return ` Its ${seconds(run.engineCpuMs)} s of engine CPU by thread: ${part('main', 'the main thread')} (of which V8's pauses ${seconds(run.gcPauseMs)} s, ${run.majorGcs} full collections), ${part('libvips', 'libvips')}, ${part('libuv pool', "libuv's pool")}, ${part('V8 helpers', "V8's helper threads")}${(t.other ?? 0) > 50 ? `, ${part('other', 'other')}` : ''}; the unavoidable work alone is ${seconds(unavoidable.get(CASES.find((x) => x.image === run.image)!)! * QUEUE_JOBS)} s.`
    }
    const why = (c: Case): string => {
      const run = typical(c)
      return `${c.image}: the queue's own share (first pump, rate limiter and call set-up) is ${ms(ownMs(run))} ms per slot (${pct(ownMs(run) / IDEAL_MS)} of the ideal); reading each reply's body and handing the slot on adds ${ms(turnMs(run))} ms per slot (${pct(turnMs(run) / IDEAL_MS)}), HTTP beyond the ${QUEUE_LATENCY_MS} ms ${ms(ROUNDS * (mean(run.httpMs) - QUEUE_LATENCY_MS))} ms; a reply takes ${ms(median(run.storeMs))} ms (median) from its headers to its image recorded, and the last image lands ${ms(run.makespanMs - run.lastReplyMs)} ms after the last reply.${byThread(run)}`
    }
    // Under 2% of the ideal the scheduler is not the thing to fix, whatever the verdict.
    const queueIsCheap = CASES.every((c) => ownMs(typical(c)) < IDEAL_MS * 0.02)
    return {
      summary: [
        `Goal "makespan within ${GOAL_RATIO}x the ideal ${seconds(IDEAL_MS)} s" (${ROUNDS} rounds x ${QUEUE_LATENCY_MS} ms):`,
        ...CASES.map(verdict),
        `Fan-out (goal 1.0x): a ToAPIs job of n=${FAN_OUT_IMAGES} took ${seconds(fanOutTypical.splitMs)} s against ${seconds(fanOutTypical.singlesMs)} s for ${FAN_OUT_IMAGES} jobs of n=1, ${fanOutRatio.toFixed(2)}x (${within10(ratios(fanOut))}); ${fanOutTypical.submittedBeforeFirstImage} of its ${FAN_OUT_IMAGES} tasks were submitted before its first image was fetched (${FAN_OUT_IMAGES}: side by side; 1: one task after another).`,
        `Sync fan-out (goal 1.0x): a GetToken job of n=${FAN_OUT_IMAGES} took ${seconds(syncTypical.splitMs)} s against ${seconds(syncTypical.singlesMs)} s for ${FAN_OUT_IMAGES} jobs of n=1, ${syncRatio.toFixed(2)}x (${within10(ratios(syncFanOut))}); at most ${syncTypical.splitPeakInFlight} of its calls were at the server at once (2, GetToken's concurrency: side by side; 1: one after another).`,
        `The pump reads every queued row (up to 500) on each wake-up, one wake-up per finished job: ${ms(typical(CASES[0]!).pumpReadMs)} ms per read with ${QUEUE_JOBS} queued, so about ${ms((typical(CASES[0]!).pumpReadMs * QUEUE_JOBS) / 2)} ms of main-thread time over the batch (the queue shrinks as it runs); it grows with the number of jobs times the queue's length, up to 500 rows.`,
        `Why: ${CASES.map(why).join(' ')} Storing does not hold a provider slot: a job gives it back once its reply is read, and at most 4 images are stored at once, so storing runs beside the next requests and only what it cannot keep up with shows as a tail after the last reply. What is left over the ideal is CPU: reading a 4.2 MB base64 body, decoding, thumbnailing and hashing each image (see the per-image section), and the server in its own process encoding the replies, all on ${cpus().length} cores${queueIsCheap ? '; the idle poll, the pump\'s wake-ups and the rate limiter are not where the time goes' : '; the queue\'s own share is over 2% of the ideal: look at the idle gaps and claim-to-send times'}.`,
      ],
      table: {
        head: [
          'Reply image',
          'Makespan s (range)',
          'Over ideal',
          'Goal',
          'CPU s engine + server',
          'Unavoidable CPU per reply ms',
          'Physical limit s (x ideal)',
          'First claim ms',
          'Claim to send ms (median / p95)',
          'HTTP ms',
          'Reply to recorded ms',
          'Recorded to finished ms',
          'Idle gap ms',
          'Why',
        ],
        rows,
      },
      notes: [
        `Makespan of the median of ${repeats} run(s) per row (range over all runs), from engine.startQueue() to the last job's final job.updated event; the per-job columns are the median / 95th percentile over the ${QUEUE_JOBS} jobs of that run. The queue's own share multiplies each per-job mean by the ${ROUNDS} jobs a slot runs one after another.`,
        `"CPU s engine + server": process.cpuUsage() of this process (the engine, every thread: libvips, the thread pool) and of the bench server's process over the run. "Unavoidable CPU per reply": measured before the runs, one reply at a time in this process (median of 5): Buffer.from of the reply's base64, sharp's thumbnail (the one decode), sha256 and the original's write with fsync; the engine's per-image work cannot be less. "Physical limit": that x ${QUEUE_JOBS} plus the server's CPU, over the ${availableParallelism()} cores, or the ideal if longer: no scheduler can finish sooner on this machine.`,
        `"First claim" is startQueue() to the first job running (the orphan sweep of the empty library, then the first pump). "Claim to send": the job row says running until the request leaves (rate limiter, no cap here; secret lookup from the environment). "HTTP": request sent until reply headers (the server waits ${QUEUE_LATENCY_MS} ms). "Reply to recorded": the streaming base64 read of the body, the media store's writeImage (decode check, sha256, original and thumbnail written with fsync) and the image row in SQLite. "Idle gap": for each job after the first round, its claim minus the latest reply headers before it: reading that reply's body (a slot frees once the body is read), then the pump's wake-up.`,
        `Fan-out: the median-ratio run of ${repeats}; each side in a fresh engine and temp library against the provider test server's ToAPIs (test/provider-server) in this process, a task taking ${FAN_OUT_TASK_MS / 1000} s as ToAPIs' advised polling sees it (first look at 2 s, then every 3 s, completed at the third look), the built-in ToAPIs profile (one image per task, concurrency 4). Each side is timed from engine.startQueue() to its last job's final job.updated event. Runs: ${fanOut.map((f) => `${seconds(f.splitMs)} / ${seconds(f.singlesMs)} s`).join(', ')}.`,
        `Sync fan-out: the median-ratio run of ${repeats}, measured as the ToAPIs fan-out but against the provider test server's GetToken (OpenAI-style sync calls), every reply held ${SYNC_CALL_MS / 1000} s at the server (GetToken documents about 45 s; scaled down), the built-in GetToken profile (one image per call, concurrency 2): both sides take two rounds of calls when a job's calls overlap. Runs: ${syncFanOut.map((f) => `${seconds(f.splitMs)} / ${seconds(f.singlesMs)} s`).join(', ')}.`,
        `Setup: ${QUEUE_JOBS} jobs queued with jobs.generate before the clock starts, one image each, a custom OpenAI-compatible profile with concurrency ${QUEUE_CONCURRENCY} and no request-rate cap, the engine's default idle poll of 2 s (the queue wakes on every job finish, not on the poll). Server: bench/fake-openai-server.ts in its own process. Library on the OS temp folder.`,
      ],
      raw: { cases: CASES.map((c) => ({ case: c, runs: runs.get(c) })), fanOut, syncFanOut },
    }
  },
}
