import { ApiError, type Input, type Output as Out, type RouteName } from '../shared/api'
import { createEngine, defaultLibraryHome, echoToConsole, openDoorLog, type Engine } from '../main/core'
import { CliError, EXIT_BAD_INPUT, fromApiError } from './cli-error'
import { flagFor } from './flag-names'
import type { Output } from './output'
import { cliFix } from './remedy-words'

/** What every command gets: the library's engine (opened on first use), output, environment. */
export class CliContext {
  private engine: Engine | null = null

  constructor(
    readonly home: string,
    readonly out: Output,
    readonly env: Record<string, string | undefined>,
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown },
    readonly signal: AbortSignal,
  ) {}

  static homeFrom(flag: string | undefined, env: Record<string, string | undefined>): string {
    if (flag === '') throw new CliError('--home is empty.', 'Pass a folder: --home ~/Pictures/proofsheet')
    return flag ?? defaultLibraryHome(env)
  }

  async open(): Promise<Engine> {
    if (!this.engine) {
      try {
        // The command line is the user's own shell: --ref and --mask may name any file they can read.
        // The engine's warnings go to cli.log (redacted) and, as before, to the console.
        const log = openDoorLog({ fileName: 'cli.log', env: this.env, echo: echoToConsole })
        this.engine = await createEngine({ home: this.home, env: this.env, localReferencePaths: 'any', log })
      } catch (err) {
        // A library that cannot be opened (damaged, foreign, newer, read-only) is a bad --home: exit 2.
        if (err instanceof ApiError) throw new CliError(err.message, cliFix(err), EXIT_BAD_INPUT, err.field === 'home' ? '--home' : flagFor(err.field))
        throw err
      }
    }
    return this.engine
  }

  /** A contract call; an error result becomes a CliError with the flag named. */
  async call<N extends RouteName>(name: N, input: Input<N>): Promise<Out<N>> {
    const engine = await this.open()
    const result = await engine.router.handle(name, input)
    if (!result.ok) throw fromApiError(result.error)
    return result.value as Out<N>
  }

  /** Lets jobs this process started finish (a paid call must not be cut off by `--wait` ending). */
  async close(): Promise<void> {
    await this.engine?.close({ drain: !this.signal.aborted })
    this.engine = null
  }
}
