import type { BrowserWindow, Dialog } from 'electron'
import { describe, expect, it } from 'vitest'
import type { AppLocation } from '../../../src/main/electron/app-location'
import { PICK_FOLDER_CHANNEL, registerFolderPicker } from '../../../src/main/electron/folder-picker'
import type { IpcMainLike } from '../../../src/main/electron/ipc-adapter'
import type { FrameLike, InvokeEventLike } from '../../../src/main/electron/sender-check'

// Electron cannot load under Node: these fakes have exactly the shape the picker reads.
const app: AppLocation = { kind: 'dev-server', url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173' }

function frame(url: string, id: number, parent: FrameLike | null = null): FrameLike {
  const made: { url: string; frameTreeNodeId: number; parent: FrameLike | null; top: FrameLike | null } = { url, frameTreeNodeId: id, parent, top: null }
  made.top = parent ?? made
  return made
}

function setup(answer: { canceled: boolean; filePaths: string[] }, hasWindow = true) {
  const handlers = new Map<string, (event: InvokeEventLike) => Promise<unknown>>()
  const ipcMain: IpcMainLike = {
    handle: (channel, fn) => void handlers.set(channel, fn),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const opened: unknown[] = []
  const dialog = {
    showOpenDialog: async (_win: unknown, options: unknown) => {
      opened.push(options)
      return answer
    },
  } as unknown as Pick<Dialog, 'showOpenDialog'>
  const mainFrame = frame('http://127.0.0.1:5173/', 1)
  const win = { webContents: { id: 7, mainFrame, isDestroyed: () => false } } as unknown as BrowserWindow
  const logs: string[] = []
  const dispose = registerFolderPicker({ ipcMain, dialog, app, window: () => (hasWindow ? win : null), log: (m) => logs.push(m) })
  const pick = (event: InvokeEventLike) => handlers.get(PICK_FOLDER_CHANNEL)!(event)
  return { pick, opened, dispose, handlers, mainFrame, logs }
}

describe('folder picker', () => {
  it('opens a folder dialog for our window and returns the chosen path', async () => {
    const { pick, opened, mainFrame } = setup({ canceled: false, filePaths: ['/home/me/Exports'] })
    expect(await pick({ sender: { id: 7 }, senderFrame: mainFrame })).toBe('/home/me/Exports')
    expect(opened).toMatchObject([{ properties: ['openDirectory', 'createDirectory'] }])
  })

  it('words the dialog for a library folder when the Library section asks, and for an export otherwise', async () => {
    const { handlers, opened, mainFrame } = setup({ canceled: false, filePaths: ['/home/me/Studio library'] })
    const pickFor = handlers.get(PICK_FOLDER_CHANNEL)! as (event: InvokeEventLike, purpose?: unknown) => Promise<unknown>
    expect(await pickFor({ sender: { id: 7 }, senderFrame: mainFrame }, 'library')).toBe('/home/me/Studio library')
    await pickFor({ sender: { id: 7 }, senderFrame: mainFrame }, 'something else')
    expect(opened).toMatchObject([
      { title: 'Choose a library folder', buttonLabel: 'Choose' },
      { title: 'Export to folder', buttonLabel: 'Export here' },
    ])
  })

  it('returns null when the user cancels', async () => {
    const { pick, mainFrame } = setup({ canceled: true, filePaths: [] })
    expect(await pick({ sender: { id: 7 }, senderFrame: mainFrame })).toBeNull()
  })

  it('refuses other windows, foreign pages, subframes and gone frames without a dialog, and logs why', async () => {
    const other = setup({ canceled: false, filePaths: ['/x'] })
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      },
      frameTreeNodeId: 1,
      parent: null,
      top: null,
    }
    for (const event of [
      { sender: { id: 8 }, senderFrame: other.mainFrame },
      { sender: { id: 7 }, senderFrame: { ...other.mainFrame, url: 'https://evil.example/' } },
      { sender: { id: 7 }, senderFrame: frame('http://127.0.0.1:5173/', 2, other.mainFrame) },
      { sender: { id: 7 }, senderFrame: frame('http://127.0.0.1:5173/', 3) },
      { sender: { id: 7 }, senderFrame: null },
      { sender: { id: 7 }, senderFrame: disposed },
    ]) {
      expect(await other.pick(event)).toBeNull()
    }
    expect(other.opened).toEqual([])
    expect(other.logs).toHaveLength(6)
    expect(other.logs.every((line) => line.startsWith('[ipc] refused pick-folder: '))).toBe(true)
    expect(other.logs.join('\n')).toContain('subframe')
    other.dispose()
    expect(other.handlers.has(PICK_FOLDER_CHANNEL)).toBe(false)
  })

  it('refuses when there is no window at all', async () => {
    const bare = setup({ canceled: false, filePaths: ['/x'] }, false)
    expect(await bare.pick({ sender: { id: 7 }, senderFrame: bare.mainFrame })).toBeNull()
    expect(bare.opened).toEqual([])
    expect(bare.logs).toEqual(['[ipc] refused pick-folder: there is no Proofsheet window'])
  })
})
