/**
 * Every line bound for a log file passes through here first, so no API key reaches the disk:
 * the keys this process has used (remembered when the engine resolves one, and redacted however
 * they are written, by redactSecret) and anything shaped like a key (a well-known key prefix,
 * or the value after "Bearer", "x-api-key" or "api_key"), for keys this process never saw.
 * Remembered keys live in this process's memory only, as they already do in the vault's caller.
 */
import { redactSecret } from '../secrets/redact-secret'

/** Key prefixes the providers we speak to hand out (OpenAI-style sk-/sk-proj-, and the like). */
const PREFIXED_KEY = /\b(?:sk|pk|rk|ak|key)-[A-Za-z0-9_-]{12,}/g
/** A credential named by its header or parameter: the value after it goes, whatever its shape. */
const NAMED_CREDENTIAL = /(\b(?:bearer|x-api-key|api[_-]?key|authorization|access[_-]?token)\b["']?\s*[:=]?\s*["']?)([^\s"',;&]{8,})/gi
const MASK = '[key]'

export interface LogRedactor {
  /** A key this process holds: from now on it is cut out of every line, in any encoding. */
  remember(secret: string): void
  redact(text: string): string
}

export function createLogRedactor(): LogRedactor {
  const secrets = new Set<string>()
  return {
    remember(secret) {
      const key = secret.trim()
      if (key) secrets.add(key)
    },
    redact(text) {
      let out = text
      for (const secret of secrets) out = redactSecret(out, secret)
      return out.replace(PREFIXED_KEY, MASK).replace(NAMED_CREDENTIAL, (_m, name: string) => `${name}${MASK}`)
    },
  }
}
