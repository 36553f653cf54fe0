import { z } from 'zod'
import { onFirstUse } from './on-first-use'

/**
 * What to do about an error, as a code with its parameters rather than words. The engine serves
 * the app and the command line alike, so it may not say "--key" or "Settings → Keys": each door
 * words a remedy with its own controls (src/cli/remedy-words.ts, the renderer's
 * ui/format/remedy-words.ts). `neutralFix` gives the words for everyone else (stored job errors,
 * batch previews, logs) and names no control of either.
 *
 * A fix that needs no control ("Shorten the prompt.") stays plain text in the error's `fix`.
 */

/** Why the library folder or its database cannot be used. */
export const LibraryProblem = onFirstUse(() => z.enum([
  // The disk or folder cannot take writes; the same codes pause the queue.
  'disk_full',
  'read_only',
  'not_writable',
  'damaged',
  // Found when opening: the file is not a library this version can use.
  'empty_file',
  'not_a_library',
  'newer_version',
  // The library folder itself.
  'not_a_folder',
  'cannot_create',
]))
export type LibraryProblem = z.infer<typeof LibraryProblem>

export const Remedy = onFirstUse(() => z.discriminatedUnion('code', [
  /** The provider needs a key and none is stored. */
  z.object({ code: z.literal('add_key'), provider: z.string() }),
  /** Several keys are stored: say which one. */
  z.object({ code: z.literal('choose_key'), provider: z.string(), labels: z.array(z.string()) }),
  /** A stored key only goes to the host it was stored for; this one is for another. `perJob`: the host is this job's own base URL. */
  z.object({ code: z.literal('key_for_host'), provider: z.string(), host: z.string(), perJob: z.boolean() }),
  /** A profile's new base URL left these stored keys behind. */
  z.object({ code: z.literal('reenter_keys'), provider: z.string(), labels: z.array(z.string()) }),
  /** A base URL carried user:password@; keys are given apart from the URL. */
  z.object({ code: z.literal('key_apart_from_url') }),
  /** A job names an environment variable for its key and this process does not have it. */
  z.object({ code: z.literal('set_key_env'), env: z.string() }),
  /** The provider takes sizes of the other kind (aspect ratio and tier, or pixels). */
  z.object({ code: z.literal('size_kind'), takes: z.enum(['aspect', 'pixels']), examples: z.array(z.string()) }),
  /** The window may only name references stored in the library, or https links. */
  z.object({ code: z.literal('stored_reference'), field: z.enum(['refs', 'mask']) }),
  /** The library folder or database: `then` is what to do once it is fixed. */
  z.object({ code: z.literal('library'), problem: LibraryProblem, then: z.enum(['resume', 'try_again']).optional() }),
  /** An id that names nothing in this library. */
  z.object({ code: z.literal('known_id'), of: z.enum(['job', 'batch']) }),
  /** A file that is not a templates file exported from Proofsheet. */
  z.object({ code: z.literal('templates_file') }),
  /** A value its field's own check refused (the message says how); each door names the field its way. */
  z.object({ code: z.literal('correct_field'), field: z.string() }),
  /** No OS keychain can keep a key past this process (a door that ends with its command refuses to store it). */
  z.object({ code: z.literal('keychain_needed'), provider: z.string() }),
]))
export type Remedy = z.infer<typeof Remedy>
export type RemedyCode = Remedy['code']

/**
 * The part of a library fix that is the same at every door; what comes after it ("then resume",
 * "or choose another folder") is each door's own.
 */
export function libraryAction(problem: LibraryProblem): string {
  switch (problem) {
    case 'disk_full':
      return 'Free some space on that disk'
    case 'read_only':
      return 'Make the disk writable again (remount it, or unlock the card)'
    case 'not_writable':
      return 'Give your user write permission on that folder'
    case 'damaged':
      // Never "delete": the damaged file is the last copy of the library until a backup is back.
      return 'Close Proofsheet, move library.sqlite aside (keep it) and put the library.sqlite from your latest backup in its place, then start again'
    case 'empty_file':
      return 'Copy the library again, or delete the empty file to start a new library there'
    case 'not_a_library':
      return 'Move the file aside'
    case 'newer_version':
      return 'Update Proofsheet'
    case 'not_a_folder':
      return 'Name a folder for the library, or a path that does not exist yet'
    case 'cannot_create':
      return 'Name a library folder you can write to'
  }
}

/** Whether the problem is one the person fixes and then carries on with the same library. */
function carriesOn(problem: LibraryProblem): boolean {
  return problem === 'disk_full' || problem === 'read_only' || problem === 'not_writable'
}

/** "a", "a, b" or "a, b and c" with each name quoted. */
export function quotedList(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`)
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`
}

/** The remedy in words that name no control of any door. */
export function neutralFix(remedy: Remedy): string {
  switch (remedy.code) {
    case 'add_key':
      return `Store an API key for ${remedy.provider}, or give one from an environment variable.`
    case 'choose_key':
      return `Say which key to use: ${quotedList(remedy.labels)}.`
    case 'key_for_host':
      return `Give the key for ${remedy.host} from an environment variable, or store a key for it: set the provider's base URL to it, then enter the key again.`
    case 'reenter_keys':
      return 'Enter the key again for the new address, or give one from an environment variable.'
    case 'key_apart_from_url':
      return 'Remove the user name and password (user:pass@) from the base URL, and give the API key as a key instead.'
    case 'set_key_env':
      return `Set ${remedy.env} to the API key, then run the queue again.`
    case 'size_kind':
      return remedy.takes === 'aspect'
        ? `Choose an aspect ratio and a resolution, e.g. ${remedy.examples.join('; ')}.`
        : `Choose a pixel size (WxH), e.g. ${remedy.examples.join(', ')}.`
    case 'stored_reference':
      return remedy.field === 'mask' ? 'Add the mask to the library first.' : 'Add the image to the library first, or use its https link.'
    case 'library': {
      const then = libraryThen(remedy)
      return `${libraryAction(remedy.problem)}${then === 'resume' ? ', then resume the queue' : then === 'try_again' ? ', then try again' : ''}.`
    }
    case 'known_id':
      return remedy.of === 'job' ? 'Use the id of a job in this library.' : 'Use the id of a batch in this library.'
    case 'templates_file':
      return 'Choose a templates file exported from Proofsheet.'
    case 'keychain_needed':
      return `Give the ${remedy.provider} key from an environment variable, or make an OS keychain (keyring) available and store the key again.`
    case 'correct_field':
      return `Correct "${remedy.field}" and try again.`
  }
}

/**
 * For each door's wording: what follows a library fix, or null. Only a disk or folder that was
 * fixed carries on; a damaged or foreign file is replaced, and what then happens is a new start.
 */
export function libraryThen(remedy: Extract<Remedy, { code: 'library' }>): 'resume' | 'try_again' | null {
  return carriesOn(remedy.problem) ? (remedy.then ?? null) : null
}
