import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { buildAppMenuTemplate, type AppMenuActions } from '../../../src/main/electron/app-menu'
import type { AppCommand } from '../../../src/shared/api/desktop'

/** Records what each menu item did, in place of main's real actions. */
function recordingActions() {
  const calls: string[] = []
  const sent: AppCommand[] = []
  const actions: AppMenuActions = {
    send: (command) => sent.push(command),
    openLibrary: () => calls.push('openLibrary'),
    checkForUpdates: () => calls.push('checkForUpdates'),
    openReadme: () => calls.push('openReadme'),
    openSecurity: () => calls.push('openSecurity'),
    reportProblem: () => calls.push('reportProblem'),
    revealLogs: () => calls.push('revealLogs'),
  }
  return { actions, calls, sent }
}

const subOf = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[]
const plainLabel = (item: MenuItemConstructorOptions) => (item.label ?? item.role ?? item.type ?? '').replace('&', '')
const menu = (template: MenuItemConstructorOptions[], name: string) => template.find((m) => plainLabel(m) === name)
const item = (template: MenuItemConstructorOptions[], menuName: string, label: string) => subOf(menu(template, menuName)).find((i) => plainLabel(i) === label)
const click = (entry: MenuItemConstructorOptions | undefined) => (entry?.click as (() => void) | undefined)?.()

/** Every item at every depth. */
function everyItem(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...everyItem(subOf(m))])
}

const PLATFORMS = ['darwin', 'win32', 'linux'] as const

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help everywhere, and the app menu first on macOS', () => {
    const names = (platform: NodeJS.Platform) => buildAppMenuTemplate({ platform, isDev: false, actions: recordingActions().actions }).map(plainLabel)
    expect(names('darwin')).toEqual(['Proofsheet', 'File', 'Edit', 'View', 'Window', 'Help'])
    expect(names('win32')).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(names('linux')).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    const app = subOf(menu(buildAppMenuTemplate({ platform: 'darwin', isDev: false, actions: recordingActions().actions }), 'Proofsheet'))
    expect(app.filter((i) => i.role).map((i) => i.role)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit'])
  })

  it('sends New batch, Export and the theme to the window, with their shortcuts', () => {
    for (const platform of PLATFORMS) {
      const { actions, sent } = recordingActions()
      const t = buildAppMenuTemplate({ platform, isDev: false, actions })
      expect(item(t, 'File', 'New Batch…')?.accelerator).toBe('CmdOrCtrl+N')
      expect(item(t, 'File', 'Export…')?.accelerator).toBe('CmdOrCtrl+E')
      click(item(t, 'File', 'New Batch…'))
      click(item(t, 'File', 'Export…'))
      for (const choice of subOf(item(t, 'View', 'Theme'))) click(choice)
      expect(sent).toEqual([
        { kind: 'new-batch' },
        { kind: 'export' },
        { kind: 'theme', theme: 'light' },
        { kind: 'theme', theme: 'dark' },
        { kind: 'theme', theme: 'system' },
      ])
    }
  })

  it('quits from File on Windows and Linux (Ctrl+Q), from the app menu on macOS', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const t = buildAppMenuTemplate({ platform, isDev: false, actions: recordingActions().actions })
      expect(item(t, 'File', 'Quit')).toMatchObject({ role: 'quit', accelerator: 'Ctrl+Q' })
    }
    const mac = buildAppMenuTemplate({ platform: 'darwin', isDev: false, actions: recordingActions().actions })
    expect(subOf(menu(mac, 'File')).some((i) => i.role === 'quit')).toBe(false)
    expect(item(mac, 'Proofsheet', 'Quit Proofsheet')?.role).toBe('quit')
  })

  it('calls main for the library folder, updates and every Help item', () => {
    for (const platform of PLATFORMS) {
      const { actions, calls, sent } = recordingActions()
      const t = buildAppMenuTemplate({ platform, isDev: false, actions })
      click(item(t, 'File', 'Open Library Folder…'))
      for (const label of ['Proofsheet README', 'Security Notes', 'Report a Problem…', 'Reveal Logs', 'Check for Updates…']) click(item(t, 'Help', label))
      expect(calls).toEqual(['openLibrary', 'openReadme', 'openSecurity', 'reportProblem', 'revealLogs', 'checkForUpdates'])
      expect(sent).toEqual([])
    }
  })

  it('leaves Open library folder and Check for updates harmless until they are wired', () => {
    const { actions } = recordingActions()
    const { openLibrary: _o, checkForUpdates: _c, ...rest } = actions
    const t = buildAppMenuTemplate({ platform: 'linux', isDev: false, actions: rest })
    expect(() => click(item(t, 'File', 'Open Library Folder…'))).not.toThrow()
    expect(() => click(item(t, 'Help', 'Check for Updates…'))).not.toThrow()
  })

  it('uses Electron roles for Edit, zoom, full screen and Window', () => {
    for (const platform of PLATFORMS) {
      const t = buildAppMenuTemplate({ platform, isDev: false, actions: recordingActions().actions })
      expect(subOf(menu(t, 'Edit')).map((i) => i.role).filter(Boolean)).toEqual(
        expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
      )
      expect(subOf(menu(t, 'View')).map((i) => i.role).filter(Boolean)).toEqual(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen'])
      expect(menu(t, 'Window')?.role).toBe('windowMenu')
    }
  })

  it('offers Reload and the developer tools only in development', () => {
    for (const platform of PLATFORMS) {
      const roles = (isDev: boolean) => everyItem(buildAppMenuTemplate({ platform, isDev, actions: recordingActions().actions })).map((i) => i.role)
      for (const role of ['reload', 'forceReload', 'toggleDevTools'] as const) {
        expect(roles(false)).not.toContain(role)
        expect(roles(true)).toContain(role)
      }
    }
  })

  it('keeps nothing of Electron’s default menu: no Learn More, Documentation, Community or Search Issues', () => {
    for (const platform of PLATFORMS) {
      for (const isDev of [false, true]) {
        const items = everyItem(buildAppMenuTemplate({ platform, isDev, actions: recordingActions().actions }))
        const labels = items.map(plainLabel).join('\n')
        expect(labels).not.toMatch(/Learn More|Documentation|Community|Search Issues|electron/i)
        // Every item does something of ours: a role, a click, a submenu or a separator.
        for (const i of items) expect(Boolean(i.role || i.click || i.submenu || i.type === 'separator'), plainLabel(i)).toBe(true)
        // The roles that would bring Electron's own submenus or links are not used.
        expect(items.map((i) => i.role)).not.toContain('appMenu')
        expect(items.map((i) => i.role)).not.toContain('fileMenu')
        expect(items.map((i) => i.role)).not.toContain('viewMenu')
      }
    }
  })
})
