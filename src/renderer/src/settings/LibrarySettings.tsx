import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { formatBytes } from '../../../shared/format/bytes'
import { useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import './settings.css'

/**
 * Where the library is, how big it is, and switching to another one or a new one. The desktop app
 * picks folders with the OS dialog; browser mode types the path (the engine checks it either way).
 */
export function LibrarySettings(): ReactNode {
  const store = useStores().library
  const current = useStore(store, (s) => s.current)
  const recent = useStore(store, (s) => s.recent)
  const loadError = useStore(store, (s) => s.loadError)
  const switching = useStore(store, (s) => s.switching)
  const switchError = useStore(store, (s) => s.switchError)
  const blockedBy = useStore(store, (s) => s.blockedBy)
  const [path, setPath] = useState('')
  const headingId = useId()
  const pathId = useId()
  const pickFolder = window.proofsheet?.pickFolder

  useEffect(() => {
    void store.getState().load()
  }, [store])

  const submit = (create: boolean) => (event?: FormEvent) => {
    event?.preventDefault()
    if (path.trim() === '') return
    void store.getState().open(path.trim(), { create })
  }
  const choose = async (): Promise<void> => {
    const picked = await pickFolder?.('library')
    if (picked) setPath(picked)
  }

  return (
    <section className="panel settings-section" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>Library</h2>
      </div>
      {loadError ? <ErrorNote error={loadError} onRetry={() => store.getState().load()} /> : null}
      {current ? (
        <dl className="library-figures" aria-label="Library in use">
          <dt>Folder</dt>
          <dd className="library-path">{current.path}</dd>
          <dt>Images</dt>
          <dd>{current.imageCount.toLocaleString()}</dd>
          <dt>Size</dt>
          <dd>{formatBytes(current.sizeBytes)}</dd>
        </dl>
      ) : null}
      <form noValidate className="settings-form" aria-label="Open or create a library" onSubmit={submit(false)}>
        <div className="field">
          <label htmlFor={pathId}>Library folder</label>
          <input
            id={pathId}
            type="text"
            value={path}
            spellCheck={false}
            placeholder="/Users/you/Pictures/Proofsheet library"
            onChange={(e) => setPath(e.target.value)}
          />
          <p className="hint">Open a folder that holds a Proofsheet library, or create a new library in an empty folder (or one that does not exist yet).</p>
        </div>
        <div className="form-actions">
          {pickFolder ? (
            <button type="button" className="button-quiet" disabled={switching} onClick={() => void choose()}>
              Choose folder…
            </button>
          ) : null}
          <button type="submit" className="button-accent" disabled={switching || path.trim() === ''}>
            Open library
          </button>
          <button type="button" className="button-quiet" disabled={switching || path.trim() === ''} onClick={() => submit(true)()}>
            Create library
          </button>
        </div>
      </form>
      {switchError ? (
        <ErrorNote
          error={switchError}
          action={
            blockedBy ? (
              <button type="button" className="button-danger-solid" disabled={switching} onClick={() => void store.getState().open(blockedBy.path, { create: blockedBy.create, interrupt: true })}>
                Pause &amp; switch
              </button>
            ) : null
          }
        />
      ) : null}
      {recent.length > 0 ? (
        <>
          <h3 className="field-heading">Recent libraries</h3>
          <ul className="library-recent" aria-label="Recent libraries">
            {recent.map((entry) => (
              <li key={entry.path} className="library-recent-row">
                <span className="library-path">{entry.path}</span>
                {entry.current ? <span className="badge badge-ok">In use</span> : null}
                {entry.missing ? <span className="badge badge-danger">Missing</span> : null}
                {!entry.current ? (
                  <>
                    <button
                      type="button"
                      className="button-quiet"
                      aria-label={`Open ${entry.path}`}
                      disabled={switching || entry.missing}
                      onClick={() => void store.getState().open(entry.path, { create: false })}
                    >
                      Open
                    </button>
                    <button type="button" className="button-quiet" aria-label={`Remove ${entry.path} from the list`} onClick={() => void store.getState().forget(entry.path)}>
                      Remove
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
