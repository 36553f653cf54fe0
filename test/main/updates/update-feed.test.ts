import { describe, expect, it } from 'vitest'
import { parseUpdateFeed, resolveUpdateFeed, UPDATE_FEED_ENV } from '../../../src/main/core/updates/update-feed'

describe('update feed spelling', () => {
  it('reads an https folder as a generic feed, with the slash latest.yml needs', () => {
    expect(parseUpdateFeed('https://updates.example.com/proofsheet', 'setting')).toEqual({
      ok: true,
      feed: { kind: 'generic', url: 'https://updates.example.com/proofsheet/' },
    })
  })

  it('reads github:owner/repo', () => {
    expect(parseUpdateFeed('github:acme-studio/proofsheet.app', 'env')).toEqual({
      ok: true,
      feed: { kind: 'github', owner: 'acme-studio', repo: 'proofsheet.app' },
    })
  })

  it('reads nothing, blanks and "off" as off', () => {
    for (const text of [undefined, '', '  ', 'off', 'OFF']) {
      expect(parseUpdateFeed(text, 'setting')).toEqual({ ok: true, feed: { kind: 'off' } })
    }
  })

  it('keeps http:// for 127.0.0.1 and localhost only', () => {
    expect(parseUpdateFeed('http://127.0.0.1:8123/feed', 'env')).toEqual({ ok: true, feed: { kind: 'generic', url: 'http://127.0.0.1:8123/feed/' } })
    expect(parseUpdateFeed('http://localhost:8123/', 'env').ok).toBe(true)
    const refused = parseUpdateFeed('http://updates.example.com/feed', 'env')
    expect(refused).toMatchObject({ ok: false, field: UPDATE_FEED_ENV })
    expect(!refused.ok && refused.message).toMatch(/PROOFSHEET_UPDATE_FEED uses http:\/\/.*use https:\/\//)
  })

  it('names the setting and the fix for a spelling that is not an address', () => {
    const bad = parseUpdateFeed('updates.example.com', 'setting')
    expect(bad).toMatchObject({ ok: false, field: 'updateFeed' })
    expect(!bad.ok && bad.message).toMatch(/^updateFeed "updates.example.com" is not an address\. Give an https:\/\/ address .* github:owner\/repo/)
  })

  it('refuses other schemes, credentials, queries and malformed GitHub names', () => {
    const cases: [string, RegExp][] = [
      ['ftp://example.com/feed', /uses ftp:/],
      ['file:///tmp/feed', /uses file:/],
      ['https://user:secret@example.com/feed', /user name or password/],
      ['https://example.com/feed?token=1', /query or fragment/],
      ['github:acme', /write it as github:owner\/repo/],
      ['github:acme/proofsheet/extra', /write it as github:owner\/repo/],
      ['github:-acme/proofsheet', /write it as github:owner\/repo/],
      ['github:acme/..', /write it as github:owner\/repo/],
    ]
    for (const [text, message] of cases) {
      const result = parseUpdateFeed(text, 'env')
      expect(result.ok, text).toBe(false)
      expect(!result.ok && result.message, text).toMatch(message)
    }
  })
})

describe('the feed in force', () => {
  it('is off, with no source, when nothing is configured', () => {
    expect(resolveUpdateFeed({ env: {}, setting: null, packagedFeed: false })).toEqual({ ok: true, feed: { kind: 'off' }, source: 'none' })
  })

  it('takes the environment first, then the setting, then the installer', () => {
    const env = { [UPDATE_FEED_ENV]: 'github:acme/proofsheet' }
    expect(resolveUpdateFeed({ env, setting: 'https://a.example/', packagedFeed: true })).toMatchObject({ feed: { kind: 'github' }, source: 'env' })
    expect(resolveUpdateFeed({ env: {}, setting: 'https://a.example/', packagedFeed: true })).toMatchObject({ feed: { kind: 'generic' }, source: 'setting' })
    expect(resolveUpdateFeed({ env: {}, setting: '', packagedFeed: true })).toMatchObject({ feed: { kind: 'packaged' }, source: 'packaged' })
  })

  it('lets the environment switch off an installer feed', () => {
    expect(resolveUpdateFeed({ env: { [UPDATE_FEED_ENV]: 'off' }, setting: null, packagedFeed: true })).toMatchObject({ feed: { kind: 'off' }, source: 'env' })
  })

  it('reports a bad environment value instead of falling back to the next source', () => {
    const result = resolveUpdateFeed({ env: { [UPDATE_FEED_ENV]: 'http://evil.example/' }, setting: 'https://good.example/', packagedFeed: true })
    expect(result).toMatchObject({ ok: false, field: UPDATE_FEED_ENV, source: 'env' })
  })
})
