/**
 * Security: two runners must never both hold a library's queue lock. Real processes race for a
 * lock left by a dead process, round after round; in each round exactly one may win. Seeded: the
 * delays each racer takes come from PROOFSHEET_LOCK_SEED (printed), so a failing order replays.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { seedFrom, seededRandom } from '../../helpers/seeded-random'
import { tempDir } from '../../helpers/temp-dir'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const RACERS = 4
const ROUNDS = 100

interface Racer {
  child: ChildProcessWithoutNullStreams
  next(): Promise<string>
}

function startRacer(home: string): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lock-racer.ts', home], { cwd: ROOT })
  const pending: string[] = []
  const waiting: ((line: string) => void)[] = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift()
    if (w) w(line)
    else pending.push(line)
  })
  return {
    child,
    next: () => {
      const line = pending.shift()
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve))
    },
  }
}

const racers: Racer[] = []
afterAll(() => {
  for (const r of racers) r.child.kill()
})

describe('runner lock under a real race', () => {
  it('gives a stale (or absent) lock to exactly one of several processes starting together, every round', async () => {
    const seed = seedFrom(process.env, 'PROOFSHEET_LOCK_SEED')
    console.log(`runner lock race seed: ${seed} (PROOFSHEET_LOCK_SEED=${seed} replays its delays)`)
    const random = seededRandom(seed)
    const home = tempDir('proofsheet-lock-race-')
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    for (let i = 0; i < RACERS; i++) racers.push(startRacer(home))
    for (const r of racers) expect(await r.next()).toBe('ready')

    const file = join(home, 'queue.lock')
    const winners: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // Most rounds race for a stale lock (it appears whole, by rename, as a crashed runner's
      // complete lock file would be); some race for a library with no lock at all.
      if (random.next() < 0.75) {
        writeFileSync(`${file}.seed`, JSON.stringify({ pid: dead, host: hostname(), since: round }))
        renameSync(`${file}.seed`, file)
      } else {
        rmSync(file, { force: true })
      }
      const at = Date.now() + 15
      racers.forEach((r) => r.child.stdin.write(`go ${round} ${at} ${random.int(0, 300)}\n`))
      const answers = await Promise.all(racers.map((r) => r.next()))
      const won = answers.filter((a) => a === `${round} won`).length
      expect(answers.filter((a) => !/ (won|lost)$/.test(a))).toEqual([])
      winners.push(won)
    }
    const rounds = winners.map((w, round) => ({ round, w })).filter(({ w }) => w !== 1)
    expect(rounds, `rounds without exactly one winner (seed ${seed})`).toEqual([])
  }, 60_000)
})
