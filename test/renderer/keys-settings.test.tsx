import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { KeychainStatus, KeyInfo, SecretBackend } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider } from './fake-api'

afterEach(cleanup)

const STATUS: Record<SecretBackend, KeychainStatus> = {
  keychain: { backend: 'keychain', persistent: true, message: 'Keys are stored in the OS keychain (service "Proofsheet").' },
  'encrypted-file': { backend: 'encrypted-file', persistent: true, message: 'No OS keychain is available; keys are encrypted and kept in /lib/keys.sealed.' },
  session: { backend: 'session', persistent: false, message: 'No OS keychain is available; keys you add are kept for this session only.' },
}

/** Settings → Keys over an engine whose keys live in `backend`; adding a key goes through the providers store. */
async function openKeys(backend: SecretBackend) {
  const keys: KeyInfo[] = []
  const api = createFakeApi({
    'providers.list': () => ({ providers: [demoProvider(), demoProvider({ id: 'openai', name: 'OpenAI', needsKey: true })] }),
    'keys.list': () => ({ keys: [...keys], status: STATUS[backend] }),
    'keys.add': (input) => {
      const info: KeyInfo = { id: 'key_1', provider: input.provider, label: input.label, last4: input.secret.slice(-4), backend, createdAt: 1, available: true }
      keys.push(info)
      return info
    },
  })
  render(<App api={api} />)
  fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
  const region = await screen.findByRole('region', { name: 'Keys' })
  await within(region).findByText(STATUS[backend].message)
  const form = within(region).getByRole('form', { name: 'Add a key' })
  const hint = () => within(form).getByLabelText('Secret').parentElement!.querySelector('.hint')!.textContent
  const add = async () => {
    fireEvent.change(within(form).getByLabelText('Key label'), { target: { value: 'Studio' } })
    fireEvent.change(within(form).getByLabelText('Secret'), { target: { value: 'sk-test-abcd1234' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Add key' }))
    await within(region).findByRole('listitem')
    return within(form).getByRole('status').textContent
  }
  return { api, region, hint, add }
}

describe('Settings → Keys says one true thing about where keys are kept', () => {
  it('in the OS keychain', async () => {
    const ui = await openKeys('keychain')
    expect(ui.hint()).toBe('Stored in the OS keychain; Proofsheet shows only its last four characters from now on.')
    expect(await ui.add()).toBe('Added "Studio" (····1234), kept in the OS keychain.')
    expect(ui.api.callsTo('keys.add')).toEqual([{ provider: 'openai', label: 'Studio', secret: 'sk-test-abcd1234' }])
  })

  it('in an encrypted file when there is no keychain', async () => {
    const ui = await openKeys('encrypted-file')
    expect(ui.hint()).toMatch(/^Stored encrypted in a file on this computer, since there is no OS keychain/)
    expect(await ui.add()).toBe('Added "Studio" (····1234), kept in an encrypted file on this computer (there is no OS keychain).')
  })

  it('for this session only, never claiming a keychain', async () => {
    const ui = await openKeys('session')
    expect(ui.hint()).toMatch(/^Kept for this session only, since there is no OS keychain: add it again after a restart/)
    const added = await ui.add()
    expect(added).toBe('Added "Studio" (····1234), kept for this session only: there is no OS keychain, so add it again after a restart.')
    await waitFor(() => expect(within(ui.region).getByRole('listitem').textContent).toContain('This session only'))
    expect(ui.region.textContent).not.toMatch(/keychain;|in the keychain|the This session/)
  })
})
