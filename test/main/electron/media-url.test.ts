import { describe, expect, it } from 'vitest'
import { MEDIA_SCHEME, parseMediaUrl } from '../../../src/main/electron/media-url'

describe('parseMediaUrl', () => {
  it('accepts library images and thumbnails', () => {
    expect(parseMediaUrl('proofsheet-media://library/images/2026/11/x.png')).toBe('images/2026/11/x.png')
    expect(parseMediaUrl('proofsheet-media://library/thumbs/2026/11/x.webp')).toBe('thumbs/2026/11/x.webp')
  })

  it('decodes each segment exactly once', () => {
    expect(parseMediaUrl('proofsheet-media://library/images/2026/%61bc.png')).toBe('images/2026/abc.png')
    // %2561 decodes to the literal "%61", which is not a name we write: refused, not decoded twice.
    expect(parseMediaUrl('proofsheet-media://library/images/2026/%2561bc.png')).toBeNull()
  })

  it('ignores query and fragment (cache busters)', () => {
    expect(parseMediaUrl('proofsheet-media://library/images/x.png?v=2#top')).toBe('images/x.png')
  })

  it('refuses traversal, encoded or not', () => {
    for (const url of [
      'proofsheet-media://library/..%2F..%2Fetc%2Fpasswd',
      'proofsheet-media://library/images/..%2F..%2F..%2Fetc%2Fpasswd',
      'proofsheet-media://library/images/%2e%2e/%2e%2e/etc/passwd',
      'proofsheet-media://library/images/../../etc/passwd',
      'proofsheet-media://library/images/..%5C..%5Cwindows%5Cwin.ini',
      'proofsheet-media://library/images/%2e%2e%2fproofsheet.db',
      'proofsheet-media://library/images/x.png%00.txt',
      'proofsheet-media://library/images/.tmp-123.png',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull()
    }
  })

  it('refuses absolute paths', () => {
    for (const url of [
      'proofsheet-media://library//etc/passwd',
      'proofsheet-media://library/%2Fetc%2Fpasswd',
      'proofsheet-media:///etc/passwd',
      'proofsheet-media://library/C:%5CWindows%5Cwin.ini',
      'proofsheet-media://library/C:/Windows/win.ini',
      'proofsheet-media://library/%5C%5Cserver%5Cshare%5Cx.png',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull()
    }
  })

  it('refuses other hosts, schemes, credentials, ports and folders', () => {
    for (const url of [
      'proofsheet-media://evil/images/x.png',
      'proofsheet-media://library.evil/images/x.png',
      'proofsheet-media://user:pw@library/images/x.png',
      'proofsheet-media://library:8080/images/x.png',
      'file:///library/images/x.png',
      'https://library/images/x.png',
      'proofsheet-media://library/proofsheet.db',
      'proofsheet-media://library/exports/x.png',
      'proofsheet-media://library/images',
      'proofsheet-media://library/',
      'proofsheet-media://library/images/%E0%A4%A.png',
      'not a url',
      '',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull()
    }
  })

  it('uses the scheme the preload builds URLs with', () => {
    expect(MEDIA_SCHEME).toBe('proofsheet-media')
  })
})
