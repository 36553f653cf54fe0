import { useEffect, useId, useState, type ReactNode } from 'react'
import type { UpdateCapabilities, UpdateState } from '../../../shared/updates/update-state'

/** One line for each updater state, as the Updates section words it. */
export function updateStateText(state: UpdateState): string {
  switch (state.stage) {
    case 'off':
      return state.message ?? 'Updates are off: no update feed is configured.'
    case 'idle':
      return state.message ?? 'No update checked yet in this session.'
    case 'checking':
      return 'Checking for updates…'
    case 'available':
      return state.message
    case 'downloading':
      return `Downloading Proofsheet ${state.version}: ${state.percent}%`
    case 'ready':
      return `Proofsheet ${state.version} is downloaded and installs when you restart.`
    case 'failed':
      return state.message
  }
}

/**
 * The desktop updater's state (available, downloading with its percentage, ready to restart).
 * Browser mode has no updater: `updates` is absent and nothing is shown.
 */
export function UpdatesSettings({ updates = window.proofsheet?.updates }: { updates?: UpdateCapabilities }): ReactNode {
  const [state, setState] = useState<UpdateState | null>(null)
  const headingId = useId()
  useEffect(() => {
    if (!updates) return
    let live = true
    void updates.state().then((s) => live && s && setState(s))
    const stop = updates.onState(setState)
    return () => {
      live = false
      stop()
    }
  }, [updates])
  if (!updates) return null
  return (
    <section className="panel settings-section" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>Updates</h2>
      </div>
      {state ? (
        <p role="status" className="hint">
          {updateStateText(state)}
        </p>
      ) : null}
      {state?.stage === 'downloading' ? <progress aria-label="Update download" max={100} value={state.percent} /> : null}
      <div className="form-actions">
        {state?.stage === 'ready' ? (
          <button type="button" className="button-accent" onClick={() => void updates.restart()}>
            Restart to update
          </button>
        ) : (
          <button type="button" className="button-quiet" disabled={state?.stage === 'checking' || state?.stage === 'downloading'} onClick={() => void updates.check()}>
            Check for updates
          </button>
        )}
      </div>
    </section>
  )
}
