/**
 * Where Proofsheet's log files live, computed the same way for all three doors. Electron's
 * app.getPath('logs') gives these same folders for an app named "Proofsheet"; the CLI and browser
 * mode have no Electron to ask, so this is the one place that knows them. PROOFSHEET_LOG_DIR
 * overrides it (tests; a user who wants the logs elsewhere).
 */
import { posix, win32 } from 'node:path'

export const APP_FOLDER_NAME = 'Proofsheet'
export const LOG_DIR_ENV = 'PROOFSHEET_LOG_DIR'

export interface LogFolderInput {
  readonly platform: NodeJS.Platform
  readonly env: Record<string, string | undefined>
  /** The user's home folder (os.homedir()). */
  readonly home: string
}

export function logFolder({ platform, env, home }: LogFolderInput): string {
  const override = env[LOG_DIR_ENV]?.trim()
  if (override) return override
  if (platform === 'darwin') return posix.join(home, 'Library', 'Logs', APP_FOLDER_NAME)
  if (platform === 'win32') {
    // Electron's userData is %APPDATA%\<name>; its 'logs' path sits inside it.
    const appData = env.APPDATA?.trim() || win32.join(home, 'AppData', 'Roaming')
    return win32.join(appData, APP_FOLDER_NAME, 'logs')
  }
  const config = env.XDG_CONFIG_HOME?.trim() || posix.join(home, '.config')
  return posix.join(config, APP_FOLDER_NAME, 'logs')
}
