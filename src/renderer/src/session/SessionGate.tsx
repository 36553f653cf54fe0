import { useEffect, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { SessionStore } from './session-store'
import './session.css'

/** The app once the session is known to be there; otherwise one page saying how to open it. */
export function SessionGate({ session, children }: { session: SessionStore; children: ReactNode }): ReactNode {
  const status = useStore(session, (s) => s.status)
  if (status === 'signed-out') return <OpenFromAddressPage />
  if (status === 'checking') return <p className="session-checking">Opening Proofsheet…</p>
  return children
}

function OpenFromAddressPage(): ReactNode {
  useEffect(() => {
    document.title = 'Open Proofsheet from its address'
  }, [])
  const example = `${window.location.origin}/?token=…`
  return (
    <main className="session-page" aria-labelledby="session-heading">
      <h1 id="session-heading">Open Proofsheet from the address npm run web printed</h1>
      <p>
        This page was opened without its session, so it cannot reach your library. The terminal where{' '}
        <code>npm run web</code> runs prints the address to open as its last line, for example <code>{example}</code>.
      </p>
      <p>
        Open that address in this browser: it signs the browser in and moves to the app&apos;s own address, which this browser can
        reload and come back to. The address works once.
      </p>
      <p className="session-hint">
        Already used that address, or restarted <code>npm run web</code>? Stop it, start it again and open the address it prints now.
      </p>
    </main>
  )
}
