import { PassThrough } from 'node:stream'
import { runCli } from '../../src/cli/main'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json(): any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read the documented JSON shape
}

/** The CLI's entry point in this process, with captured output and an empty stdin. */
export async function cliInProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  const stdin = new PassThrough()
  stdin.end()
  // runCli takes the global flags out of the array it is given: pass a copy, so a caller can run the same args twice.
  const code = await runCli([...args], { stdout, stderr, stdin, env, signal: new AbortController().signal })
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out) }
}
