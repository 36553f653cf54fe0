/**
 * The real `proofsheet` command in a process of its own (Node + tsx, no npm in between), as a
 * script runs it: stdin given, stdout and stderr collected, and a handle to kill it mid-run.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

export interface CliProcessRun {
  args: string[]
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliProcess {
  /** Filled in as the process writes; complete once `done` resolves. */
  run: CliProcessRun
  done: Promise<CliProcessRun>
  kill(signal?: NodeJS.Signals): void
}

export interface CliProcessOptions {
  stdin?: string
  /** Added to this process's environment (which carries the test D-Bus session). */
  env?: Record<string, string>
  /** Node flags before the entry point, e.g. ['--import', fixture]. */
  nodeArgs?: string[]
  /** Variables taken out of the environment, e.g. DBUS_SESSION_BUS_ADDRESS for a machine with no keyring. */
  unset?: string[]
}

export function startCli(args: string[], opts: CliProcessOptions = {}): CliProcess {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries({ ...process.env, ...opts.env }).filter(([name]) => !opts.unset?.includes(name))),
  })
  const run: CliProcessRun = { args, code: null, signal: null, stdout: '', stderr: '' }
  child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()))
  child.stdin.end(opts.stdin ?? '')
  const done = new Promise<CliProcessRun>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(Object.assign(run, { code, signal })))
  })
  return { run, done, kill: (signal = 'SIGKILL') => child.kill(signal) }
}
