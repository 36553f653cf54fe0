import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The guards are unit tested one by one; this reads the real sources to prove there is no other
// door beside them: no IPC handler that skips the sender check, no second caller of
// shell.openExternal, no window-open handler but the guarded one.
const root = fileURLToPath(new URL('../../..', import.meta.url))

async function sources(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const entry of await readdir(join(root, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name)) continue
    const path = join(entry.parentPath, entry.name)
    out.set(relative(root, path), await readFile(path, 'utf8'))
  }
  return out
}

const files = await sources('src')
const matching = (pattern: RegExp) => [...files].filter(([, text]) => pattern.test(text)).map(([path]) => path).sort()

describe('the app’s doors, by inventory of src/', () => {
  it('registers IPC handlers in three files only, and each of them checks the sender', () => {
    const handlers = matching(/ipcMain\s*\.\s*(handle|handleOnce)\s*\(/)
    expect(handlers).toEqual(['src/main/electron/folder-picker.ts', 'src/main/electron/ipc-adapter.ts', 'src/main/electron/update-door.ts'])
    for (const path of handlers) expect(files.get(path), path).toContain('checkInvokeEvent(')
  })

  it('never listens for fire-and-forget IPC messages, which could not be answered with a refusal', () => {
    expect(matching(/ipcMain\s*\.\s*(on|once|addListener|prependListener|prependOnceListener)\s*\(/)).toEqual([])
  })

  it('calls shell.openExternal in external-links.ts only', () => {
    expect(matching(/shell\s*\.\s*openExternal|\{[^}]*\bopenExternal\b[^}]*\}\s*=\s*[\w.]*shell/)).toEqual(['src/main/electron/external-links.ts'])
  })

  it('sets window-open, permission and navigation handlers in content-guards.ts only', () => {
    expect(matching(/setWindowOpenHandler|setPermissionRequestHandler|setPermissionCheckHandler|'will-navigate'/)).toEqual([
      'src/main/electron/content-guards.ts',
    ])
  })

  it('wires the guards into every webContents and the default session, with the sandbox on', () => {
    const entry = files.get('src/main/index.ts') ?? ''
    expect(entry).toMatch(/app\.on\('web-contents-created',[^\n]*hardenWebContents\(/)
    expect(entry).toMatch(/hardenSession\(\s*session\.defaultSession/)
    expect(entry).toContain('app.enableSandbox()')
  })

  it('constructs a BrowserWindow in window.ts only, from buildWindowOptions', () => {
    expect(matching(/new BrowserWindow\(/)).toEqual(['src/main/electron/window.ts'])
    expect(files.get('src/main/electron/window.ts')).toContain('new BrowserWindow(buildWindowOptions(')
  })
})
