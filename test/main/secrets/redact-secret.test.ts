import { describe, expect, it } from 'vitest'
import { redactSecret } from '../../../src/main/core/secrets/redact-secret'

describe('redactSecret', () => {
  const key = 'sk-proj-test-0f1e2d3c4b5a69788796a5b4'

  it('cuts every copy of the key out, raw, percent- or JSON-escaped, keeping its last four characters', () => {
    const said = `Incorrect API key provided: ${key}. Sent: Bearer ${key}; as a link ?key=${encodeURIComponent(`${key}/x`)}`
    const out = redactSecret(said, key)
    expect(out).not.toContain(key.slice(0, -4))
    expect(out).toBe(`Incorrect API key provided: [key ····a5b4]. Sent: Bearer [key ····a5b4]; as a link ?key=[key ····a5b4]%2Fx`)
    expect(redactSecret(`{"k":${JSON.stringify(`${key}\n`)}}`, `${key}\n`)).toBe('{"k":"[key ····a5b4]\\n"}')
  })

  it('leaves text alone without a key, or with one too short to be real', () => {
    expect(redactSecret('Invalid API key.', key)).toBe('Invalid API key.')
    expect(redactSecret('Invalid API key.', null)).toBe('Invalid API key.')
    expect(redactSecret('a b c', 'b')).toBe('a b c')
  })
})
