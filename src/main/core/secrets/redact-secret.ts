/**
 * Some providers and proxies quote the credential they were sent in their error replies
 * ("Incorrect API key provided: sk-…"). Such text becomes a job's error, which is stored, shown
 * and printed, so the secret is cut out of it first and only its last four characters stay.
 */
export function redactSecret(text: string, secret: string | null | undefined): string {
  const key = secret?.trim()
  if (!key || key.length < 8) return text
  const masked = `[key ····${key.slice(-4)}]`
  let out = text
  // The forms a reply is likely to carry: as sent, and percent- or JSON-escaped.
  for (const form of new Set([key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1)])) out = out.split(form).join(masked)
  return out
}
