import { flagFor } from './flag-names'
import { LibraryProblem, libraryAction, libraryThen, quotedList, type ApiErrorData, type JobView, type QueueState, type Remedy } from '../shared/api'

/** An engine remedy in the command line's words: its flags and commands. */
export function cliRemedy(remedy: Remedy): string {
  switch (remedy.code) {
    case 'add_key':
      return `Add one with "proofsheet keys add ${remedy.provider} --label NAME", or pass --key-env VAR.`
    case 'choose_key':
      return `Pass --key with one of: ${quotedList(remedy.labels)}.`
    case 'key_for_host':
      return remedy.perJob
        ? `Pass the key for ${remedy.host} with --key-env VAR beside --base-url, or leave out --base-url to use the stored key where it was entered.`
        : `Pass the key for ${remedy.host} with --key-env VAR, or store a key for it: run "proofsheet keys add ${remedy.provider}".`
    case 'reenter_keys':
      return `Store the key again with "proofsheet keys add ${remedy.provider}", or pass one with --key-env VAR.`
    case 'key_apart_from_url':
      return 'Remove the user name and password (user:pass@) from --base-url; give the API key with --key or --key-env.'
    case 'set_key_env':
      return `Set ${remedy.env} to the API key, then run "proofsheet run" again.`
    case 'size_kind':
      return remedy.takes === 'aspect' ? `Use --aspect with --resolution, e.g. ${remedy.examples.join('; ')}.` : `Use --size, e.g. ${remedy.examples.join(', ')}.`
    case 'stored_reference':
      return remedy.field === 'mask' ? 'Pass the mask as a local PNG file with --mask.' : 'Pass the image as a local file or an https link with --ref.'
    case 'library': {
      if (remedy.problem === 'not_a_folder') return 'Point --home (or PROOFSHEET_HOME) at a folder, or at a path that does not exist yet.'
      if (remedy.problem === 'cannot_create') return 'Choose a folder you can write to with --home, or set PROOFSHEET_HOME.'
      const then = libraryThen(remedy)
      const next = then === 'resume' ? ', then run "proofsheet run" again' : then === 'try_again' ? ', then try again' : ''
      return `${libraryAction(remedy.problem)}${next}; or choose another library folder with --home.`
    }
    case 'known_id':
      return remedy.of === 'job' ? 'List jobs with "proofsheet queue".' : 'Use a batch id shown by "proofsheet queue".'
    case 'templates_file':
      return 'Pass a templates file exported from Proofsheet with --template.'
    case 'correct_field': {
      const flag = flagFor(remedy.field)!
      return flag === remedy.field ? `Correct "${flag}" and try again.` : `Correct ${flag} and try again.`
    }
    case 'keychain_needed': {
      const env = `${remedy.provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_KEY`
      return `Pass the key to each command with --key-env VAR instead, e.g. export ${env}=...; proofsheet generate --provider ${remedy.provider} --key-env ${env} ... ; or unlock (or install) a keyring and run "proofsheet keys add" again.`
    }
  }
}

/** The fix to print for an engine error: its remedy in flags, else its plain fix. */
export function cliFix(error: Pick<ApiErrorData, 'fix' | 'remedy'>): string | undefined {
  return error.remedy ? cliRemedy(error.remedy) : error.fix
}

/** What to do about a queue that paused itself, in flags: the library fix, then run the queue again. */
export function cliPauseFix(reason: NonNullable<QueueState['pauseReason']>): string {
  return cliRemedy({ code: 'library', problem: reason.code, then: 'resume' })
}

/** Storage codes a job error can carry: the library folder failed, not the provider. */
const LIBRARY_CODES: ReadonlySet<string> = new Set(LibraryProblem.options)

/**
 * The command to run for a failed job where sending it again is a decision about money: the
 * engine's message says what happened and what it may have cost; this says how to act on it.
 */
export function cliJobFix(job: Pick<JobView, 'id' | 'error'>): string | null {
  const error = job.error
  if (!error) return null
  const retry = `"proofsheet retry ${job.id}"`
  if (error.code !== null && LIBRARY_CODES.has(error.code)) {
    const library = cliRemedy({ code: 'library', problem: error.code as LibraryProblem, then: 'resume' })
    return `${library} ${retry} sends this job again only if you still want it: it is bought again.`
  }
  if (error.code === 'task_failed') return `Run ${retry} only if you want to pay for another try.`
  if (error.kind === 'interrupted') return `Check the provider's usage first; ${retry} sends it again as a new, charged request.`
  return null
}
