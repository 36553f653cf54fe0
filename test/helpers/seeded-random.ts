/**
 * Reproducible randomness for tests that explore many orderings (the crash test, the fault storm):
 * one seed, printed by the test, replays the same choices. mulberry32, small and good enough for
 * choosing. Timing still varies between runs; the choices drawn from the seed do not.
 */
export interface SeededRandom {
  readonly seed: number
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  /** A copy in random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[]
}

/** The seed from `env[name]` when set (to replay a failure), else a fresh one. */
export function seedFrom(env: Record<string, string | undefined>, name: string): number {
  const given = env[name]
  if (given !== undefined && given !== '') {
    const seed = Number(given)
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`${name}="${given}" is not a seed (an integer 0..4294967295)`)
    return seed
  }
  return Math.floor(Math.random() * 0x100000000)
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000
  }
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)]!
    },
    shuffled: (items) => {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    },
  }
}
