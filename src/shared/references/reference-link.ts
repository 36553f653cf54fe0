/**
 * A reference image given as a link, checked the same way by every door (the Generate form, the
 * engine, a CSV batch row). Providers that take links fetch the image themselves from the public
 * internet, and their documents ask for https addresses (ToAPIs: "reference_images ... URL
 * array"; getimg: signed https URLs), so a plain http:// link is refused before anything is queued.
 */

export type ReferenceLinkCheck = { url: string } | { problem: string; fix: string }

const FIX_HTTPS = "Use the image's https:// address (upload it somewhere that serves https if it has none)."

/** `provider`: the profile's name, for the message; without it the rule is said in general. */
export function checkReferenceLink(text: string, provider?: string): ReferenceLinkCheck {
  const trimmed = text.trim()
  let parsed: URL
  try {
    parsed = new URL(trimmed)
  } catch {
    return { problem: `"${shorten(trimmed)}" is not a link.`, fix: 'Paste the full https:// address of the image.' }
  }
  const who = provider ?? 'The provider'
  if (parsed.protocol === 'http:') {
    return {
      problem: `${who} needs a public https link for a reference image; ${shorten(trimmed)} is plain http.`,
      fix: FIX_HTTPS,
    }
  }
  if (parsed.protocol !== 'https:') {
    return { problem: `Reference links must start with https://, so ${provider ?? 'the provider'} can fetch them.`, fix: FIX_HTTPS }
  }
  return { url: parsed.toString() }
}

function shorten(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
