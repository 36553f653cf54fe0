/**
 * Carries out the update decision (core/updates/update-decision.ts) with electron-updater. Thin on
 * purpose: every choice (check or not, ask or download) is the pure decision's, tested under Node;
 * this file only asks electron-updater and reports. It never downloads on its own: autoDownload
 * is off, and with no feed configured the updater is not even created, so nothing calls out.
 */
import type { AppUpdater, ProgressInfo } from 'electron-updater'
import type { UpdateState } from '../../shared/updates/update-state'
import { decideUpdate, resolveUpdateFeed, type CheckOutcome, type ConnectionCost, type UpdateAnswer, type UpdateFeed, type UpdateTrigger } from '../core'

export type { UpdateState }

type Updater = Pick<AppUpdater, 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'setFeedURL' | 'on'> & { autoDownload: boolean; autoInstallOnAppQuit: boolean }

export interface UpdateDeps {
  feed: UpdateFeed
  /** electron-updater's autoUpdater; created by the caller only when the feed is not off. */
  updater: () => Promise<Updater>
  /** The renderer's reading of navigator.connection, or 'unknown' when there is no window. */
  connection: () => Promise<ConnectionCost>
  /** Shows the question; resolves with the person's answer. */
  ask: (message: string) => Promise<UpdateAnswer>
  report: (state: UpdateState) => void
}

/** `actions.checkForUpdates` for the Help menu is `(trigger) => controller.check('manual')`. */
export function createUpdateController(deps: UpdateDeps): { check(trigger: UpdateTrigger): Promise<void>; restartToUpdate(): void } {
  let updater: Updater | null = null
  let version = ''
  const ensureUpdater = async (): Promise<Updater> => {
    if (updater) return updater
    const u = await deps.updater()
    u.autoDownload = false
    u.autoInstallOnAppQuit = true
    if (deps.feed.kind === 'generic') u.setFeedURL({ provider: 'generic', url: deps.feed.url })
    if (deps.feed.kind === 'github') u.setFeedURL({ provider: 'github', owner: deps.feed.owner, repo: deps.feed.repo })
    u.on('download-progress', (p: ProgressInfo) => deps.report({ stage: 'downloading', version, percent: Math.round(p.percent) }))
    u.on('update-downloaded', () => deps.report({ stage: 'ready', version }))
    return (updater = u)
  }

  const check = async (trigger: UpdateTrigger): Promise<void> => {
    let outcome: CheckOutcome = { kind: 'unchecked' }
    let answer: UpdateAnswer | null = null
    // At most three rounds: check, maybe ask, then download or stop.
    for (let round = 0; round < 4; round++) {
      const step = decideUpdate({ feed: deps.feed, trigger, check: outcome, connection: await deps.connection(), answer })
      if (step.action === 'nothing') {
        deps.report(deps.feed.kind === 'off' ? { stage: 'off', message: step.message } : { stage: 'idle', message: step.message })
        return
      }
      if (step.action === 'check') {
        deps.report({ stage: 'checking' })
        outcome = await runCheck(await ensureUpdater())
        continue
      }
      version = step.version
      if (step.action === 'ask') {
        deps.report({ stage: 'available', version, message: step.message })
        answer = await deps.ask(step.message)
        continue
      }
      deps.report({ stage: 'downloading', version, percent: 0 })
      try {
        await (await ensureUpdater()).downloadUpdate()
      } catch (err) {
        deps.report({ stage: 'failed', message: `The download of Proofsheet ${version} failed: ${(err as Error).message}` })
      }
      return
    }
  }

  return {
    check,
    restartToUpdate: () => updater?.quitAndInstall(),
  }
}

async function runCheck(u: Pick<AppUpdater, 'checkForUpdates'>): Promise<CheckOutcome> {
  try {
    const result = await u.checkForUpdates()
    if (!result) return { kind: 'failed', reason: 'this copy of Proofsheet cannot update itself (not installed from an installer).' }
    const info = result.updateInfo
    if (!result.isUpdateAvailable) return { kind: 'current', version: info.version }
    const sizeBytes = info.files.reduce((sum, f) => sum + (f.size ?? 0), 0)
    return { kind: 'newer', version: info.version, ...(sizeBytes > 0 ? { sizeBytes } : {}) }
  } catch (err) {
    return { kind: 'failed', reason: (err as Error).message }
  }
}

/**
 * The app's update wiring: the feed in force (environment, then the installer's publish entry;
 * the Settings field is for later) and a controller whose `check` the Help menu's
 * `actions.checkForUpdates` calls. With no feed, electron-updater is not even loaded.
 */
export function createAppUpdates(deps: {
  env: Record<string, string | undefined>
  /** True when the installer wrote app-update.yml (electron-builder's `publish` entry). */
  packagedFeed: boolean
  loadUpdater: UpdateDeps['updater']
  connection: UpdateDeps['connection']
  ask: UpdateDeps['ask']
  /** Says a message aloud to the person (a message box when they asked, the log otherwise). */
  tell: (message: string, trigger: UpdateTrigger) => void
  log: (message: string) => void
  /** Told each time the state changes (the window's Updates section follows it). */
  changed?: (state: UpdateState) => void
}): { checkForUpdates: () => Promise<void>; checkOnStart: () => Promise<void>; state: () => UpdateState; restartToUpdate: () => void } {
  const resolved = resolveUpdateFeed({ env: deps.env, setting: null, packagedFeed: deps.packagedFeed })
  let state: UpdateState = { stage: 'off', message: null }
  if (!resolved.ok) {
    deps.log(`[updates] ${resolved.message}`)
    state = { stage: 'failed', message: resolved.message }
    const refuse = async (): Promise<void> => deps.tell(resolved.message, 'manual')
    return { checkForUpdates: refuse, checkOnStart: async () => undefined, state: () => state, restartToUpdate: () => undefined }
  }
  let trigger: UpdateTrigger = 'start'
  const controller = createUpdateController({
    feed: resolved.feed,
    updater: deps.loadUpdater,
    connection: deps.connection,
    ask: deps.ask,
    report: (next) => {
      state = next
      deps.changed?.(next)
      // A question is shown by `ask`; the other news is told (aloud only when asked for).
      const message = next.stage === 'off' || next.stage === 'idle' || next.stage === 'failed' ? next.message : null
      if (message) deps.tell(message, trigger)
    },
  })
  return {
    checkForUpdates: () => controller.check((trigger = 'manual')),
    checkOnStart: () => controller.check((trigger = 'start')),
    state: () => state,
    restartToUpdate: () => controller.restartToUpdate(),
  }
}
