import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, withContentSecurityPolicy } from '../../../src/main/electron/csp'

function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/)
      return [name!, sources]
    }),
  )
}

describe('contentSecurityPolicy', () => {
  it('is the exact production policy', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'self'; img-src 'self' proofsheet-media: data: blob:; style-src 'self' 'unsafe-inline'; " +
        "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
  })

  it('allows no inline or remote script and no remote connections in production', () => {
    const d = directives(contentSecurityPolicy())
    expect(d['script-src']).toEqual(["'self'"])
    expect(d['connect-src']).toEqual(["'self'"])
    expect(d['object-src']).toEqual(["'none'"])
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|https?:|\*/)
  })

  it('loosens only script-src and connect-src for the dev server', () => {
    const prod = directives(contentSecurityPolicy())
    const dev = directives(contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' }))
    expect(dev['script-src']).toEqual(["'self'", "'unsafe-inline'"])
    expect(dev['connect-src']).toEqual(["'self'", 'ws://localhost:5173'])
    for (const name of Object.keys(prod).filter((n) => n !== 'script-src' && n !== 'connect-src')) {
      expect(dev[name], name).toEqual(prod[name])
    }
  })
})

describe('the renderer page’s own policy (the meta tag, a second line of defence)', () => {
  it('is the production policy, less frame-ancestors, which a meta tag cannot carry', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const { ['frame-ancestors']: _ignoredInMeta, ...expected } = directives(contentSecurityPolicy())
    expect(directives(meta ?? '')).toEqual(expected)
  })
})

describe('withContentSecurityPolicy', () => {
  it('replaces any policy the server sent, whatever its case, and keeps other headers', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'], 'X-One': 'single' },
      "default-src 'self'",
    )
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'X-One': ['single'],
      'Content-Security-Policy': ["default-src 'self'"],
    })
  })

  it('adds the policy when the response had no headers', () => {
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] })
  })
})
