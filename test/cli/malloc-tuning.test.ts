/**
 * The launchers tune glibc's malloc for the engine's process (bin/malloc-tuning.js): the installed
 * command, `npm run cli` and browser mode replace their own process once with MALLOC_ARENA_MAX and
 * a fixed mmap threshold set, and the relaunched command keeps the caller's stdio, exit code and
 * signals.
 * Every Node start is logged by a --require'd file (through NODE_OPTIONS, which the relaunch keeps),
 * so a test sees how many processes started, under which pid, with which variables.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { commandDoesImageWork, IMAGE_COMMANDS } from '../../bin/malloc-tuning.js'
import { COMMANDS } from '../../src/cli/main'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'
import type { ProviderServer } from '../provider-server'

const ROOT = join(import.meta.dirname, '..', '..')

let server: ProviderServer
useProviderServer((s) => (server = s))

beforeAll(() => {
  // The installed command runs the compiled CLI: built here from the current sources.
  const build = spawnSync(process.execPath, ['scripts/cli-build.mjs'], { cwd: ROOT, encoding: 'utf8' })
  expect(build.status, build.stderr).toBe(0)
})

interface Start {
  pid: number
  arenaMax: string | null
  mmapThreshold: string | null
}

interface Launched {
  pid: number
  starts: () => Start[]
  stdout: () => string
  stderr: () => string
  kill: (signal: NodeJS.Signals) => void
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Runs `node ...nodeArgs` as a shell or script would, with every Node start in it logged. */
function launch(nodeArgs: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Launched {
  const dir = tempDir('proofsheet-malloc-')
  const log = join(dir, 'starts.log')
  const logger = join(dir, 'log-start.cjs')
  writeFileSync(log, '')
  writeFileSync(
    logger,
    // Main threads only: a loader's worker thread (tsx) runs NODE_OPTIONS' --require as well.
    `if (require('node:worker_threads').isMainThread) require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ pid: process.pid, arenaMax: process.env.MALLOC_ARENA_MAX ?? null, mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null }) + '\\n')\n`,
  )
  const { MALLOC_ARENA_MAX: _arenas, MALLOC_MMAP_THRESHOLD_: _mmap, ...env } = process.env
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { ...env, NODE_OPTIONS: `--require ${logger}`, ...options.env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  if (options.stdin !== undefined) child.stdin.end(options.stdin)
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return {
    pid: child.pid!,
    starts: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Start),
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
    done,
  }
}

const proofsheet = (args: string[], options?: { env?: Record<string, string>; stdin?: string }): Launched =>
  launch(['bin/proofsheet.js', ...args], { stdin: '', ...options })

describe('the installed command tunes malloc for its own process', () => {
  it('relaunches a command that handles images once, in the same process, with the variables set, and never over the user\'s own choice', async () => {
    const home = tempDir()
    const run = proofsheet(['--home', home, 'run', '--json'])
    expect(await run.done).toEqual({ code: 0, signal: null })
    expect(run.starts()).toEqual([
      { pid: run.pid, arenaMax: null, mmapThreshold: null },
      { pid: run.pid, arenaMax: '2', mmapThreshold: '1048576' },
    ])
    expect(JSON.parse(run.stdout())).toMatchObject({ jobs: [] })

    // MALLOC_ARENA_MAX already set (by the user, or by an earlier relaunch): one start, value kept.
    const chosen = proofsheet(['run', '--json', '--home', home], { env: { MALLOC_ARENA_MAX: '3' } })
    expect(await chosen.done).toEqual({ code: 0, signal: null })
    expect(chosen.starts()).toEqual([{ pid: chosen.pid, arenaMax: '3', mmapThreshold: null }])
  })

  it('starts a quick command that handles no image once: a second start would cost more than it saves', async () => {
    const run = proofsheet(['providers', '--json', '--home', tempDir()])
    expect(await run.done).toEqual({ code: 0, signal: null })
    expect(run.starts()).toEqual([{ pid: run.pid, arenaMax: null, mmapThreshold: null }])
    expect(JSON.parse(run.stdout()).providers.map((p: { id: string }) => p.id)).toContain('demo')
  })

  it("names only the CLI's own commands as image work, and finds the command after global flags", () => {
    // The launcher cannot import the CLI (it runs before it loads): its list is checked here instead.
    for (const name of IMAGE_COMMANDS) expect(Object.keys(COMMANDS), name).toContain(name)
    expect(commandDoesImageWork(['--home', '/tmp/x', '--json', 'generate'])).toBe(true)
    expect(commandDoesImageWork(['--home', '/tmp/generate', 'providers'])).toBe(false)
    expect(commandDoesImageWork([])).toBe(false)
  })

  it('passes a bad-input exit code and its message through', async () => {
    const run = proofsheet(['generate', '--provider', 'no-such-provider', '--prompt', 'a kettle', '--size', '1024x1024', '--home', tempDir()])
    expect(await run.done).toEqual({ code: 2, signal: null })
    expect(run.starts()).toHaveLength(2)
    expect(run.stderr()).toContain('no-such-provider')
    expect(run.stdout()).toBe('')
  })

  /** A `generate --wait` whose provider call hangs: once the call arrives, the relaunched CLI is at work. */
  async function generateAtWork(): Promise<Launched> {
    server.inject('tokenhub', 'slow', { delayMs: 120_000 })
    const run = proofsheet(
      ['generate', '--wait', '--provider', 'tokenhub', '--base-url', server.baseUrl('tokenhub'), '--key-env', 'TH_KEY', '--prompt', 'a kettle that takes its time', '--size', '1024x1024', '--home', tempDir()],
      { env: { TH_KEY: server.validKey('tokenhub') } },
    )
    await until(() => server.requestsTo('tokenhub').length === 1, 'the provider call arrives')
    expect(run.starts().map((s) => [s.pid, s.arenaMax])).toEqual([
      [run.pid, null],
      [run.pid, '2'],
    ])
    return run
  }

  it("SIGINT to the launched pid reaches the command's own handler (it stops and exits 130)", async () => {
    const run = await generateAtWork()
    run.kill('SIGINT')
    expect(await run.done).toEqual({ code: 130, signal: null })
    expect(run.stderr()).toContain('Stopped.')
  })

  it('SIGTERM to the launched pid ends the command', async () => {
    const run = await generateAtWork()
    run.kill('SIGTERM')
    expect(await run.done).toEqual({ code: null, signal: 'SIGTERM' })
  })
})

describe('the npm scripts that start the engine tune malloc too', () => {
  /** The command npm runs for `script` (after any build step), as Node arguments. */
  function scriptArgs(script: string): string[] {
    const line = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts[script] as string
    const command = line.split('&&').at(-1)!.trim().split(/\s+/)
    expect(command[0]).toBe('node')
    return command.slice(1)
  }

  it.each([
    ['web', ['--bogus'], 2],
    ['cli', ['run', '--json'], 0],
  ])('npm run %s relaunches once with the variables set, and its exit code comes through', async (script, args, code) => {
    const run = launch([...scriptArgs(script), ...args, ...(script === 'cli' ? ['--home', tempDir()] : [])])
    expect(await run.done).toEqual({ code, signal: null })
    if (code === 2) expect(run.stderr()).toContain('--bogus')
    expect(run.starts()).toEqual([
      { pid: run.pid, arenaMax: null, mmapThreshold: null },
      { pid: run.pid, arenaMax: '2', mmapThreshold: '1048576' },
    ])
  })
})
