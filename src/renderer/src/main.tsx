import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi } from './api/client'
import { App } from './app/App'
import './app/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
)
