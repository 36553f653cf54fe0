import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppCommand } from '../../src/shared/api/desktop'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi } from './fake-api'

afterEach(cleanup)

/** Stands in for the preload's onCommand: the test sends what main's menu would. */
function commandSource() {
  const listeners = new Set<(command: AppCommand) => void>()
  return {
    source: (listener: (command: AppCommand) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    send: (command: AppCommand) => act(() => listeners.forEach((l) => l(command))),
  }
}

const renderApp = () => {
  const api = createFakeApi({ 'workspace.save': () => ({ ok: true as const }) })
  const menu = commandSource()
  render(<App api={api} commands={menu.source} />)
  return { api, menu }
}

describe('the desktop app’s menu in the interface', () => {
  it('opens New batch from File › New Batch…, from any view', async () => {
    const { menu } = renderApp()
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }))
    menu.send({ kind: 'new-batch' })
    expect(await screen.findByRole('dialog', { name: 'New batch' })).toBeTruthy()
  })

  it('opens the gallery’s Export dialog from File › Export…', async () => {
    const { menu } = renderApp()
    await screen.findByRole('button', { name: 'New batch' })
    menu.send({ kind: 'export' })
    expect(await screen.findByRole('dialog', { name: /Export/ })).toBeTruthy()
  })

  it('sets the theme from View › Theme', async () => {
    const { menu } = renderApp()
    await screen.findByRole('button', { name: 'New batch' })
    menu.send({ kind: 'theme', theme: 'dark' })
    expect(await screen.findByRole('radio', { name: /Dark/, checked: true })).toBeTruthy()
  })

  it('shows a notice from main (a window reloaded after a crash) until it is dismissed', async () => {
    const { menu } = renderApp()
    menu.send({ kind: 'notice', text: 'The window crashed and was reloaded. Queued work kept running; nothing was lost.' })
    const notice = await screen.findByRole('status', { name: 'Notice' })
    expect(notice.textContent).toContain('The window crashed and was reloaded.')
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('status', { name: 'Notice' })).toBeNull()
  })
})
