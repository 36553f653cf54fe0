import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, sizeLabel, type Input, type TemplateView } from '../../src/shared/api'
import { parseTemplate } from '../../src/shared/templates/template-text'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, job, type FakeApi } from './fake-api'
import { sizeBox } from './size-picker'

afterEach(cleanup)

const packshot: TemplateView = {
  id: 'tpl_packshot',
  name: 'White background packshot',
  body: 'Packshot of {{product}}, {{angle}} view, {{product}} centred',
  variables: ['product', 'angle'],
  defaults: { angle: 'three-quarter' },
  notes: 'For web shops.',
  createdAt: 1,
  updatedAt: 1,
}
const fixed: TemplateView = { ...packshot, id: 'tpl_fixed', name: 'Fixed prompt', body: 'A plain fixed prompt', variables: [], defaults: {}, notes: '' }

/** A fake engine holding templates in memory, with the real text rules for `variables`. */
function templatesApi(initial: TemplateView[] = [packshot, fixed]): FakeApi {
  const templates = [...initial]
  const estimate = (input: Input<'jobs.estimate'>) => ({
    provider: input.provider,
    currency: 'USD',
    lines: input.sizes.map((s) => ({ size: sizeLabel(s), images: 1, unitPrice: 0, subtotal: 0 })),
    total: 0,
    source: 'Demo',
  })
  return createFakeApi({
    'templates.list': () => ({ templates: [...templates] }),
    'templates.save': (input) => {
      if (templates.some((t) => t.name.toLowerCase() === input.name.trim().toLowerCase())) {
        throw new ApiError('conflict', `A template named "${input.name}" already exists.`, { field: 'name', fix: 'Choose another name.' })
      }
      const saved: TemplateView = {
        id: `tpl_${templates.length + 1}`,
        name: input.name.trim(),
        body: input.body,
        variables: parseTemplate(input.body).variables,
        defaults: input.defaults ?? {},
        notes: input.notes ?? '',
        createdAt: 2,
        updatedAt: 2,
      }
      templates.push(saved)
      return saved
    },
    'jobs.estimate': estimate,
    'jobs.generate': (input) => ({ batchId: null, jobs: [job({ id: 'job_t', prompt: input.prompt })], estimate: estimate(input) }),
  })
}

async function renderApp(api: FakeApi) {
  render(<App api={api} />)
  const picker = screen.getByRole('combobox', { name: 'Template' }) as HTMLSelectElement
  await waitFor(() => expect(picker.disabled).toBe(false))
  return {
    picker,
    prompt: () => screen.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement,
    variable: (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement,
    preview: () => screen.getByRole('region', { name: 'Final prompt' }),
  }
}

describe('Template picker', () => {
  it('shows a field per variable prefilled with its default, previews the final prompt and writes it into the prompt', async () => {
    const api = templatesApi()
    const ui = await renderApp(api)
    expect(within(ui.picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['No template', 'White background packshot', 'Fixed prompt'])
    fireEvent.change(ui.prompt(), { target: { value: 'typed before' } })

    fireEvent.change(ui.picker, { target: { value: 'tpl_packshot' } })
    expect(ui.variable('product').value).toBe('')
    expect(ui.variable('angle').value).toBe('three-quarter')
    expect(screen.getByText('For web shops.')).toBeTruthy()
    // It replaced what was typed, and says so with a way back (see the Undo test).
    expect(screen.getByRole('button', { name: 'Undo' })).toBeTruthy()
    // Not complete yet: the gap shows in the preview and the prompt stays empty.
    expect(ui.preview().textContent).toBe('Packshot of {{product}}, three-quarter view, {{product}} centred')
    expect(within(ui.preview()).getAllByText('{{product}}')[0]!.className).toBe('template-gap')
    expect(ui.variable('product').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Fill in product. The prompt stays empty until then.')).toBeTruthy()
    expect(ui.prompt().value).toBe('')

    fireEvent.change(ui.variable('product'), { target: { value: 'a steel kettle' } })
    const final = 'Packshot of a steel kettle, three-quarter view, a steel kettle centred'
    expect(ui.preview().textContent).toBe(final)
    await waitFor(() => expect(ui.prompt().value).toBe(final))
    expect(ui.variable('product').getAttribute('aria-invalid')).toBeNull()

    // Clearing a prefilled default leaves a gap again: no default sneaks back in.
    fireEvent.change(ui.variable('angle'), { target: { value: ' ' } })
    await waitFor(() => expect(ui.prompt().value).toBe(''))
    expect(screen.getByText('Fill in angle. The prompt stays empty until then.')).toBeTruthy()
    fireEvent.change(ui.variable('angle'), { target: { value: 'front' } })

    expect(sizeBox('1024x1024').checked).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }))
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({ prompt: 'Packshot of a steel kettle, front view, a steel kettle centred' })
  })

  it('lets go of the prompt when the user edits it by hand, keeping the text', async () => {
    const ui = await renderApp(templatesApi())
    fireEvent.change(ui.picker, { target: { value: 'tpl_fixed' } })
    await waitFor(() => expect(ui.prompt().value).toBe('A plain fixed prompt'))
    expect(screen.queryByRole('group', { name: 'Variables' })).toBeNull()

    fireEvent.change(ui.prompt(), { target: { value: 'A plain fixed prompt, with steam' } })
    expect(ui.picker.value).toBe('')
    expect(ui.prompt().value).toBe('A plain fixed prompt, with steam')
    expect(screen.getByText(/You edited the prompt, so the template let go of it/)).toBeTruthy()
    expect(screen.queryByRole('region', { name: 'Final prompt' })).toBeNull()
  })

  it('keeps a typed prompt recoverable: picking a template over it offers Undo', async () => {
    const ui = await renderApp(templatesApi())
    fireEvent.change(ui.prompt(), { target: { value: 'My own words about a mug' } })
    fireEvent.change(ui.picker, { target: { value: 'tpl_fixed' } })
    await waitFor(() => expect(ui.prompt().value).toBe('A plain fixed prompt'))
    expect(screen.getByText(/The template replaced the prompt you had written/)).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(ui.prompt().value).toBe('My own words about a mug')
    expect(ui.picker.value).toBe('')
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull()

    // Nothing typed, nothing to undo.
    fireEvent.change(ui.prompt(), { target: { value: '' } })
    fireEvent.change(ui.picker, { target: { value: 'tpl_fixed' } })
    await waitFor(() => expect(ui.prompt().value).toBe('A plain fixed prompt'))
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull()
  })

  it('keeps the values when the filled prompt is edited, and re-attaches the template with them', async () => {
    const ui = await renderApp(templatesApi())
    fireEvent.change(ui.picker, { target: { value: 'tpl_packshot' } })
    fireEvent.change(ui.variable('product'), { target: { value: 'a steel kettle' } })
    const final = 'Packshot of a steel kettle, three-quarter view, a steel kettle centred'
    await waitFor(() => expect(ui.prompt().value).toBe(final))

    fireEvent.change(ui.prompt(), { target: { value: `${final}, on slate` } })
    expect(ui.picker.value).toBe('')
    fireEvent.click(screen.getByRole('button', { name: 'Re-attach “White background packshot”' }))
    expect(ui.picker.value).toBe('tpl_packshot')
    expect(ui.variable('product').value).toBe('a steel kettle')
    await waitFor(() => expect(ui.prompt().value).toBe(final))

    // Re-attaching wrote over the edit: that is recoverable too.
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(ui.prompt().value).toBe(`${final}, on slate`)
  })

  it('saves the current prompt as a template, literally, and selects it', async () => {
    const api = templatesApi()
    const ui = await renderApp(api)
    const open = screen.getByRole('button', { name: 'Save as template' }) as HTMLButtonElement
    expect(open.disabled).toBe(true) // nothing to save yet

    fireEvent.change(ui.prompt(), { target: { value: '  Mug with a {{logo}} sticker  ' } })
    fireEvent.click(open)
    const form = screen.getByRole('form', { name: 'Save as template' })
    const name = within(form).getByRole('textbox', { name: 'Template name' })
    expect(document.activeElement).toBe(name)
    const literal = within(form).getByRole('checkbox', { name: 'Treat {{logo}} as variables' }) as HTMLInputElement
    expect(literal.checked).toBe(false)

    fireEvent.change(name, { target: { value: 'fixed PROMPT' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Save template' }))
    const alert = await within(form).findByRole('alert')
    expect(alert.textContent).toContain('A template named "fixed PROMPT" already exists.')
    expect(alert.textContent).toContain('Choose another name.')

    fireEvent.change(name, { target: { value: 'Sticker mug' } })
    fireEvent.submit(form)
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Save as template' })).toBeNull())
    expect(api.callsTo('templates.save').at(-1)).toEqual({ name: 'Sticker mug', body: 'Mug with a \\{{logo}} sticker' })
    expect(within(ui.picker).getByRole('option', { name: 'Sticker mug' })).toBeTruthy()
    expect(ui.picker.value).toBe('tpl_3')
    expect(screen.getByText('Saved as “Sticker mug”.')).toBeTruthy()
    expect(ui.prompt().value).toBe('Mug with a {{logo}} sticker')
    expect(document.activeElement).toBe(open)
  })

  it('keeps {{names}} as variables when asked, and Escape closes the form without saving', async () => {
    const api = templatesApi()
    const ui = await renderApp(api)
    fireEvent.change(ui.prompt(), { target: { value: 'Mug with a {{logo}} sticker' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save as template' }))
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Template name' }), { key: 'Escape' })
    expect(screen.queryByRole('form', { name: 'Save as template' })).toBeNull()
    expect(api.callsTo('templates.save')).toEqual([])

    fireEvent.click(screen.getByRole('button', { name: 'Save as template' }))
    fireEvent.change(screen.getByRole('textbox', { name: 'Template name' }), { target: { value: 'Logo mug' } })
    fireEvent.click(screen.getByRole('checkbox', { name: 'Treat {{logo}} as variables' }))
    fireEvent.click(screen.getByRole('button', { name: 'Save template' }))
    await waitFor(() => expect(api.callsTo('templates.save')).toEqual([{ name: 'Logo mug', body: 'Mug with a {{logo}} sticker' }]))
    // Chosen right away: its variable is empty, so the prompt waits for it.
    await waitFor(() => expect(ui.variable('logo').value).toBe(''))
    expect(ui.prompt().value).toBe('')
  })

  it('says when there are no templates, and shows a failed load with a way to retry', async () => {
    let fail = true
    const api = createFakeApi({
      'templates.list': () => {
        if (fail) throw new ApiError('unavailable', 'The library is busy.', { fix: 'Try again in a moment.' })
        return { templates: [] }
      },
    })
    render(<App api={api} />)
    const alert = await screen.findByText('The library is busy.')
    fail = false
    fireEvent.click(within(alert.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Try again' }))
    await screen.findByText('No templates yet: save a prompt as a template, or import some in Settings.')
    expect(screen.queryByText('The library is busy.')).toBeNull()
  })

  it('works with variables named constructor, toString and hasOwnProperty: picking the template keeps the page working', async () => {
    const proto: TemplateView = {
      ...packshot,
      id: 'tpl_proto',
      name: 'Prototype names',
      body: '{{constructor}} by {{toString}} on {{hasOwnProperty}}',
      variables: ['constructor', 'toString', 'hasOwnProperty'],
      defaults: { hasOwnProperty: 'oak' },
    }
    const api = templatesApi([proto])
    const ui = await renderApp(api)
    fireEvent.change(ui.picker, { target: { value: 'tpl_proto' } })
    // No value of Object.prototype stands in for an empty field: the fields are empty, the gaps shown.
    expect(ui.variable('constructor').value).toBe('')
    expect(ui.variable('toString').value).toBe('')
    expect(ui.variable('hasOwnProperty').value).toBe('oak')
    expect(ui.preview().textContent).toBe('{{constructor}} by {{toString}} on oak')
    expect(screen.getByText('Fill in constructor and toString. The prompt stays empty until then.')).toBeTruthy()

    fireEvent.change(ui.variable('constructor'), { target: { value: 'a kettle' } })
    fireEvent.change(ui.variable('toString'), { target: { value: 'Ada' } })
    await waitFor(() => expect(ui.prompt().value).toBe('a kettle by Ada on oak'))
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }))
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({ prompt: 'a kettle by Ada on oak' })
  })
})
