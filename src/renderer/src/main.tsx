import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Theme } from '../../shared/api/workspace'
import { connectApi } from './api/client'
import { App } from './app/App'
import { applyTheme, THEME_HINT_KEY } from './app/ThemeControl'
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

createRoot(root).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
)
