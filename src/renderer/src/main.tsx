import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi, isBrowserMode } from './api/client'
import { App } from './app/App'
import { SessionGate } from './session/SessionGate'
import { createSessionStore } from './session/session-store'
import './app/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

// In browser mode a page opened without its token gets one explanation instead of the app.
const session = createSessionStore(isBrowserMode() ? 'checking' : 'open')
const api = connectApi({ onSignedOut: () => session.getState().signOut() })
if (session.getState().status === 'checking') void session.getState().check(api)

createRoot(root).render(
  <StrictMode>
    <SessionGate session={session}>
      <App api={api} />
    </SessionGate>
  </StrictMode>,
)
