import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { UpdatesSettings } from '../../src/renderer/src/settings/UpdatesSettings'
import type { UpdateCapabilities, UpdateState } from '../../src/shared/updates/update-state'

afterEach(cleanup)

/** The preload's `updates` as the section sees it: a state, actions, and pushed changes. */
function updater(first: UpdateState) {
  const listeners = new Set<(state: UpdateState) => void>()
  const calls: string[] = []
  const updates: UpdateCapabilities = {
    state: async () => first,
    check: async () => void calls.push('check'),
    restart: async () => void calls.push('restart'),
    onState: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const push = (state: UpdateState) => act(() => listeners.forEach((l) => l(state)))
  return { updates, calls, push }
}

describe('Settings: Updates', () => {
  it('is absent in browser mode (no updater)', () => {
    render(<UpdatesSettings updates={undefined} />)
    expect(screen.queryByRole('region', { name: 'Updates' })).toBeNull()
  })

  it('says updates are off with no feed, and checks when asked', async () => {
    const u = updater({ stage: 'off', message: null })
    render(<UpdatesSettings updates={u.updates} />)
    const region = await screen.findByRole('region', { name: 'Updates' })
    expect(await screen.findByText('Updates are off: no update feed is configured.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Check for updates' }))
    expect(u.calls).toEqual(['check'])
    expect(region).toBeTruthy()
  })

  it('follows the updater: available, downloading with its percentage, ready to restart', async () => {
    const u = updater({ stage: 'idle', message: null })
    render(<UpdatesSettings updates={u.updates} />)
    await screen.findByRole('region', { name: 'Updates' })
    u.push({ stage: 'available', version: '1.4.0', message: 'Proofsheet 1.4.0 is available (98 MB). This connection is metered: download it now?' })
    expect(screen.getByRole('status').textContent).toBe('Proofsheet 1.4.0 is available (98 MB). This connection is metered: download it now?')
    u.push({ stage: 'downloading', version: '1.4.0', percent: 42 })
    expect(screen.getByRole('status').textContent).toBe('Downloading Proofsheet 1.4.0: 42%')
    expect(screen.getByRole('progressbar', { name: 'Update download' }).getAttribute('value')).toBe('42')
    expect((screen.getByRole('button', { name: 'Check for updates' }) as HTMLButtonElement).disabled).toBe(true)
    u.push({ stage: 'ready', version: '1.4.0' })
    expect(screen.getByRole('status').textContent).toBe('Proofsheet 1.4.0 is downloaded and installs when you restart.')
    fireEvent.click(screen.getByRole('button', { name: 'Restart to update' }))
    expect(u.calls).toEqual(['restart'])
  })
})
