import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider, estimateFor, job, type FakeApi, sizesOf } from './fake-api'
import { openQueue } from './open-queue'
import { isChosen, sizeBox } from './size-picker'

afterEach(cleanup)

function renderApp(api: FakeApi) {
  render(<App api={api} />)
  return {
    prompt: () => screen.getByRole('textbox', { name: 'Prompt' }),
    generate: () => screen.getByRole('button', { name: 'Generate' }),
    size: (name: string) => sizeBox(name),
  }
}

describe('Generate panel', () => {
  it('shows a live cost preview with a line per size and the total, starting on the default size', async () => {
    const api = createFakeApi({ 'jobs.estimate': estimateFor })
    const ui = renderApp(api)
    const preview = screen.getByRole('region', { name: 'Cost preview' })

    // 1024x1024 is ticked as soon as the provider is known: the preview has a price at once.
    await waitFor(() => expect((ui.size('1024x1024') as HTMLInputElement).checked).toBe(true))
    await waitFor(() => expect(within(preview).getByText('$0.04', { selector: '.cost-total strong' })).toBeTruthy())
    fireEvent.click(ui.size('1536x1024'))

    await waitFor(() => expect(within(preview).getByText('$0.08')).toBeTruthy())
    const lines = within(preview).getAllByRole('listitem')
    expect(lines.map((line) => line.textContent)).toEqual(['1024 × 10241 × $0.04$0.04', '1536 × 10241 × $0.04$0.04'])
    expect(within(preview).getByText('Total')).toBeTruthy()
    expect(within(preview).getByText(/Test price table/)).toBeTruthy()

    const last = api.callsTo('jobs.estimate').at(-1)
    expect(last).toMatchObject({ provider: 'demo', format: 'png' })

    fireEvent.click(ui.size('1024x1024'))
    fireEvent.click(ui.size('1536x1024'))
    await waitFor(() => expect(within(preview).getByText('Pick at least one size to see the cost.')).toBeTruthy())
  })

  it('keeps the last numbers on screen while a new estimate is on its way', async () => {
    let answer: ((value: ReturnType<typeof estimateFor>) => void) | null = null
    let first = true
    const api = createFakeApi({
      'jobs.estimate': (input) => {
        if (first) {
          first = false
          return estimateFor(input)
        }
        return new Promise((resolve) => (answer = () => resolve(estimateFor(input))))
      },
    })
    const ui = renderApp(api)
    const preview = screen.getByRole('region', { name: 'Cost preview' })
    await waitFor(() => expect(within(preview).getByText('$0.04', { selector: '.cost-total strong' })).toBeTruthy())

    fireEvent.click(ui.size('1536x1024'))
    await waitFor(() => expect(answer).not.toBeNull())
    expect(preview.getAttribute('aria-busy')).toBe('true')
    expect(within(preview).getByText('$0.04', { selector: '.cost-total strong' })).toBeTruthy()
    expect(within(preview).queryByText('Estimating…')).toBeNull()

    answer!(estimateFor({ provider: 'demo', prompt: '', sizes: [] }))
    await waitFor(() => expect(within(preview).getByText('$0.08')).toBeTruthy())
    expect(preview.getAttribute('aria-busy')).toBe('false')
  })

  it('shows an estimate error with its fix next to the preview', async () => {
    const api = createFakeApi({
      'jobs.estimate': () => {
        throw new ApiError('bad_input', 'No price for 1024x1024 at this provider.', { field: 'sizes', fix: 'Pick another size.' })
      },
    })
    renderApp(api)
    const preview = screen.getByRole('region', { name: 'Cost preview' })
    const alert = await within(preview).findByRole('alert')
    expect(alert.textContent).toContain('No price for 1024x1024 at this provider.')
    expect(alert.textContent).toContain('Pick another size.')
  })

  it('enables Generate as soon as there is a prompt, and says beside it what blocks it', async () => {
    const api = createFakeApi({
      'jobs.estimate': estimateFor,
      'jobs.generate': (input) => ({
        batchId: null,
        jobs: [job({ id: 'job_new', prompt: input.prompt, size: '1024x1024' })],
        estimate: estimateFor(input),
      }),
    })
    const ui = renderApp(api)
    await waitFor(() => expect((ui.size('1024x1024') as HTMLInputElement).checked).toBe(true))
    const status = () => document.getElementById('generate-status')!.textContent

    expect(ui.generate()).toHaveProperty('disabled', true)
    expect(status()).toBe('Write a prompt first.')

    fireEvent.change(ui.prompt(), { target: { value: '   ' } })
    expect(ui.generate()).toHaveProperty('disabled', true)

    fireEvent.change(ui.prompt(), { target: { value: 'A ceramic mug on white' } })
    expect(ui.generate()).toHaveProperty('disabled', false)

    fireEvent.click(ui.size('1024x1024'))
    expect(ui.generate()).toHaveProperty('disabled', true)
    expect(status()).toBe('Pick at least one size.')

    fireEvent.click(ui.size('1024x1024'))
    expect(ui.generate()).toHaveProperty('disabled', false)

    fireEvent.click(ui.generate())
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({
      provider: 'demo',
      prompt: 'A ceramic mug on white',
      sizes: [{ width: 1024, height: 1024 }],
      format: 'png',
    })
    const queue = openQueue()
    await waitFor(() => expect(within(queue).getByText('A ceramic mug on white')).toBeTruthy())
    await waitFor(() => expect(status()).toBe('Queued 1 job. Press again for more.'))

    // The message is about that press: a new prompt (or provider) is a new start.
    fireEvent.change(ui.prompt(), { target: { value: 'A ceramic mug on oak' } })
    expect(status()).toBe('Queues 1 job, one per size.')
  })

  it('generates with Ctrl+Enter in the prompt', async () => {
    const api = createFakeApi({
      'jobs.estimate': estimateFor,
      'jobs.generate': (input) => ({ batchId: null, jobs: [job({ prompt: input.prompt })], estimate: estimateFor(input) }),
    })
    const ui = renderApp(api)
    await waitFor(() => expect((ui.size('1024x1024') as HTMLInputElement).checked).toBe(true))
    fireEvent.click(ui.size('1024x1024'))
    fireEvent.change(ui.prompt(), { target: { value: 'Poster draft' } })
    fireEvent.keyDown(ui.prompt(), { key: 'Enter', ctrlKey: true })
    expect(api.callsTo('jobs.generate')).toHaveLength(0) // no size: nothing happens

    fireEvent.click(ui.size('1024x1024'))
    fireEvent.keyDown(ui.prompt(), { key: 'Enter', ctrlKey: true })
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
  })

  it('shows the engine error and its fix when generating fails', async () => {
    const api = createFakeApi({
      'jobs.estimate': estimateFor,
      'jobs.generate': () => {
        throw new ApiError('bad_input', 'prompt is longer than 32,000 characters', { field: 'prompt', fix: 'Shorten the prompt.' })
      },
    })
    const ui = renderApp(api)
    await waitFor(() => expect((ui.size('1024x1024') as HTMLInputElement).checked).toBe(true))
    fireEvent.change(ui.prompt(), { target: { value: 'x' } })
    fireEvent.click(ui.generate())
    const alert = await screen.findByText('prompt is longer than 32,000 characters')
    expect(alert.closest('[role="alert"]')?.textContent).toContain('Shorten the prompt.')
  })

  it('starts on a provider it can use right away: not one that needs a key nobody stored', async () => {
    const api = createFakeApi({
      'providers.list': () => ({
        providers: [
          demoProvider({ id: 'toapis', name: 'ToAPIs', needsKey: true }),
          demoProvider({ id: 'demo', name: 'Demo' }),
        ],
      }),
    })
    renderApp(api)
    const select = screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement
    await waitFor(() => expect(select.value).toBe('demo'))
    expect(within(select).getByRole('option', { name: 'ToAPIs' })).toBeTruthy()
  })

  it('takes a typed custom size where the profile allows one, checks it, and sends it', async () => {
    const api = createFakeApi({
      'providers.list': () => ({ providers: [demoProvider({ customSizes: { min: 256, max: 3840, multipleOf: 16 } })] }),
      'jobs.estimate': estimateFor,
    })
    const ui = renderApp(api)
    fireEvent.click(await screen.findByRole('button', { name: 'Presets & custom' }))
    const field = await screen.findByRole('textbox', { name: 'Custom size' })
    // Checked as it is typed: the problem shows at once and Add size waits for a size that works.
    fireEvent.change(field, { target: { value: '2001x2000' } })
    expect(screen.getByText('Each side must be 256 to 3840 px, in multiples of 16.')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Add size' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(field, { target: { value: '2000 x 2000' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add size' }))
    expect(isChosen('2000x2000')).toBe(true)
    expect(ui.size('2000x2000').checked).toBe(true)
    await waitFor(() =>
      expect(api.callsTo('jobs.estimate').at(-1)).toMatchObject({ sizes: [{ width: 1024, height: 1024 }, { width: 2000, height: 2000 }] }),
    )
  })

  it('switching to getimg puts Quality and Background back to Auto, says so, and Generate still goes (without them)', async () => {
    const getimg = demoProvider({
      id: 'getimg',
      name: 'getimg.ai',
      dialect: 'getimg-v2',
      sizeMode: 'aspect',
      sizes: sizesOf('1:1@1K', '3:2@1K', '1:1@2K'),
      unsupportedOptions: ['quality', 'background'],
    })
    const api = createFakeApi({
      'providers.list': () => ({ providers: [demoProvider(), getimg] }),
      'jobs.estimate': estimateFor,
      'jobs.generate': (input) => ({ batchId: null, jobs: [job({ id: 'job_g', provider: 'getimg', prompt: input.prompt, size: '1:1@1K' })], estimate: estimateFor(input) }),
    })
    const ui = renderApp(api)
    const provider = screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement
    const quality = () => screen.getByRole('combobox', { name: 'Quality' }) as HTMLSelectElement
    const background = () => screen.getByRole('combobox', { name: 'Background' }) as HTMLSelectElement
    await waitFor(() => expect(provider.value).toBe('demo'))
    fireEvent.click(screen.getByRole('button', { name: /More options/ }))
    fireEvent.change(quality(), { target: { value: 'high' } })
    fireEvent.change(background(), { target: { value: 'opaque' } })

    fireEvent.change(provider, { target: { value: 'getimg' } })
    const note = screen.getByRole('status', { name: 'Provider change' })
    expect(note.textContent).toContain('getimg.ai has no quality setting, so High became Auto')
    expect(note.textContent).toContain('getimg.ai has no background setting, so Opaque became Auto')
    expect(quality().value).toBe('auto')
    expect(quality().disabled).toBe(true)
    expect(background().value).toBe('auto')
    expect(background().disabled).toBe(true)
    expect(screen.getByText('getimg.ai has no quality setting')).toBeTruthy()

    fireEvent.change(ui.prompt(), { target: { value: 'A teapot on slate' } })
    expect(ui.generate()).toHaveProperty('disabled', false)
    fireEvent.click(ui.generate())
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    const sent = api.callsTo('jobs.generate')[0] as { provider: string; quality?: string; background?: string }
    expect(sent.provider).toBe('getimg')
    expect(sent.quality ?? 'auto').toBe('auto')
    expect(sent.background ?? 'auto').toBe('auto')
    const estimated = api.callsTo('jobs.estimate').at(-1) as { provider: string; quality?: string; background?: string }
    expect(estimated).toMatchObject({ provider: 'getimg' })
    expect([estimated.quality ?? 'auto', estimated.background ?? 'auto']).toEqual(['auto', 'auto'])
  })

  it('gives a provider that needs a key, with none stored, a way to the Keys settings, opened on that provider', async () => {
    const api = createFakeApi({
      'providers.list': () => ({
        providers: [
          demoProvider(),
          demoProvider({ id: 'gettoken', name: 'GetToken', needsKey: true, auth: 'bearer' }),
          demoProvider({ id: 'openai', name: 'OpenAI', needsKey: true, auth: 'bearer' }),
        ],
      }),
      'keys.list': () => ({ keys: [], status: { backend: 'keychain', persistent: true, message: 'Keys are stored in the OS keychain.' } }),
    })
    renderApp(api)
    const select = screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement
    await waitFor(() => expect(select.value).toBe('demo'))
    fireEvent.change(select, { target: { value: 'openai' } })
    expect(screen.getByText(/OpenAI needs an API key\. Stored in the OS keychain/)).toBeTruthy()
    expect(document.getElementById('generate-status')!.textContent).toBe('Write a prompt first.')
    fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'A mug' } })
    expect(document.getElementById('generate-status')!.textContent).toBe('Add an API key for OpenAI first.')

    fireEvent.click(await screen.findByRole('button', { name: 'Add a key in Settings' }))
    expect(await screen.findByRole('region', { name: 'Keys' })).toBeTruthy()
    expect((screen.getByRole('combobox', { name: 'Key provider' }) as HTMLSelectElement).value).toBe('openai')
  })

  it('offers input fidelity and moderation under More options, and size auto, only where the provider documents them', async () => {
    const api = createFakeApi({
      'providers.list': () => ({
        providers: [
          demoProvider({ options: { inputFidelity: false, moderation: false, user: false } }),
          demoProvider({ id: 'openai', name: 'OpenAI', sizes: sizesOf('1024x1024', '1536x1024', 'auto'), options: { inputFidelity: true, moderation: true, user: true } }),
        ],
      }),
      'jobs.estimate': estimateFor,
    })
    const ui = renderApp(api)
    const select = screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement
    await waitFor(() => expect(select.value).toBe('demo'))
    fireEvent.click(screen.getByRole('button', { name: /^More options/ }))
    expect(screen.queryByRole('combobox', { name: 'Moderation' })).toBeNull()
    expect(screen.queryByRole('combobox', { name: 'Input fidelity' })).toBeNull()
    expect(screen.queryByRole('radio', { name: 'Auto' })).toBeNull()

    fireEvent.change(select, { target: { value: 'openai' } })
    fireEvent.change(screen.getByRole('combobox', { name: 'Moderation' }), { target: { value: 'low' } })
    // Input fidelity is about reference images: it appears with the first one.
    expect(screen.queryByRole('combobox', { name: 'Input fidelity' })).toBeNull()
    fireEvent.change(screen.getByRole('textbox', { name: 'Reference image link' }), { target: { value: 'https://cdn.example.com/kettle.png' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add link' }))
    fireEvent.change(await screen.findByRole('combobox', { name: 'Input fidelity' }), { target: { value: 'high' } })
    expect(screen.getByRole('button', { name: /^More options/ }).textContent).toContain('Low moderation')
    fireEvent.click(ui.size('auto'))
    await waitFor(() => expect(api.callsTo('jobs.estimate').at(-1)).toMatchObject({ provider: 'openai', moderation: 'low', sizes: [{ width: 1024, height: 1024 }, { auto: true }] }))
    // The price does not depend on input fidelity, and without the references it would be refused.
    expect(api.callsTo('jobs.estimate').at(-1)).not.toHaveProperty('inputFidelity')
  })
})
