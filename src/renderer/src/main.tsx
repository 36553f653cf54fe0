import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Theme } from '../../shared/api/workspace'
import { connectApi, isBrowserMode } from './api/client'
import { App } from './app/App'
import { applyTheme, THEME_HINT_KEY } from './app/ThemeControl'
import { SessionGate } from './session/SessionGate'
import { createSessionStore } from './session/session-store'
import './app/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

// Paint in the last theme at once; the library's remembered choice replaces it when it arrives.
try {
  const hint = Theme.safeParse(window.localStorage.getItem(THEME_HINT_KEY))
  applyTheme(hint.success ? hint.data : 'system')
} catch {
  applyTheme('system')
}

// In browser mode a page opened without its token gets one explanation instead of the app.
const session = createSessionStore(isBrowserMode() ? 'checking' : 'open')
const api = connectApi({ onSignedOut: () => session.getState().signOut() })
if (session.getState().status === 'checking') void session.getState().check(api)

createRoot(root).render(
  <StrictMode>
    <SessionGate session={session}>
      <App api={api} commands={window.proofsheet?.onCommand} />
    </SessionGate>
  </StrictMode>,
)
