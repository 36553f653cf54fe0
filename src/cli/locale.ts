/**
 * The locale the command line formats money in, from the environment as POSIX ranks it: LC_ALL,
 * then LC_MONETARY, then LANG ("de_DE.UTF-8" -> "de-DE"). "C", "POSIX", an unset or an unknown
 * locale give en-US, the engine's own wording, rather than whatever the ICU build picks.
 */
export function moneyLocale(env: Record<string, string | undefined>): string {
  const raw = [env.LC_ALL, env.LC_MONETARY, env.LANG].find((v) => v !== undefined && v !== '')
  const tag = raw?.split(/[.@]/)[0]?.replace(/_/g, '-')
  // en-US needs no look-up: asking Intl would set up ICU for a locale it always has.
  if (!tag || tag === 'C' || tag === 'POSIX' || tag === 'en-US') return 'en-US'
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag])[0] ?? 'en-US'
  } catch {
    return 'en-US' // not a well-formed language tag
  }
}
