import { describe, expect, it } from 'vitest'
import { buildWebPreferences, buildWindowOptions } from '../../../src/main/electron/window-options'

describe('window options', () => {
  const prefs = buildWebPreferences('/app/out/preload/index.cjs')

  it('isolates and sandboxes the renderer with no Node in it', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    })
  })

  it('keeps web security on and the risky features off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    })
  })

  it('loads the CommonJS preload it is given', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })

  it('creates the window hidden until ready-to-show, with these preferences', () => {
    const options = buildWindowOptions('/p.cjs', '/icon.png')
    expect(options.icon).toBe('/icon.png')
    expect(options.show).toBe(false)
    expect(options.webPreferences).toEqual(buildWebPreferences('/p.cjs'))
  })
})
