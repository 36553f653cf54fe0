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

/**
 * The app's config folder: machine-level files that belong to no library (the recent libraries).
 * PROOFSHEET_CONFIG_HOME replaces it (tests; a portable setup).
 */
export function defaultConfigFolder(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.PROOFSHEET_CONFIG_HOME) return env.PROOFSHEET_CONFIG_HOME
  const home = env.HOME ?? env.USERPROFILE ?? homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Proofsheet')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Proofsheet')
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Proofsheet')
}

/** The recent-libraries list inside the config folder. */
export function recentLibrariesFile(configFolder: string): string {
  return join(configFolder, 'recent-libraries.json')
}

/**
 * Which library the app and browser mode open at start, in one place: a folder named on the
 * command line, else PROOFSHEET_HOME, else the library opened last (if it is still there), else
 * the default. The CLI keeps `defaultLibraryHome` (scripts rely on a fixed default).
 */
export function startLibraryHome(opts: {
  flag?: string | undefined
  lastOpened: string | null
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
}): string {
  const env = opts.env ?? process.env
  if (opts.flag) return opts.flag
  if (env.PROOFSHEET_HOME) return env.PROOFSHEET_HOME
  return opts.lastOpened ?? defaultLibraryHome(env, opts.platform)
}
