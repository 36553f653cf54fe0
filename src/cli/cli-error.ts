import type { ApiErrorData } from '../shared/api'
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

/** Engine field names as the flags a user typed, so messages point at the command line. */
const FLAG_FOR_FIELD: Record<string, string> = {
  prompt: '--prompt',
  provider: '--provider',
  sizes: '--size',
  size: '--size',
  resolution: '--resolution',
  aspect: '--aspect',
  format: '--format',
  quality: '--quality',
  background: '--background',
  compression: '--compression',
  n: '--n',
  refs: '--ref',
  mask: '--mask',
  baseUrl: '--base-url',
  partialImages: '--partial-images',
  key: '--key / --key-env',
  'key.keyEnv': '--key-env',
  label: '--label',
  secret: 'the key on stdin',
  home: '--home',
  library: '--home',
  limit: '--limit',
  search: '--search',
  folder: '--out',
  naming: '--naming',
  selection: '--batch / --search / --ids',
  'selection.batchId': '--batch',
  'selection.ids': '--ids',
  outputs: '--format / --size',
}

export function flagFor(field: string | undefined): string | undefined {
  if (!field) return undefined
  return FLAG_FOR_FIELD[field] ?? FLAG_FOR_FIELD[field.split('.')[0] ?? ''] ?? field
}

export function fromApiError(error: ApiErrorData): CliError {
  // A damaged library database (field `library`) is a --home to restore, like one refused at open.
  const exit = error.code === 'bad_input' || error.code === 'not_found' || error.code === 'conflict' || error.field === 'library' ? EXIT_BAD_INPUT : EXIT_JOBS_FAILED
  const flag = flagFor(error.field)
  // zod messages start with the field path ("sizes.0: ..."); show the flag instead.
  const message = flag && error.field ? error.message.replace(new RegExp(`^${escape(error.field)}(\\.[\\w.]+)?: `), `${flag}: `) : error.message
  // The engine's generic fix names its field ("sizes.0.width"); a user typed a flag.
  const fix = cliFix(error)
  const generic = error.field ? `Correct "${error.field}" and try again.` : undefined
  return new CliError(message, flag && fix === generic ? `Correct ${flag} and try again.` : fix, exit, flag)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
