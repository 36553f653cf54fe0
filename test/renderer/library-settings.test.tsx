import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, type LibraryInfo } from '../../src/shared/api'
import { StoresContextForTests } from './library-settings-harness'
import { createFakeApi } from './fake-api'

afterEach(cleanup)

const first: LibraryInfo = { path: '/Users/d/Library A', imageCount: 1200, sizeBytes: 3 * 1024 * 1024, runningJobs: 2 }

describe('Settings: Library', () => {
  it('shows the folder and its figures, and offers "Pause & switch" when running jobs refuse a switch', async () => {
    const reloads: number[] = []
    const api = createFakeApi({
      'library.current': () => first,
      'library.recent': () => [
        { path: first.path, openedAt: 2, missing: false, current: true },
        { path: '/Volumes/Old/Library B', openedAt: 1, missing: true, current: false },
      ],
      'library.open': (input) => {
        if (input.whileRunning !== 'interrupt') {
          throw new ApiError('conflict', '2 jobs are running in this library; switching now would interrupt them.', { field: 'whileRunning', fix: 'Wait for them to finish, or pause and switch.' })
        }
        return { ...first, path: input.path, imageCount: 0, runningJobs: 0 }
      },
    })
    render(<StoresContextForTests api={api} reload={() => reloads.push(1)} />)
    const region = await screen.findByRole('region', { name: 'Library' })
    await within(region).findByRole('list', { name: 'Recent libraries' })
    expect(within(region).getAllByRole('definition').map((d) => d.textContent)).toEqual(['/Users/d/Library A', (1200).toLocaleString(), '3.0 MB'])
    const recent = within(region).getByRole('list', { name: 'Recent libraries' })
    expect(within(recent).getByText('Missing')).toBeTruthy()
    expect((within(recent).getByRole('button', { name: 'Open /Volumes/Old/Library B' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(within(region).getByLabelText('Library folder'), { target: { value: '/Users/d/Library C' } })
    fireEvent.click(within(region).getByRole('button', { name: 'Create library' }))
    const alert = await within(region).findByRole('alert')
    expect(alert.textContent).toContain('2 jobs are running in this library')
    expect(reloads).toEqual([])

    fireEvent.click(within(alert).getByRole('button', { name: 'Pause & switch' }))
    await waitFor(() => expect(reloads).toEqual([1]))
    expect(api.callsTo('library.open')).toEqual([
      { path: '/Users/d/Library C', create: true, whileRunning: 'refuse' },
      { path: '/Users/d/Library C', create: true, whileRunning: 'interrupt' },
    ])
  })
})
