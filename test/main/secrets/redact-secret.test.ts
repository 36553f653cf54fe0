import { describe, expect, it } from 'vitest'
import { MAX_REDACTED_CHARS, redactSecret } from '../../../src/main/core/secrets/redact-secret'
import { findLeaks } from '../../helpers/key-leak-scan'

describe('redactSecret', () => {
  const key = 'sk-proj-test-0f1e2d3c4b5a69788796a5b4'
  const mask = '[key ····a5b4]'

  it('cuts every copy of the key out, raw, percent- or JSON-escaped, keeping its last four characters', () => {
    const said = `Incorrect API key provided: ${key}. Sent: Bearer ${key}; as a link ?key=${encodeURIComponent(`${key}/x`)}`
    const out = redactSecret(said, key)
    expect(out).not.toContain(key.slice(0, -4))
    expect(out).toBe(`Incorrect API key provided: ${mask}. Sent: Bearer ${mask}; as a link ?key=${mask}%2Fx`)
    expect(redactSecret(`{"k":${JSON.stringify(`${key}\n`)}}`, `${key}\n`)).toBe(`{"k":"${mask}\\n"}`)
  })

  const bytes = Buffer.from(key)
  const percentAll = (text: string) => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')
  /** Every form a provider or proxy has been seen to echo a credential in. */
  const forms: [string, string][] = [
    ['as sent', key],
    ['upper case', key.toUpperCase()],
    ['lower case', key.toLowerCase()],
    ['upper case, cut to eight characters', key.slice(9, 17).toUpperCase()],
    ['cut by its first character', key.slice(1)],
    ['cut by its last character', key.slice(0, -1)],
    ['only a middle stretch of five', key.slice(10, 15)],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['base64 inside a longer string (+1 byte)', Buffer.concat([Buffer.from('u:'), bytes, Buffer.from(':p')]).toString('base64').slice(0, -1)],
    ['base64 inside a longer string (+2 bytes)', Buffer.concat([Buffer.from('Bearer '), bytes]).toString('base64')],
    ['base64url inside a longer string (+1 byte)', Buffer.concat([Buffer.from('x'), bytes, Buffer.from('yz')]).toString('base64url')],
    ['base64 of the key cut by one', bytes.subarray(1).toString('base64')],
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
    ['percent-encoded', encodeURIComponent(key)],
    ['percent-encoded, every byte', percentAll(key)],
    ['JSON-escaped', JSON.stringify(key).slice(1, -1)],
    ['JSON \\u escapes', [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
    ['HTML hex references for some characters', key.replace(/-/g, '&#x2d;').replace(/t/g, '&#x74;')],
    ['HTML decimal references for some characters', key.replace(/-/g, '&#45;').replace(/s/g, '&#115;')],
    ['HTML named references', key.replace(/-/g, '&hyphen;')],
  ]

  it.each(forms)('cuts out the key echoed %s, and leaves the words around it', (_what, echoed) => {
    const out = redactSecret(`Refused (key ${echoed}) by the gateway.`, key)
    expect(out).toMatch(/^Refused \(key .*\) by the gateway\.$/)
    expect(out).toContain(mask)
    // The scanner every leak test uses finds nothing of the key in any encoding either.
    expect(findLeaks('redacted', out, [key])).toEqual([])
    for (let i = 0; i + 5 <= key.length; i++) expect(out.toLowerCase()).not.toContain(key.slice(i, i + 5).toLowerCase())
  })

  it('keeps the words of the message that a key happens to share in another case', () => {
    const wordy = 'gt-image-test-0f1e2d3c4b5a69788796a5b4'
    expect(redactSecret('GetToken Stable Images said: Image generation failed.', wordy)).toBe('GetToken Stable Images said: Image generation failed.')
    // As written, five characters of it are still the key's.
    expect(redactSecret('echo: image-test', wordy)).toBe('echo: [key ····a5b4]')
  })

  it('leaves text alone without a key, or with one too short to be redacted, and keeps the last four', () => {
    expect(redactSecret('Invalid API key.', key)).toBe('Invalid API key.')
    expect(redactSecret('Invalid API key.', null)).toBe('Invalid API key.')
    expect(redactSecret('a b c', 'b')).toBe('a b c')
    expect(redactSecret('key ending a5b4 refused', key)).toBe('key ending a5b4 refused')
    // Base64 and hex of unrelated text stay as they were.
    const other = Buffer.from('a request id that is not the key at all').toString('base64')
    expect(redactSecret(`id ${other}`, key)).toBe(`id ${other}`)
  })

  it('stays bounded on a huge reply: the text is cut, the key still goes', () => {
    const huge = `${'x'.repeat(3000)} ${key} ${'&#x41;%41\\u0041'.repeat(200_000)}`
    const out = redactSecret(huge, key)
    expect(out.length).toBeLessThanOrEqual(MAX_REDACTED_CHARS + 1)
    expect(out).toContain(mask)
    expect(findLeaks('redacted', out, [key])).toEqual([])
  })
})
