import { describe, expect, it } from 'vitest'
import { checkExternalLink, createExternalLinkOpener } from '../../../src/main/electron/external-links'

describe('checkExternalLink', () => {
  it('allows plain https links to named hosts, normalized', () => {
    expect(checkExternalLink('https://platform.openai.com/docs/pricing')).toEqual({ ok: true, url: 'https://platform.openai.com/docs/pricing' })
    expect(checkExternalLink('https://getimg.ai/pricing?model=gpt-image-2#table')).toEqual({
      ok: true,
      url: 'https://getimg.ai/pricing?model=gpt-image-2#table',
    })
    expect(checkExternalLink('HTTPS://Docs.Example.COM/a/../b')).toEqual({ ok: true, url: 'https://docs.example.com/b' })
    expect(checkExternalLink('https://example.com:443/')).toEqual({ ok: true, url: 'https://example.com/' })
    // A look-alike host is still a real host: the browser shows it as punycode.
    expect(checkExternalLink('https://аpple.com/')).toEqual({ ok: true, url: 'https://xn--pple-43d.com/' })
  })

  it('refuses every other scheme', () => {
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/etc/passwd',
      'proofsheet-media://library/images/x.png',
      'about:blank',
      'blob:https://example.com/1',
      'ftp://example.com/',
      '//example.com/',
      '/relative/path',
    ]) {
      expect(checkExternalLink(url), url).toMatchObject({ ok: false })
    }
  })

  it('refuses credentials, ports, IP addresses and single-label hosts', () => {
    expect(checkExternalLink('https://user:pw@example.com/')).toEqual({ ok: false, reason: 'credentials in the URL' })
    expect(checkExternalLink('https://token@example.com/')).toEqual({ ok: false, reason: 'credentials in the URL' })
    expect(checkExternalLink('https://example.com:8443/')).toEqual({ ok: false, reason: 'an explicit port' })
    for (const url of ['https://127.0.0.1/', 'https://0x7f.1/', 'https://2130706433/', 'https://[::1]/', 'https://192.168.1.1/admin']) {
      expect(checkExternalLink(url), url).toEqual({ ok: false, reason: 'an IP address instead of a host name' })
    }
    expect(checkExternalLink('https://localhost/')).toEqual({ ok: false, reason: 'not a public host name' })
    expect(checkExternalLink('https://intranet./')).toEqual({ ok: false, reason: 'not a public host name' })
  })

  it('refuses whitespace and control characters the URL parser would silently drop', () => {
    for (const url of ['https://exa\tmple.com/', 'https://example.com/\n', ' https://example.com/', 'https://example.com/a b', 'https://example.com/\u0000', 'java\nscript:alert(1)']) {
      expect(checkExternalLink(url), JSON.stringify(url)).toMatchObject({ ok: false })
    }
  })

  it('refuses non-strings, empty and overlong URLs', () => {
    for (const value of [undefined, null, 42, {}, ['https://example.com/'], '', `https://example.com/${'a'.repeat(2100)}`]) {
      expect(checkExternalLink(value)).toMatchObject({ ok: false })
    }
  })
})

describe('createExternalLinkOpener', () => {
  const setup = (fail = false) => {
    const opened: string[] = []
    const logs: string[] = []
    const shell = {
      openExternal: async (url: string) => {
        opened.push(url)
        if (fail) throw new Error('no browser')
      },
    }
    return { open: createExternalLinkOpener({ shell, log: (m) => logs.push(m) }), opened, logs }
  }

  it('hands a checked link to shell.openExternal', () => {
    const { open, opened, logs } = setup()
    expect(open('https://docs.example.com/pricing')).toBe(true)
    expect(opened).toEqual(['https://docs.example.com/pricing'])
    expect(logs).toEqual([])
  })

  it('refuses and logs anything else without calling the shell, and never logs the URL', () => {
    const { open, opened, logs } = setup()
    expect(open('file:///home/me/.ssh/id_rsa')).toBe(false)
    expect(open('https://me:secret-token@example.com/')).toBe(false)
    expect(opened).toEqual([])
    expect(logs).toEqual(['[links] refused to open a link: the scheme file: is not https:', '[links] refused to open a link: credentials in the URL'])
    expect(logs.join('\n')).not.toMatch(/id_rsa|secret-token/)
  })

  it('logs, not throws, when the OS cannot open the link', async () => {
    const { open, logs } = setup(true)
    expect(open('https://example.com/private?token=abc')).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(logs).toEqual(['[links] the OS could not open https://example.com: no browser'])
  })
})
