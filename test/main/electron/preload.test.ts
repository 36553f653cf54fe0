import { beforeEach, describe, expect, it, vi } from 'vitest'
import { APP_COMMAND_CHANNEL } from '../../../src/main/electron/app-commands'
import { PICK_FOLDER_CHANNEL } from '../../../src/main/electron/folder-picker'
import { CALL_CHANNEL, DESKTOP_CHANNEL, EVENT_CHANNEL } from '../../../src/main/electron/ipc-adapter'
import { parseMediaUrl } from '../../../src/main/electron/media-url'
import { UPDATE_STATE_CHANNEL, UPDATES_CHANNEL } from '../../../src/main/electron/update-door'
import type { PreloadApi } from '../../../src/preload'

// Electron itself cannot load under Node, so the two objects the preload touches are stood in for.
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 1 })),
  }
})

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: {
    invoke: electron.invoke,
    on(channel: string, listener: (...args: unknown[]) => void) {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set())
      electron.listeners.get(channel)!.add(listener)
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      electron.listeners.get(channel)?.delete(listener)
    },
  },
}))

await import('../../../src/preload')
const api = electron.exposed.get('proofsheet') as PreloadApi

beforeEach(() => electron.invoke.mockClear())

describe('preload', () => {
  it('exposes exactly the Transport and the folder picker as window.proofsheet', () => {
    expect([...electron.exposed.keys()]).toEqual(['proofsheet'])
    expect(Object.keys(api).sort()).toEqual(['desktop', 'invoke', 'mediaUrl', 'onCommand', 'pickFolder', 'subscribe', 'updates'])
    expect(Object.keys(api.desktop).sort()).toEqual(['copyImage', 'revealInFolder', 'startDrag'])
  })

  it('sends desktop actions as (action, path) on the desktop channel, and never rejects', async () => {
    expect(await api.desktop.copyImage('images/2026/01/a.png')).toEqual({ ok: true, value: 1 })
    expect(electron.invoke).toHaveBeenLastCalledWith(DESKTOP_CHANNEL, 'copyImage', 'images/2026/01/a.png')
    api.desktop.startDrag('images/2026/01/a.png')
    expect(electron.invoke).toHaveBeenLastCalledWith(DESKTOP_CHANNEL, 'startDrag', 'images/2026/01/a.png')
    electron.invoke.mockRejectedValueOnce(new Error('No handler registered'))
    expect(await api.desktop.revealInFolder('images/2026/01/a.png')).toEqual({ ok: false, message: 'No handler registered' })
  })

  it('asks main for a folder on the picker channel and passes on only a path or null', async () => {
    electron.invoke.mockResolvedValueOnce('/home/me/Exports')
    expect(await api.pickFolder()).toBe('/home/me/Exports')
    expect(electron.invoke).toHaveBeenCalledWith(PICK_FOLDER_CHANNEL)
    electron.invoke.mockResolvedValueOnce({ not: 'a path' })
    expect(await api.pickFolder()).toBeNull()
  })

  it('invokes the adapter channel with (name, input)', async () => {
    expect(await api.invoke('providers.list', {})).toEqual({ ok: true, value: 1 })
    expect(electron.invoke).toHaveBeenCalledWith(CALL_CHANNEL, 'providers.list', {})
  })

  it('turns an IPC failure into an error Result instead of a rejection', async () => {
    electron.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'))
    expect(await api.invoke('jobs.generate', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('could not be cloned') },
    })
  })

  it('relays events without the IpcRendererEvent, and unsubscribes', () => {
    const received: unknown[][] = []
    const unsubscribe = api.subscribe((...args) => received.push(args))
    const message = { event: 'gallery.changed', data: { added: ['a'], removed: [] } }
    for (const listener of electron.listeners.get(EVENT_CHANNEL) ?? []) listener({ sender: 'ipc internals' }, message)
    expect(received).toEqual([[message]])
    unsubscribe()
    expect(electron.listeners.get(EVENT_CHANNEL)?.size).toBe(0)
  })

  it('holds app commands sent before the page listens, then relays them without the IpcRendererEvent', () => {
    const send = (command: unknown) => {
      for (const listener of electron.listeners.get(APP_COMMAND_CHANNEL) ?? []) listener({ sender: 'ipc internals' }, command)
    }
    send({ kind: 'notice', text: 'The window crashed and was reloaded.' })
    const received: unknown[][] = []
    const stop = api.onCommand((...args) => received.push(args))
    send({ kind: 'theme', theme: 'dark' })
    expect(received).toEqual([[{ kind: 'notice', text: 'The window crashed and was reloaded.' }], [{ kind: 'theme', theme: 'dark' }]])
    stop()
    send({ kind: 'export' })
    expect(received).toHaveLength(2)
  })

  it('builds media URLs the protocol parses back to the same path', () => {
    expect(api.mediaUrl('images/2026/11/x.png')).toBe('proofsheet-media://library/images/2026/11/x.png')
    expect(api.mediaUrl('images/2026/11/a b#1.png')).toBe('proofsheet-media://library/images/2026/11/a%20b%231.png')
    expect(parseMediaUrl(api.mediaUrl('thumbs/2026/11/x_1-a.webp'))).toBe('thumbs/2026/11/x_1-a.webp')
    // A hostile path cannot smuggle a traversal through the encoder.
    expect(parseMediaUrl(api.mediaUrl('../../etc/passwd'))).toBeNull()
  })

  it('asks the updater on the updates channel and relays its state without the IpcRendererEvent', async () => {
    electron.invoke.mockResolvedValueOnce({ stage: 'off', message: null })
    expect(await api.updates.state()).toEqual({ stage: 'off', message: null })
    expect(electron.invoke).toHaveBeenLastCalledWith(UPDATES_CHANNEL, 'state')
    await api.updates.check()
    expect(electron.invoke).toHaveBeenLastCalledWith(UPDATES_CHANNEL, 'check')
    await api.updates.restart()
    expect(electron.invoke).toHaveBeenLastCalledWith(UPDATES_CHANNEL, 'restart')
    const seen: unknown[] = []
    const stop = api.updates.onState((state) => seen.push(state))
    for (const listener of electron.listeners.get(UPDATE_STATE_CHANNEL) ?? []) listener({ sender: 'ipc internals' }, { stage: 'downloading', version: '1.4.0', percent: 40 })
    expect(seen).toEqual([{ stage: 'downloading', version: '1.4.0', percent: 40 }])
    stop()
    expect(electron.listeners.get(UPDATE_STATE_CHANNEL)?.size).toBe(0)
  })
})
