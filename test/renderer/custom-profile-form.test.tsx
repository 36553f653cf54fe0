/** Adding a custom provider: the id is a real value made from the name, and a refused field is marked where it is. */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { CustomProfile, fromZodError, type Input } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { profileIdFrom } from '../../src/renderer/src/settings/profile-form'
import { createFakeApi, demoProvider } from './fake-api'

afterEach(cleanup)

/** providers.save as the engine's router checks it: the contract's schema, its error naming the field. */
function save(input: Input<'providers.save'>) {
  const parsed = CustomProfile.safeParse(input)
  if (!parsed.success) throw fromZodError(parsed.error)
  return demoProvider({ id: parsed.data.id, name: parsed.data.name, origin: 'custom' })
}

async function openForm() {
  const api = createFakeApi({ 'providers.save': save })
  render(<App api={api} />)
  fireEvent.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Settings' }))
  fireEvent.click(await screen.findByRole('button', { name: 'Add a custom provider' }))
  const form = screen.getByRole('form', { name: 'New custom provider' })
  return { api, form: within(form) }
}

describe('New custom provider', () => {
  it('makes the id from the name (a real value, not placeholder text) and saves with it', async () => {
    const { api, form } = await openForm()
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Studio Proxy (EU)' } })
    expect((form.getByLabelText('Profile id') as HTMLInputElement).value).toBe('studio-proxy-eu')
    fireEvent.change(form.getByLabelText('Base URL'), { target: { value: 'https://proxy.example.com/v1' } })
    fireEvent.click(form.getByRole('button', { name: 'Add provider' }))
    await waitFor(() => expect(api.callsTo('providers.save')).toHaveLength(1))
    expect(api.callsTo('providers.save')[0]).toMatchObject({ kind: 'custom', id: 'studio-proxy-eu', name: 'Studio Proxy (EU)' })
  })

  it('marks a refused id with aria-invalid and says what is wrong under it, by its label', async () => {
    const { api, form } = await openForm()
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Studio proxy' } })
    const idField = form.getByLabelText('Profile id') as HTMLInputElement
    fireEvent.change(idField, { target: { value: 'Studio Proxy!' } })
    // Typed by hand, the id no longer follows the name.
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Studio proxy 2' } })
    expect(idField.value).toBe('Studio Proxy!')
    fireEvent.change(form.getByLabelText('Base URL'), { target: { value: 'https://proxy.example.com/v1' } })
    fireEvent.click(form.getByRole('button', { name: 'Add provider' }))

    await waitFor(() => expect(idField.getAttribute('aria-invalid')).toBe('true'))
    const message = document.getElementById(idField.getAttribute('aria-describedby')!)!
    expect(message.textContent).toBe('use 2-31 lowercase letters, digits or dashes, starting with a letter')
    const alert = form.getByRole('alert')
    expect(alert.textContent).toContain('Profile id: use 2-31 lowercase letters')
    expect(alert.textContent).not.toMatch(/^id:/)
    expect(document.activeElement).toBe(idField)
    expect(api.callsTo('providers.save')).toHaveLength(1)

    fireEvent.change(idField, { target: { value: 'studio-proxy' } })
    expect(idField.getAttribute('aria-invalid')).toBeNull()
    fireEvent.click(form.getByRole('button', { name: 'Add provider' }))
    await waitFor(() => expect(api.callsTo('providers.save')).toHaveLength(2))
  })

  it('marks a field the form itself refuses before sending', async () => {
    const { api, form } = await openForm()
    fireEvent.change(form.getByLabelText('Name'), { target: { value: 'Studio proxy' } })
    fireEvent.change(form.getByLabelText('Jobs at once'), { target: { value: '99' } })
    fireEvent.click(form.getByRole('button', { name: 'Add provider' }))
    expect(form.getByLabelText('Jobs at once').getAttribute('aria-invalid')).toBe('true')
    expect(form.getByRole('alert').textContent).toContain('Jobs at once must be a whole number from 1 to 16.')
    expect(api.callsTo('providers.save')).toEqual([])
  })

  it('makes ids the engine accepts', () => {
    expect(profileIdFrom('Studio Proxy (EU)')).toBe('studio-proxy-eu')
    expect(profileIdFrom('Café Ünïcode')).toBe('cafe-unicode')
    expect(profileIdFrom('3D renders')).toBe('p-3d-renders')
    expect(profileIdFrom('!!!')).toBe('')
    expect(profileIdFrom('a'.repeat(50))).toHaveLength(31)
  })
})
