/**
 * The machine's load while a benchmark runs, sampled every second: one figure at the end says
 * nothing about a busy minute in the middle, and a figure measured on a busy machine must say so.
 */
import { loadavg } from 'node:os'
import { median } from './stats'

export interface LoadSummary {
  /** The 1-minute load average: median and range of the samples. */
  median: number
  min: number
  max: number
  samples: number
}

export interface LoadSampler {
  stop(): LoadSummary
}

export function sampleLoad(everyMs = 1000): LoadSampler {
  const samples = [loadavg()[0]!]
  const timer = setInterval(() => samples.push(loadavg()[0]!), everyMs)
  // The sampler must never keep a finished benchmark's process alive.
  timer.unref()
  return {
    stop(): LoadSummary {
      clearInterval(timer)
      samples.push(loadavg()[0]!)
      return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples: samples.length }
    },
  }
}

/** "1.2 (0.9-2.4)": the median and range, for a section's header. */
export function describeLoad(load: LoadSummary): string {
  return `${load.median.toFixed(1)} (${load.min.toFixed(1)}-${load.max.toFixed(1)})`
}
