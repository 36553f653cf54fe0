/**
 * Calls the engine's router the way an open window does while work runs (queue state, a gallery
 * page, a cost preview) and watches the event loop. It records; the storm decides what to assert.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Engine } from '../../../src/main/core/engine'

export interface ProbeCall {
  name: string
  input: unknown
}

export interface ProbeReport {
  calls: number
  failures: string[]
  /** Milliseconds per router call. */
  slowestMs: number
  p50Ms: number
  p99Ms: number
  /** Event-loop delay over the run, in milliseconds. */
  loop: { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number }
}

export interface Probe {
  stop(): Promise<ProbeReport>
}

export function startProbe(engine: Engine, calls: readonly ProbeCall[], everyMs: number): Probe {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const durations: number[] = []
  const failures: string[] = []
  let running = true
  const done = (async () => {
    while (running) {
      for (const { name, input } of calls) {
        const started = performance.now()
        try {
          const result = await engine.router.handle(name, input)
          if (!result.ok) failures.push(`${name}: ${result.error.code} ${result.error.message}`)
        } catch (err) {
          failures.push(`${name} threw: ${(err as Error).message}`)
        }
        durations.push(performance.now() - started)
      }
      await new Promise((r) => setTimeout(r, everyMs))
    }
  })()
  return {
    async stop() {
      running = false
      await done
      loop.disable()
      const sorted = [...durations].sort((a, b) => a - b)
      const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0)
      const ms = (ns: number) => round(ns / 1e6)
      return {
        calls: durations.length,
        failures,
        slowestMs: round(sorted.at(-1) ?? 0),
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        loop: { meanMs: ms(loop.mean), p50Ms: ms(loop.percentile(50)), p99Ms: ms(loop.percentile(99)), maxMs: ms(loop.max) },
      }
    },
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
