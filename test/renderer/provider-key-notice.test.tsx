/** Moving a profile to another host says, in its row, which stored keys it left behind (the engine's keyNotice). */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider } from './fake-api'

afterEach(cleanup)

const NOTICE = {
  message: 'OpenAI now sends to proxy.example.com. Its stored key "studio" was entered for another host and will not be sent there.',
  remedy: { code: 'reenter_keys' as const, provider: 'openai', labels: ['studio'] },
}

describe('Settings → Providers after a base URL change', () => {
  it('shows the keys the new host left behind in the profile row, after the form closes', async () => {
    const openai = demoProvider({ id: 'openai', name: 'OpenAI', dialect: 'openai-sync', origin: 'builtin', needsKey: true, auth: 'bearer', baseUrl: 'https://api.openai.com/v1' })
    const api = createFakeApi({
      'providers.list': () => ({ providers: [demoProvider(), openai] }),
      'providers.save': (input) => ({ ...openai, baseUrl: input.baseUrl ?? openai.baseUrl, overridden: true, keyNotice: NOTICE }),
    })
    render(<App api={api} />)
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Settings' }))
    fireEvent.click(await screen.findByRole('button', { name: 'Edit OpenAI' }))
    const form = within(screen.getByRole('form', { name: 'Settings for OpenAI' }))
    expect(form.getByText(/A stored key is sent only to the host it was\s+entered for/)).toBeTruthy()
    fireEvent.change(form.getByLabelText('Base URL'), { target: { value: 'https://proxy.example.com/v1' } })
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Settings for OpenAI' })).toBeNull())
    expect(api.callsTo('providers.save')[0]).toMatchObject({ kind: 'override', id: 'openai', baseUrl: 'https://proxy.example.com/v1' })
    const row = screen.getByRole('button', { name: 'Edit OpenAI' }).closest('li')!
    // The engine's remedy, worded with the app's controls.
    expect(within(row).getByRole('status').textContent).toBe(`${NOTICE.message} Enter the key again under Settings → Keys (Rotate "studio"), so it is stored for the new address.`)
  })

  it('marks a stored key whose provider now sends to another host, in Settings → Keys', async () => {
    const moved = demoProvider({ id: 'openai', name: 'OpenAI', dialect: 'openai-sync', origin: 'builtin', needsKey: true, auth: 'bearer', baseUrl: 'https://proxy.example.com:8443/v1' })
    const key = (label: string, host: string | null) => ({ id: `key_${label}`, provider: 'openai', label, last4: 'abcd', backend: 'keychain' as const, createdAt: 1, available: true, host })
    const api = createFakeApi({
      'providers.list': () => ({ providers: [demoProvider(), moved] }),
      'keys.list': () => ({ keys: [key('old', 'api.openai.com'), key('current', 'proxy.example.com:8443')], status: { backend: 'keychain', persistent: true, message: 'OS keychain' } }),
    })
    render(<App api={api} />)
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Settings' }))
    const keys = within(await screen.findByRole('region', { name: 'Keys' }))
    const row = (label: string) => keys.getByRole('button', { name: `Rotate ${label}` }).closest('li')!
    await waitFor(() => expect(row('old').textContent).toContain('Entered for api.openai.com; OpenAI now sends to proxy.example.com:8443.'))
    expect(row('current').textContent).not.toContain('Entered for')
  })
})
