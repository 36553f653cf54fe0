import type { BrowserWindow, Dialog, IpcMain } from 'electron'
import { describe, expect, it } from 'vitest'
import type { AppLocation } from '../../../src/main/electron/app-location'
import { PICK_FOLDER_CHANNEL, registerFolderPicker } from '../../../src/main/electron/folder-picker'

// Electron cannot load under Node: these fakes have exactly the shape the picker reads.
const app: AppLocation = { kind: 'dev-server', url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173' }

function setup(answer: { canceled: boolean; filePaths: string[] }) {
  const handlers = new Map<string, (event: unknown) => Promise<unknown>>()
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown) => Promise<unknown>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>
  const opened: unknown[] = []
  const dialog = {
    showOpenDialog: async (_win: unknown, options: unknown) => {
      opened.push(options)
      return answer
    },
  } as unknown as Pick<Dialog, 'showOpenDialog'>
  const win = { webContents: { id: 7 } } as unknown as BrowserWindow
  const dispose = registerFolderPicker({ ipcMain, dialog, app, window: () => win })
  const pick = (event: unknown) => handlers.get(PICK_FOLDER_CHANNEL)!(event)
  return { pick, opened, dispose, handlers }
}

describe('folder picker', () => {
  it('opens a folder dialog for our window and returns the chosen path', async () => {
    const { pick, opened } = setup({ canceled: false, filePaths: ['/home/me/Exports'] })
    expect(await pick({ sender: { id: 7 }, senderFrame: { url: 'http://127.0.0.1:5173/' } })).toBe('/home/me/Exports')
    expect(opened).toMatchObject([{ properties: ['openDirectory', 'createDirectory'] }])
  })

  it('returns null when the user cancels, and refuses other windows and foreign pages without a dialog', async () => {
    expect(await setup({ canceled: true, filePaths: [] }).pick({ sender: { id: 7 }, senderFrame: { url: 'http://127.0.0.1:5173/' } })).toBeNull()
    const other = setup({ canceled: false, filePaths: ['/x'] })
    expect(await other.pick({ sender: { id: 8 }, senderFrame: { url: 'http://127.0.0.1:5173/' } })).toBeNull()
    expect(await other.pick({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/' } })).toBeNull()
    expect(other.opened).toEqual([])
    other.dispose()
    expect(other.handlers.has(PICK_FOLDER_CHANNEL)).toBe(false)
  })
})
