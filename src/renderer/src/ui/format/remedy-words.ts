import { libraryAction, libraryThen, neutralFix, quotedList, type ApiErrorData, type LibraryProblem, type Remedy } from '../../../../shared/api'

/** An engine remedy in the app's words: the controls a designer sees. */
export function appRemedy(remedy: Remedy): string {
  switch (remedy.code) {
    case 'add_key':
      return 'Add a key for it under Settings → Keys.'
    case 'choose_key':
      return `Choose one of its keys in the API key menu: ${quotedList(remedy.labels)}.`
    case 'key_for_host':
      return remedy.perJob
        ? `Leave the base URL empty to use the provider's own, or enter a key for ${remedy.host} under Settings → Keys after pointing the provider there under Settings → Providers.`
        : `Enter the key again for ${remedy.host} under Settings → Keys (Rotate), so it is stored for the provider's new address.`
    case 'reenter_keys':
      return `Enter the key again under Settings → Keys (Rotate ${quotedList(remedy.labels)}), so it is stored for the new address.`
    case 'key_apart_from_url':
      return 'Remove the user name and password (user:pass@) from the base URL, and enter the API key under Settings → Keys.'
    case 'set_key_env':
      return `Set ${remedy.env} to the API key where Proofsheet starts, then press Retry.`
    case 'size_kind':
      return `Choose one of the provider's sizes, e.g. ${remedy.examples.join(remedy.takes === 'aspect' ? '; ' : ', ')}.`
    case 'stored_reference':
      return remedy.field === 'mask' ? 'Add the mask again with its picker under Reference images.' : 'Add the image under Reference images (drop, paste or pick it), or use its https link.'
    case 'library': {
      const then = libraryThen(remedy)
      return `${libraryAction(remedy.problem)}${then === 'resume' ? ', then press Resume all' : then === 'try_again' ? ', then try again' : ''}.`
    }
    case 'known_id':
      return remedy.of === 'job' ? 'The job may have been removed; pick one in the Queue.' : 'The batch may have been removed; pick one in the Queue.'
    case 'templates_file':
      return 'Choose a templates file exported from Proofsheet (Settings → Templates → Export).'
    case 'keychain_needed':
      return 'Unlock or install a keyring (the OS keychain), then add the key again in Settings → Keys to keep it after the app closes.'
    case 'correct_field':
      // The form shows the message beside its field (CustomProfileForm drops this fix then).
      return neutralFix(remedy)
  }
}

/** The fix to show for an engine error: its remedy in the app's words, else its plain fix. */
export function appFix(error: Pick<ApiErrorData, 'fix' | 'remedy'>): string | undefined {
  return error.remedy ? appRemedy(error.remedy) : error.fix
}

/** A notice with its remedy (a saved profile that left keys behind) as one line to show. */
export function noticeText(notice: { message: string; remedy: Remedy } | null | undefined): string | null {
  return notice ? `${notice.message} ${appRemedy(notice.remedy)}` : null
}

/** What to do about a library folder that cannot take writes, once it is fixed: resume the queue. */
export function libraryFix(problem: LibraryProblem): string {
  return appRemedy({ code: 'library', problem, then: 'resume' })
}
