import { describe, expect, it } from 'vitest'
import { APP_COMMAND_CHANNEL, sendAppCommand } from '../../../src/main/electron/app-commands'
import { resolveAppLocation } from '../../../src/main/electron/app-location'

const app = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/opt/ps/out/renderer/index.html' })

/** A stand-in for a window's webContents showing `url`. */
function standInWindow(url: string, destroyed = false) {
  const sent: unknown[][] = []
  const frame = { url, frameTreeNodeId: 1, parent: null, top: null }
  return { sent, isDestroyed: () => destroyed, send: (...args: unknown[]) => void sent.push(args), mainFrame: { ...frame, top: frame } }
}

describe('sendAppCommand', () => {
  it('sends to a live window that shows our page', () => {
    const win = standInWindow(app.url)
    expect(sendAppCommand(win, app, { kind: 'export' })).toBe(true)
    expect(win.sent).toEqual([[APP_COMMAND_CHANNEL, { kind: 'export' }]])
  })

  it('sends nothing to another page (the crash-loop page, a page navigated away), a closed window or none', () => {
    const other = standInWindow('data:text/html,crashed')
    expect(sendAppCommand(other, app, { kind: 'notice', text: 'x' })).toBe(false)
    expect(other.sent).toEqual([])
    const closed = standInWindow(app.url, true)
    expect(sendAppCommand(closed, app, { kind: 'export' })).toBe(false)
    expect(closed.sent).toEqual([])
    expect(sendAppCommand(null, app, { kind: 'export' })).toBe(false)
  })
})
