import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/api/errors'
import type { EventMessage } from '../../../src/shared/api/events'
import type { Router } from '../../../src/shared/api/router'
import { resolveAppLocation } from '../../../src/main/electron/app-location'
import {
  CALL_CHANNEL,
  createIpcAdapter,
  DESKTOP_CHANNEL,
  type DesktopDoor,
  EVENT_CHANNEL,
  REFUSED,
  type WindowContents,
} from '../../../src/main/electron/ipc-adapter'
import type { FrameLike, InvokeEventLike } from '../../../src/main/electron/sender-check'

// Electron is not available under Node: these fakes have exactly the shape the adapter reads.
const app = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/opt/ps/out/renderer/index.html' })

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<Result<unknown>>

function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  return {
    handlers,
    handle(channel: string, listener: Handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler(channel: string) {
      handlers.delete(channel)
    },
  }
}

let nextFrameId = 100
function mainFrame(url: string): FrameLike {
  const frame = { url, frameTreeNodeId: nextFrameId++, parent: null, top: null as FrameLike | null }
  frame.top = frame
  return frame
}
function subFrame(parent: FrameLike, url: string): FrameLike {
  return { url, frameTreeNodeId: nextFrameId++, parent, top: parent }
}

class FakeContents extends EventEmitter implements WindowContents {
  destroyed = false
  sent: Array<[string, unknown[]]> = []
  constructor(readonly id: number, readonly mainFrame: FrameLike) {
    super()
  }
  isDestroyed() {
    return this.destroyed
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, args])
  }
  destroy() {
    this.destroyed = true
    this.emit('destroyed')
  }
}

function fakeRouter() {
  const calls: Array<[unknown, unknown]> = []
  const listeners = new Set<(message: EventMessage) => void>()
  const router: Router = {
    async handle(name, input) {
      calls.push([name, input])
      return { ok: true, value: { echoed: name } }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const emit = (message: EventMessage) => listeners.forEach((l) => l(message))
  return { router, calls, listeners, emit }
}

function setup(desktop?: DesktopDoor) {
  const ipcMain = fakeIpcMain()
  const { router, calls, listeners, emit } = fakeRouter()
  const logs: string[] = []
  const adapter = createIpcAdapter({ ipcMain, router, app, log: (m) => logs.push(m), ...(desktop ? { desktop } : {}) })
  const win = new FakeContents(1, mainFrame(app.url))
  adapter.attach(win)
  const invoke = (event: InvokeEventLike, name: unknown, input: unknown) => ipcMain.handlers.get(CALL_CHANNEL)!(event, name, input)
  const desktopCall = (event: InvokeEventLike, action: unknown, rel: unknown) => ipcMain.handlers.get(DESKTOP_CHANNEL)!(event, action, rel)
  return { ipcMain, adapter, win, calls, listeners, emit, logs, invoke, desktopCall }
}

const queueChanged: EventMessage = { event: 'queue.changed', data: { paused: false, counts: {} as never } }

describe('IPC adapter', () => {
  it('relays a call from our window to the router and returns its Result', async () => {
    const { win, calls, invoke } = setup()
    const result = await invoke({ sender: win, senderFrame: win.mainFrame }, 'providers.list', {})
    expect(result).toEqual({ ok: true, value: { echoed: 'providers.list' } })
    expect(calls).toEqual([['providers.list', {}]])
  })

  it('refuses a call from another webContents without reaching the router', async () => {
    const { calls, invoke, logs } = setup()
    const stranger = new FakeContents(2, mainFrame(app.url))
    expect(await invoke({ sender: stranger, senderFrame: stranger.mainFrame }, 'keys.list', {})).toEqual(REFUSED)
    expect(calls).toEqual([])
    expect(logs.join('\n')).toContain('refused keys.list')
  })

  it('refuses a call from a foreign page or a subframe of our window', async () => {
    const { win, calls, invoke } = setup()
    const foreign = { ...win.mainFrame, url: 'https://evil.example/' }
    expect(await invoke({ sender: win, senderFrame: foreign }, 'keys.list', {})).toEqual(REFUSED)
    expect(await invoke({ sender: win, senderFrame: subFrame(win.mainFrame, app.url) }, 'keys.list', {})).toEqual(REFUSED)
    expect(await invoke({ sender: win, senderFrame: null }, 'keys.list', {})).toEqual(REFUSED)
    expect(calls).toEqual([])
  })

  it('refuses a frame Electron has already disposed (its getters throw)', async () => {
    const { win, invoke } = setup()
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      frameTreeNodeId: win.mainFrame.frameTreeNodeId,
      parent: null,
      top: null,
    }
    expect(await invoke({ sender: win, senderFrame: disposed }, 'keys.list', {})).toEqual(REFUSED)
  })

  it('refuses a frame of an unattached window posing as our sender', async () => {
    const { win, invoke } = setup()
    const other = mainFrame(app.url)
    expect(await invoke({ sender: win, senderFrame: other }, 'keys.list', {})).toEqual(REFUSED)
  })

  it('answers with an error Result, never a throw, if the router misbehaves', async () => {
    const ipcMain = fakeIpcMain()
    const router: Router = {
      handle: async () => {
        throw new Error('boom')
      },
      subscribe: () => () => undefined,
    }
    const adapter = createIpcAdapter({ ipcMain, router, app, log: () => undefined })
    const win = new FakeContents(1, mainFrame(app.url))
    adapter.attach(win)
    const result = await ipcMain.handlers.get(CALL_CHANNEL)!({ sender: win, senderFrame: win.mainFrame }, 'x', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('forwards engine events to a live window and stops when it is destroyed', async () => {
    const { win, emit, listeners, invoke } = setup()
    emit(queueChanged)
    expect(win.sent).toEqual([[EVENT_CHANNEL, [queueChanged]]])
    win.destroy()
    expect(listeners.size).toBe(0)
    emit(queueChanged)
    expect(win.sent).toHaveLength(1)
    // A destroyed window is no longer allowed to call either.
    expect(await invoke({ sender: win, senderFrame: win.mainFrame }, 'keys.list', {})).toEqual(REFUSED)
  })

  it('does not push events to a window that left our page', () => {
    const ipcMain = fakeIpcMain()
    const { router, emit } = fakeRouter()
    const adapter = createIpcAdapter({ ipcMain, router, app })
    const win = new FakeContents(3, mainFrame('https://evil.example/'))
    adapter.attach(win)
    emit(queueChanged)
    expect(win.sent).toEqual([])
  })

  it('dispose removes the handler and every subscription', () => {
    const { ipcMain, adapter, listeners } = setup()
    adapter.dispose()
    expect(ipcMain.handlers.size).toBe(0)
    expect(listeners.size).toBe(0)
  })

  describe('desktop channel', () => {
    const recordingDoor = () => {
      const runs: Array<[string, string, number]> = []
      const door: DesktopDoor = {
        async run(action, rel, sender) {
          runs.push([action, rel, sender.id])
          return { ok: true }
        },
      }
      return { door, runs }
    }

    it('runs a known action from our window on the door, with the sender', async () => {
      const { door, runs } = recordingDoor()
      const { win, desktopCall } = setup(door)
      expect(await desktopCall({ sender: win, senderFrame: win.mainFrame }, 'revealInFolder', 'images/a.png')).toEqual({ ok: true })
      expect(runs).toEqual([['revealInFolder', 'images/a.png', 1]])
    })

    it('refuses other senders, unknown actions and non-string paths without reaching the door', async () => {
      const { door, runs } = recordingDoor()
      const { win, desktopCall, logs } = setup(door)
      const stranger = new FakeContents(2, mainFrame(app.url))
      expect(await desktopCall({ sender: stranger, senderFrame: stranger.mainFrame }, 'copyImage', 'images/a.png')).toMatchObject({
        ok: false,
        message: expect.stringContaining('Refused'),
      })
      expect(logs.join('\n')).toContain('refused desktop copyImage')
      expect(await desktopCall({ sender: win, senderFrame: { ...win.mainFrame, url: 'https://evil.example/' } }, 'copyImage', 'images/a.png')).toMatchObject({ ok: false })
      expect(await desktopCall({ sender: win, senderFrame: win.mainFrame }, 'openExternal', 'https://evil.example/')).toMatchObject({ ok: false })
      expect(await desktopCall({ sender: win, senderFrame: win.mainFrame }, 'copyImage', { path: '/etc/passwd' })).toMatchObject({ ok: false })
      expect(runs).toEqual([])
    })

    it('answers, never throws, when there is no door or the door fails', async () => {
      const bare = setup()
      expect(await bare.desktopCall({ sender: bare.win, senderFrame: bare.win.mainFrame }, 'copyImage', 'images/a.png')).toEqual({
        ok: false,
        message: 'This window offers no desktop actions.',
      })
      const failing = setup({ run: () => Promise.reject(new Error('clipboard busy')) })
      expect(await failing.desktopCall({ sender: failing.win, senderFrame: failing.win.mainFrame }, 'copyImage', 'images/a.png')).toEqual({
        ok: false,
        message: 'Could not copy the image.',
      })
    })
  })
})
