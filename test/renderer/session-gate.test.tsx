/** Browser mode without its token: one page that says how to open the app, not the workspace full of refusals. */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { SessionGate } from '../../src/renderer/src/session/SessionGate'
import { createSessionStore } from '../../src/renderer/src/session/session-store'
import { createFakeApi } from './fake-api'

afterEach(cleanup)

describe('session gate', () => {
  it('shows one page saying how to open Proofsheet when the first call finds no session', async () => {
    const session = createSessionStore('checking')
    const api = createFakeApi({
      'queue.state': () => {
        // What the transport does on the bridge's 401, before the refusal reaches the caller.
        session.getState().signOut()
        throw new ApiError('unavailable', 'The browser bridge needs its access token.')
      },
    })
    void session.getState().check(api)
    render(
      <SessionGate session={session}>
        <App api={api} />
      </SessionGate>,
    )
    const heading = await screen.findByRole('heading', { name: 'Open Proofsheet from the address npm run web printed' })
    expect(heading.closest('main')!.textContent).toContain('?token=')
    expect(screen.queryByRole('region', { name: 'Gallery' })).toBeNull()
    expect(screen.queryAllByRole('alert')).toEqual([])
    // Only the check was sent: the workspace never rendered to ask for more.
    expect(api.calls.map((c) => c.name)).toEqual(['queue.state'])
  })

  it('shows the app once the check passes, and the page if the session is lost later', async () => {
    const session = createSessionStore('checking')
    const api = createFakeApi({})
    render(
      <SessionGate session={session}>
        <App api={api} />
      </SessionGate>,
    )
    expect(screen.getByText('Opening Proofsheet…')).toBeTruthy()
    await act(() => session.getState().check(api))
    await waitFor(() => expect(screen.getByRole('region', { name: 'Gallery' })).toBeTruthy())
    act(() => session.getState().signOut())
    expect(screen.getByRole('heading', { name: /Open Proofsheet from the address/ })).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Gallery' })).toBeNull()
  })
})
