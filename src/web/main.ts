import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ApiError } from '../shared/api/errors'
import { createEngine, defaultConfigFolder, echoToConsole, logUncaught, openDoorLog, openLibraryHost, RecentLibraries, recentLibrariesFile, startLibraryHome } from '../main/core'
import { startBridge, type Bridge } from './bridge-server'

/**
 * `npm run web -- [--home DIR] [--port N] [--demo-delay MS]`: the engine plus the browser bridge,
 * serving the built renderer. The URL (with its token) is always the last line printed, so
 * scripts and tests can read it; nothing may be printed to stdout after it.
 */

const USAGE = 'Usage: npm run web -- [--home DIR] [--port N] [--demo-delay MS]'
const STATIC_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

class UsageError extends Error {}

interface WebOptions {
  /** From --home; absent: PROOFSHEET_HOME, the library opened last, or the default. */
  home: string | undefined
  port: number
  demoDelayMs: number | undefined
}

function wholeNumber(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value > max) {
    throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, got "${text}".`)
  }
  return value
}

function parseOptions(argv: string[]): WebOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        home: { type: 'string' },
        port: { type: 'string' },
        'demo-delay': { type: 'string' },
      },
    }))
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err)
    const flag = /'(--?[\w-]+)/.exec(text)?.[1] ?? 'given'
    const code = (err as { code?: string }).code
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Unknown flag ${flag}.`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`Flag ${flag} needs a value.`)
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']*)'/.exec(text)?.[1] ?? ''
      throw new UsageError(`Unexpected argument "${arg}"; every option is a --flag (e.g. --home DIR).`)
    }
    throw new UsageError(text)
  }
  if (values.home === '') throw new UsageError('--home must name a folder.')
  return {
    home: values.home === undefined ? undefined : resolve(values.home),
    port: wholeNumber('port', values.port, 65535) ?? 0,
    demoDelayMs: wholeNumber('demo-delay', values['demo-delay'], 600_000),
  }
}

async function main(): Promise<void> {
  let options: WebOptions
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`proofsheet web: ${err.message}\n${USAGE}\n`)
    process.exit(2)
  }
  if (!existsSync(resolve(STATIC_DIR, 'index.html'))) {
    process.stderr.write(`proofsheet web: the renderer is not built (${STATIC_DIR} has no index.html); run npm run build.\n`)
    process.exit(1)
  }

  let engine: { close(): Promise<void> } | null = null
  let bridge: Bridge | null = null
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stderr.write(`proofsheet web: ${signal}, shutting down\n`)
    void (async () => {
      await bridge?.close()
      await engine?.close()
      process.exit(0)
    })()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  // Only now, after the flags were read, so a usage error is reported without opening a database.
  const log = openDoorLog({ fileName: 'web.log', echo: echoToConsole })
  logUncaught(log)
  // The library can be switched from Settings: the host owns the engine, the bridge asks it each time.
  const recent = new RecentLibraries(recentLibrariesFile(defaultConfigFolder()))
  const host = await openLibraryHost({
    home: startLibraryHome({ flag: options.home, lastOpened: recent.lastOpened() }),
    recent,
    runQueue: true,
    openEngine: (home, library) =>
      createEngine({ home, library, log, ...(options.demoDelayMs !== undefined ? { demoDelayMs: options.demoDelayMs } : {}) }),
  })
  engine = host
  bridge = await startBridge({ router: host.router, home: host.home, port: options.port, staticDir: STATIC_DIR })

  process.stdout.write(
    [
      'Proofsheet browser mode (development and tests; loopback only)',
      `  library  ${host.home()}`,
      `  port     ${bridge.port}`,
      'Open this URL; it carries the access token, so keep it to yourself. Ctrl+C stops.',
      bridge.url,
    ].join('\n') + '\n',
  )
}

main().catch((err: unknown) => {
  // A library folder that cannot be used (damaged, foreign, newer, read-only) is bad input: say
  // what and how to fix it, and exit 2 as the CLI does.
  const refused = err instanceof ApiError && err.field === 'home'
  const fix = refused && err.fix ? `fix: ${startupFix(err)}\n` : ''
  process.stderr.write(`proofsheet web: ${err instanceof Error ? err.message : String(err)}\n${fix}`)
  process.exit(refused ? 2 : 1)
})

/** Browser mode's own command line names the library with --home: the way out the engine cannot name. */
function startupFix(err: ApiError): string | undefined {
  return err.remedy?.code === 'library' ? `${err.fix} Or choose another library folder with --home.` : err.fix
}
