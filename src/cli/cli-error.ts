import type { ApiErrorData } from '../shared/api'
import { flagFor } from './flag-names'
import { cliFix } from './remedy-words'

/** Exit codes of the command-line contract (docs/design.md). */
export const EXIT_OK = 0
export const EXIT_JOBS_FAILED = 1
export const EXIT_BAD_INPUT = 2

/** An error the CLI reports and exits on; `field` is shown as the flag the user typed. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly fix: string | undefined,
    readonly exitCode: number = EXIT_BAD_INPUT,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export function fromApiError(error: ApiErrorData): CliError {
  // A damaged library database (field `library`) is a --home to restore, like one refused at open.
  const exit = error.code === 'bad_input' || error.code === 'not_found' || error.code === 'conflict' || error.field === 'library' ? EXIT_BAD_INPUT : EXIT_JOBS_FAILED
  const flag = flagFor(error.field)
  // zod messages start with the field path ("sizes.0: ..."); show the flag instead.
  const message = flag && error.field ? error.message.replace(new RegExp(`^${escape(error.field)}(\\.[\\w.]+)?: `), `${flag}: `) : error.message
  return new CliError(message, cliFix(error), exit, flag)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
