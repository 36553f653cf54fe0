import { describe, expect, it } from 'vitest'
import { logFolder } from '../../../src/main/core/logs'

describe('logFolder: the folder Electron calls app.getPath("logs"), for every door', () => {
  it('is ~/.config/Proofsheet/logs on Linux, or under XDG_CONFIG_HOME', () => {
    expect(logFolder({ platform: 'linux', env: {}, home: '/home/ana' })).toBe('/home/ana/.config/Proofsheet/logs')
    expect(logFolder({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/ana' })).toBe('/cfg/Proofsheet/logs')
  })

  it('is ~/Library/Logs/Proofsheet on macOS', () => {
    expect(logFolder({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/Users/ana' })).toBe('/Users/ana/Library/Logs/Proofsheet')
  })

  it('is %APPDATA%\\Proofsheet\\logs on Windows', () => {
    expect(logFolder({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, home: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\Proofsheet\\logs')
    expect(logFolder({ platform: 'win32', env: {}, home: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\Proofsheet\\logs')
  })

  it('follows PROOFSHEET_LOG_DIR when it is set', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(logFolder({ platform, env: { PROOFSHEET_LOG_DIR: '/tmp/here', APPDATA: 'C:\\x' }, home: '/h' })).toBe('/tmp/here')
    }
  })
})
