/**
 * A child process for the runner-lock race test: it waits for "go ROUND AT_MS DELAY_US" lines on
 * stdin, spins until that moment (so every racer starts together) plus its seeded delay, tries to
 * take the lock once and answers "ROUND won" or "ROUND lost". A won lock is kept, never released:
 * the parent lays a new stale lock for the next round.
 */
import { createInterface } from 'node:readline'
import { acquireRunnerLock } from '../../src/main/core/queue/runner-lock'

const home = process.argv[2]
if (!home) throw new Error('usage: lock-racer.ts HOME')

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [word, round, atMs, delayUs] = line.split(' ')
  if (word !== 'go') return
  const start = Number(atMs)
  while (Date.now() < start) {
    // spin: a timer would wake each racer at a different moment
  }
  const until = process.hrtime.bigint() + BigInt(Number(delayUs) * 1000)
  while (process.hrtime.bigint() < until) {
    // seeded head start or lag for this racer in this round
  }
  let answer: string
  try {
    answer = acquireRunnerLock(home).ok ? 'won' : 'lost'
  } catch (err) {
    answer = `error ${(err as Error).message.replace(/\s+/g, ' ')}`
  }
  process.stdout.write(`${round} ${answer}\n`)
})
lines.on('close', () => process.exit(0))
process.stdout.write('ready\n')
