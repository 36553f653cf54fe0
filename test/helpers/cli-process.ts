/**
 * The real `proofsheet` command as its own operating-system process (TypeScript run through tsx),
 * for tests that must kill it: an in-process CLI cannot be SIGKILLed without taking the test along.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

export interface CliProcess {
  readonly child: ChildProcess
  /** Everything written to stderr so far (progress lines, errors). */
  stderr(): string
  stdout(): string
  /** Resolves when the process is gone, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGKILL, then wait for the exit: no handler runs, no file is closed, as in a power cut. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function spawnCli(args: readonly string[], env: Record<string, string | undefined> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      return exited
    },
  }
}
