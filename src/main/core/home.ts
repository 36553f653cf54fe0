import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The library folder shared by the app, the CLI and browser mode. It is computed here rather than
 * with Electron's app.getPath so every door finds the same database without Electron.
 */
export function defaultLibraryHome(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.PROOFSHEET_HOME) return env.PROOFSHEET_HOME
  const home = env.HOME ?? env.USERPROFILE ?? homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Proofsheet', 'library')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Proofsheet', 'library')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'Proofsheet', 'library')
}
