import { describe, expect, it } from 'vitest'
import { resolveAppLocation } from '../../../src/main/electron/app-location'
import { checkSender, type SenderFacts } from '../../../src/main/electron/sender-check'

const app = resolveAppLocation({
  devServerUrl: undefined,
  isPackaged: true,
  indexHtmlPath: '/opt/Proofsheet/out/renderer/index.html',
})
const policy = { allowedWebContentsIds: new Set([7]), app }

const own: SenderFacts = {
  senderWebContentsId: 7,
  frame: { url: `${app.url}#/queue`, ownerWebContentsId: 7, isMainFrame: true },
}

describe('checkSender', () => {
  it('accepts our window showing our page', () => {
    expect(checkSender(own, policy)).toEqual({ ok: true })
  })

  it('accepts the dev server origin in dev', () => {
    const dev = resolveAppLocation({ devServerUrl: 'http://localhost:5173', isPackaged: false, indexHtmlPath: '/x/index.html' })
    const facts = { ...own, frame: { ...own.frame!, url: 'http://localhost:5173/' } }
    expect(checkSender(facts, { ...policy, app: dev })).toEqual({ ok: true })
  })

  it('refuses a webContents that is not one of our windows', () => {
    const verdict = checkSender({ ...own, senderWebContentsId: 8, frame: { ...own.frame!, ownerWebContentsId: 8 } }, policy)
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('not a Proofsheet window') })
  })

  it('refuses a frame that belongs to another webContents', () => {
    const verdict = checkSender({ ...own, frame: { ...own.frame!, ownerWebContentsId: 9 } }, policy)
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('does not belong') })
    expect(checkSender({ ...own, frame: { ...own.frame!, ownerWebContentsId: null } }, policy).ok).toBe(false)
  })

  it('refuses a subframe, even one showing our page', () => {
    const verdict = checkSender({ ...own, frame: { ...own.frame!, isMainFrame: false } }, policy)
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('subframe') })
  })

  it('refuses a foreign origin in our window', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'http://localhost:5173/', 'data:text/html,hi', 'about:blank']) {
      const verdict = checkSender({ ...own, frame: { ...own.frame!, url } }, policy)
      expect(verdict.ok, url).toBe(false)
    }
  })

  it('names the foreign origin but not the full URL in the reason', () => {
    const verdict = checkSender({ ...own, frame: { ...own.frame!, url: 'https://evil.example/p?token=secret' } }, policy)
    expect(verdict).toEqual({ ok: false, reason: 'the sending page is not the app (https://evil.example)' })
  })

  it('refuses a frame that is gone', () => {
    expect(checkSender({ ...own, frame: null }, policy).ok).toBe(false)
  })
})
